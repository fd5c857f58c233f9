"""A tray icon with playback controls. Offscreen there is no tray: show() is harmless."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMenu, QStyle, QSystemTrayIcon, QWidget


class TrayIcon(QSystemTrayIcon):
    play_pause_requested = Signal()
    next_requested = Signal()
    previous_requested = Signal()
    toggle_window_requested = Signal()
    quit_requested = Signal()

    def __init__(self, window: QWidget) -> None:
        icon = window.windowIcon()
        if icon.isNull():
            icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
        super().__init__(QIcon(icon), window)
        self.setToolTip("Encore")
        self.menu = QMenu(window)
        self.now_playing = self.menu.addAction("Nothing playing")
        self.now_playing.setEnabled(False)
        self.menu.addSeparator()
        self.play_action = self._add("Play/Pause", self.play_pause_requested)
        self._add("Next", self.next_requested)
        self._add("Previous", self.previous_requested)
        self.menu.addSeparator()
        self._add("Show/Hide Encore", self.toggle_window_requested)
        self._add("Quit", self.quit_requested)
        self.setContextMenu(self.menu)
        self.activated.connect(self._on_activated)

    def _add(self, text: str, signal):
        action = self.menu.addAction(text)
        action.triggered.connect(signal)
        return action

    def _on_activated(self, reason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.toggle_window_requested.emit()

    def show_state(self, state) -> None:
        track = state.current  # a resumed track is shown too, paused or not
        text = " \u2014 ".join(x for x in (track.title, track.artist) if x) if track else "Nothing playing"
        self.now_playing.setText(text)
        self.setToolTip(f"Encore: {text}")
        self.play_action.setText("Pause" if state.playing and not state.paused else "Play")
