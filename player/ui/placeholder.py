"""A page that is not built yet: a card saying what will be here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class PlaceholderPage(QWidget):
    def __init__(self, title: str, text: str, parent=None) -> None:
        super().__init__(parent)
        card = QFrame()
        card.setObjectName("card")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setFixedWidth(560)  # a fixed width lets the wrapped text take its full height
        heading = QLabel(title)
        heading.setObjectName("cardTitle")
        body = QLabel(text)
        body.setWordWrap(True)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(12)
        inner.addWidget(heading)
        inner.addWidget(body)
        # Aligned widgets get their size hint, not their height for a width: reserve it.
        body.setMinimumHeight(body.heightForWidth(card.width() - 56))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addWidget(card, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
