"""A mix's cover: a 2x2 mosaic of its tracks' covers, or generated colour tiles (one hue per
artist, the artist's initials) where no cover is available."""

from __future__ import annotations

import zlib

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter, QPixmap


def artist_colour(name: str, shade: int = 0) -> QColor:
    hue = zlib.crc32(name.casefold().encode("utf-8")) % 360
    return QColor.fromHsl(hue, 150, 95 + shade)


def initials(name: str) -> str:
    words = [w for w in name.replace("&", " ").split() if w[:1].isalnum()]
    if len(words) > 2:  # first and last word: "Jazz Artist 1" -> J1, not JA like its peers
        words = [words[0], words[-1]]
    return "".join(w[0] for w in words).upper() or "♪"


def mosaic(size: int, artists: list[str], covers: list[QImage | None] | None = None) -> QPixmap:
    """Four tiles: covers when given (non-null), else colour tiles for the first four artists."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor("#202020"))
    names = (artists + artists[:1] * 4)[:4] if artists else ["", "", "", ""]
    half = size // 2
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for n, name in enumerate(names):
        rect = QRect((n % 2) * half, (n // 2) * half, half, half)
        cover = covers[n] if covers and n < len(covers) else None
        if cover is not None and not cover.isNull():
            painter.drawImage(rect, cover.scaled(half, half, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                                                 Qt.TransformationMode.SmoothTransformation))
            continue
        gradient = QLinearGradient(rect.topLeft(), rect.bottomRight())
        gradient.setColorAt(0, artist_colour(name, 25))
        gradient.setColorAt(1, artist_colour(name, -35))
        painter.fillRect(rect, gradient)
        painter.setPen(QColor(255, 255, 255, 210))
        font = QFont()
        font.setPixelSize(max(10, half // 3))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.end()
    return pixmap
