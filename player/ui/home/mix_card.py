"""One card of "Made for you": mosaic, title, description and a play button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout

from player.ui.home.mosaic import mosaic

COVER = 180


class MixCard(QFrame):
    opened = Signal()
    play_clicked = Signal()

    def __init__(self, title: str, description: str, artists: list[str], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("mixCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFixedWidth(COVER + 24)
        self.artists = artists
        self.covers: list[QImage | None] = [None] * 4
        self.cover = QLabel()
        self.cover.setFixedSize(COVER, COVER)
        self.title = QLabel(title)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.description = QLabel(description)
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: palette(mid);")
        self.play = QPushButton("▶ Play")
        self.play.setAccessibleName(f"Play {title}")
        self.play.clicked.connect(self.play_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        for widget in (self.cover, self.title, self.description):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.play, 0, Qt.AlignmentFlag.AlignLeft)
        self._paint()

    def set_cover(self, slot: int, image: QImage) -> None:
        if 0 <= slot < 4:
            self.covers[slot] = image
            self._paint()

    def _paint(self) -> None:
        self.cover.setPixmap(mosaic(COVER, self.artists, self.covers))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.button() == Qt.MouseButton.LeftButton:
            self.opened.emit()
        super().mouseReleaseEvent(event)
