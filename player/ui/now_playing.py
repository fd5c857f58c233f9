"""The now-playing bar: cover, title and artist, transport, seek, volume, shuffle, repeat, like."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractSlider,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player.qt.album_model import placeholder_cover
from player.qt.track_model import format_length
from player.ui.icons import media_icon

REPEAT_NEXT = {"off": "all", "all": "one", "one": "off"}
REPEAT_TEXT = {"off": "Repeat: off", "all": "Repeat: all", "one": "Repeat: one"}
REPEAT_SYMBOL = {"off": "\u21bb", "all": "\u21bb", "one": "\u21bb1"}  # checked shows all/one
COVER_SIZE = 56


class ElidedLabel(QLabel):
    """A label that shortens its text with … instead of growing the window."""

    def __init__(self, text: str = "", parent=None) -> None:
        super().__init__(parent)
        self._full = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(10, self.width())
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))


class JumpSlider(QSlider):
    """A slider a click moves straight to the clicked point (as people expect of a seek bar),
    instead of a page step towards it; the press then goes on as a drag from there."""

    jumped = Signal(int)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.maximum() > self.minimum():
            option = QStyleOptionSlider()
            self.initStyleOption(option)
            style = self.style()
            handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                          QStyle.SubControl.SC_SliderHandle, self)
            point = event.position().toPoint()
            if not handle.contains(point):
                groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                              QStyle.SubControl.SC_SliderGroove, self)
                value = QStyle.sliderValueFromPosition(
                    self.minimum(), self.maximum(), point.x() - groove.x() - handle.width() // 2,
                    max(1, groove.width() - handle.width()), option.upsideDown)
                self.setValue(value)
                self.jumped.emit(value)
        super().mousePressEvent(event)


def _tool_button(tooltip: str, icon=None, text: str = "", checkable: bool = False) -> QToolButton:
    button = QToolButton()
    button.setToolTip(tooltip)
    button.setAutoRaise(True)
    button.setCheckable(checkable)
    button.setIconSize(QSize(22, 22))
    button.setMinimumSize(QSize(34, 34))
    if icon is not None:
        button.setIcon(icon)
    if text:
        button.setText(text)
    return button


class NowPlayingBar(QFrame):
    play_pause_requested = Signal()
    previous_requested = Signal()
    next_requested = Signal()
    seek_requested = Signal(int)  # ms
    volume_requested = Signal(int)  # 0..100
    shuffle_requested = Signal(bool)
    repeat_requested = Signal(str)  # off | all | one
    like_requested = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("nowPlaying")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._repeat = "off"
        self._duration_ms = 0
        self._playing = False
        self._muted = False
        self.current_track = None  # the Track shown, for the bar's context menu
        self.notice = ""  # shown instead of the artist line until the track is heard
        self._icons: dict[str, QIcon] = {}
        self._make_icons()
        self.cover = QLabel()
        self.cover.setFixedSize(COVER_SIZE, COVER_SIZE)
        self.title = ElidedLabel("Nothing playing")
        self.title.setObjectName("npTitle")
        self.artist = ElidedLabel("")
        self.artist.setObjectName("dimLabel")
        self.previous_button = _tool_button("Previous (Ctrl+Left)", self._icons["SP_MediaSkipBackward"])
        self.play_button = _tool_button("Play/Pause (Space)", self._icons["SP_MediaPlay"])
        self.play_button.setIconSize(QSize(28, 28))
        self.play_button.setMinimumSize(QSize(42, 42))
        self.next_button = _tool_button("Next (Ctrl+Right)", self._icons["SP_MediaSkipForward"])
        self.elapsed = QLabel("0:00")
        self.total = QLabel("0:00")
        for label in (self.elapsed, self.total):
            label.setObjectName("dimLabel")
            label.setMinimumWidth(44)
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.seek = JumpSlider(Qt.Orientation.Horizontal)
        self.seek.setRange(0, 0)
        self.seek.setPageStep(10_000)
        self.shuffle_button = _tool_button("Shuffle", text="Shuffle", checkable=True)
        self.repeat_button = _tool_button("Repeat off, all or one", text=REPEAT_TEXT["off"],
                                          checkable=True)
        self.like_button = _tool_button("Like", text="\u2661 Like", checkable=True)
        for button in (self.shuffle_button, self.repeat_button, self.like_button):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.volume_icon = QLabel()
        self.volume_icon.setPixmap(self._icons["SP_MediaVolume"].pixmap(18, 18))
        self.volume = JumpSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(100)
        self.volume.setFixedWidth(110)
        self.volume.setToolTip("Volume (Ctrl+Up / Ctrl+Down)")
        self._layout()
        self._connect()
        self.show_cover(None)

    def _make_icons(self) -> None:
        color = self.palette().color(QPalette.ColorRole.WindowText)
        self._icons = {  # drawn in the text colour: the style's volume icon vanished in dark
            "SP_MediaPlay": media_icon("play", color), "SP_MediaPause": media_icon("pause", color),
            "SP_MediaSkipBackward": media_icon("previous", color),
            "SP_MediaSkipForward": media_icon("next", color),
            "SP_MediaVolume": media_icon("volume", color),
            "SP_MediaVolumeMuted": media_icon("muted", color),
        }

    def changeEvent(self, event) -> None:
        """A light/dark switch of the system palette redraws the icons in the new colour."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "play_button"):
            self._make_icons()
            self.previous_button.setIcon(self._icons["SP_MediaSkipBackward"])
            self.next_button.setIcon(self._icons["SP_MediaSkipForward"])
            self.play_button.setIcon(self._icons["SP_MediaPause" if self._playing else "SP_MediaPlay"])
            self._show_volume_icon()

    def _layout(self) -> None:
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addStretch(1)
        text.addWidget(self.title)
        text.addWidget(self.artist)
        text.addStretch(1)
        left = QHBoxLayout()
        left.addWidget(self.cover)
        left.addSpacing(8)
        left.addLayout(text, 1)
        transport = QHBoxLayout()
        transport.setSpacing(4)
        transport.addStretch(1)
        for widget in (self.previous_button, self.play_button, self.next_button):
            transport.addWidget(widget)
        transport.addStretch(1)
        seek_row = QHBoxLayout()
        seek_row.addWidget(self.elapsed)
        seek_row.addWidget(self.seek, 1)
        seek_row.addWidget(self.total)
        middle = QVBoxLayout()
        middle.setSpacing(0)
        middle.addLayout(transport)
        middle.addLayout(seek_row)
        right = QHBoxLayout()
        right.setSpacing(2)
        for widget in (self.like_button, self.shuffle_button, self.repeat_button):
            right.addWidget(widget)
        right.addSpacing(8)
        right.addWidget(self.volume_icon)
        right.addWidget(self.volume)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        left_box, middle_box, right_box = QWidget(), QWidget(), QWidget()
        for box, inner in ((left_box, left), (middle_box, middle), (right_box, right)):
            inner.setContentsMargins(0, 0, 0, 0)
            box.setLayout(inner)
        row.addWidget(left_box, 3)
        row.addWidget(middle_box, 4)
        row.addWidget(right_box, 3)

    def _connect(self) -> None:
        self.play_button.clicked.connect(self.play_pause_requested)
        self.previous_button.clicked.connect(self.previous_requested)
        self.next_button.clicked.connect(self.next_requested)
        self.seek.sliderReleased.connect(lambda: self.seek_requested.emit(self.seek.value()))
        self.seek.actionTriggered.connect(self._on_seek_action)
        self.seek.jumped.connect(self.seek_requested)
        self.volume.valueChanged.connect(self.volume_requested)
        self.shuffle_button.toggled.connect(self.shuffle_requested)
        self.repeat_button.clicked.connect(lambda: self.repeat_requested.emit(REPEAT_NEXT[self._repeat]))
        self.like_button.toggled.connect(self.like_requested)

    NARROW = 1000  # px: below it Like, Shuffle and Repeat show symbols instead of words

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        narrow = self.width() < self.NARROW
        if narrow != getattr(self, "_narrow", None):
            self._narrow = narrow
            self._label_buttons()

    def _label_buttons(self) -> None:
        """Words when there is room; symbols (the words stay in the tooltips) when narrow."""
        narrow = getattr(self, "_narrow", False)
        liked = self.like_button.isChecked()
        self.like_button.setText(("\u2665" if liked else "\u2661") if narrow
                                 else ("\u2665 Liked" if liked else "\u2661 Like"))
        self.shuffle_button.setText("\u21c4" if narrow else "Shuffle")
        self.repeat_button.setText(REPEAT_SYMBOL[self._repeat] if narrow else REPEAT_TEXT[self._repeat])
        self.like_button.setToolTip("Liked" if liked else "Like")
        self.repeat_button.setToolTip(f"{REPEAT_TEXT[self._repeat]} (click for off, all or one)")

    def _on_seek_action(self, action: int) -> None:
        if action != QAbstractSlider.SliderAction.SliderMove.value:
            self.seek_requested.emit(self.seek.sliderPosition())

    # -- showing the state -----------------------------------------------------------------
    def show_state(self, state) -> None:
        """Shows a PlaybackState (player.playback.state)."""
        track = state.current
        self.current_track = track
        self.title.set_full_text(track.title if track else "Nothing playing")
        self._show_artist()
        self._playing = state.playing and not state.paused
        self.play_button.setIcon(self._icons["SP_MediaPause" if self._playing else "SP_MediaPlay"])
        self._set_silently(self.shuffle_button, state.shuffle)
        self._set_silently(self.like_button, state.liked)
        self.like_button.setEnabled(track is not None)
        self._repeat = state.repeat
        self.repeat_button.setChecked(state.repeat != "off")
        self._label_buttons()
        self.volume.blockSignals(True)
        self.volume.setValue(state.volume)
        self.volume.blockSignals(False)
        self._muted = state.muted or state.volume == 0
        self._show_volume_icon()
        self.show_position(state.position_ms, state.duration_ms)

    def show_notice(self, text: str) -> None:
        """E.g. "Converting …": in the artist line (full text in its tooltip) until clear_notice."""
        self.notice = text
        self._show_artist()

    def clear_notice(self) -> None:
        if self.notice:
            self.notice = ""
            self._show_artist()

    def _show_artist(self) -> None:
        track = self.current_track
        line = " \u2014 ".join(x for x in (track.artist, track.album) if x) if track else ""
        self.artist.set_full_text(self.notice or line)
        self.artist.setToolTip(self.notice)

    def _show_volume_icon(self) -> None:
        icon = "SP_MediaVolumeMuted" if self._muted else "SP_MediaVolume"
        self.volume_icon.setPixmap(self._icons[icon].pixmap(18, 18))

    def show_position(self, position_ms: int, duration_ms: int) -> None:
        if self.seek.isSliderDown():
            return  # the user is dragging: don't pull the handle from under them
        self._duration_ms = duration_ms
        self.seek.blockSignals(True)
        self.seek.setRange(0, max(0, duration_ms))
        self.seek.setValue(min(position_ms, max(0, duration_ms)))
        self.seek.blockSignals(False)
        self.elapsed.setText(format_length(position_ms / 1000))
        self.total.setText(format_length(duration_ms / 1000))

    def show_cover(self, pixmap: QPixmap | None) -> None:
        if pixmap is None or pixmap.isNull():
            pixmap = placeholder_cover(COVER_SIZE)
        self.cover.setPixmap(pixmap.scaled(COVER_SIZE, COVER_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))

    @staticmethod
    def _set_silently(button: QToolButton, checked: bool) -> None:
        button.blockSignals(True)
        button.setChecked(checked)
        button.blockSignals(False)
