"""Transport icons drawn in the palette's text colour, so they read on light and dark themes."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF

SIZE = 64


def _triangle(painter: QPainter, x0: float, x1: float, right: bool = True) -> None:
    top, bottom, middle = SIZE * 0.18, SIZE * 0.82, SIZE * 0.5
    tip, base = (x1, x0) if right else (x0, x1)
    painter.drawPolygon(QPolygonF([QPointF(base, top), QPointF(tip, middle), QPointF(base, bottom)]))


def media_icon(kind: str, color: QColor) -> QIcon:
    """kind: play, pause, next, previous."""
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    if kind == "play":
        _triangle(painter, SIZE * 0.25, SIZE * 0.82)
    elif kind == "pause":
        painter.drawRect(QRectF(SIZE * 0.24, SIZE * 0.18, SIZE * 0.17, SIZE * 0.64))
        painter.drawRect(QRectF(SIZE * 0.59, SIZE * 0.18, SIZE * 0.17, SIZE * 0.64))
    elif kind == "next":
        _triangle(painter, SIZE * 0.16, SIZE * 0.66)
        painter.drawRect(QRectF(SIZE * 0.68, SIZE * 0.18, SIZE * 0.12, SIZE * 0.64))
    elif kind == "previous":
        painter.drawRect(QRectF(SIZE * 0.20, SIZE * 0.18, SIZE * 0.12, SIZE * 0.64))
        _triangle(painter, SIZE * 0.34, SIZE * 0.84, right=False)
    painter.end()
    return QIcon(pixmap)
