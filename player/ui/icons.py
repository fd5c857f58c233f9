"""Transport icons drawn in the palette's text colour, so they read on light and dark themes."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF

SIZE = 64


def _triangle(painter: QPainter, x0: float, x1: float, right: bool = True) -> None:
    top, bottom, middle = SIZE * 0.18, SIZE * 0.82, SIZE * 0.5
    tip, base = (x1, x0) if right else (x0, x1)
    painter.drawPolygon(QPolygonF([QPointF(base, top), QPointF(tip, middle), QPointF(base, bottom)]))


def media_icon(kind: str, color: QColor) -> QIcon:
    """kind: play, pause, next, previous, volume, muted."""
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
    elif kind in ("volume", "muted"):
        _speaker(painter, color, muted=kind == "muted")
    painter.end()
    return QIcon(pixmap)


def _speaker(painter: QPainter, color: QColor, muted: bool) -> None:
    """A speaker with sound waves, or crossed out when muted."""
    painter.drawRect(QRectF(SIZE * 0.10, SIZE * 0.37, SIZE * 0.16, SIZE * 0.26))
    painter.drawPolygon(QPolygonF([QPointF(SIZE * 0.24, SIZE * 0.37), QPointF(SIZE * 0.48, SIZE * 0.16),
                                   QPointF(SIZE * 0.48, SIZE * 0.84), QPointF(SIZE * 0.24, SIZE * 0.63)]))
    pen = QPen(color, SIZE * 0.07)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if muted:
        painter.drawLine(QPointF(SIZE * 0.60, SIZE * 0.36), QPointF(SIZE * 0.86, SIZE * 0.64))
        painter.drawLine(QPointF(SIZE * 0.60, SIZE * 0.64), QPointF(SIZE * 0.86, SIZE * 0.36))
        return
    for radius in (0.16, 0.30):
        box = QRectF(SIZE * (0.48 - radius), SIZE * (0.5 - radius), SIZE * radius * 2, SIZE * radius * 2)
        painter.drawArc(box, -50 * 16, 100 * 16)
