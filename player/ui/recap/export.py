"""Exports: each page as a PNG card (portrait 1080x1920, landscape 1920x1080), the whole as HTML.

Needs a QGuiApplication (fonts); the CLI makes an offscreen one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
from PySide6.QtGui import QGuiApplication, QImage, QPainter

from player.core.errors import KnownError
from player.core.files import os_reason, write_bytes_atomic
from player.recap.html import recap_html
from player.recap.story import Page
from player.ui.recap.painter import paint_page

PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)
_APPLICATION: list[QGuiApplication] = []  # the one made here, kept alive for the process


def ensure_gui_application() -> None:
    """Painting text needs a QGuiApplication; make one for command-line exports."""
    if QGuiApplication.instance() is None:
        _APPLICATION.append(QGuiApplication(["encore"]))


def render_card(page: Page, index: int, count: int, size: tuple[int, int] = PORTRAIT) -> QImage:
    image = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    try:
        paint_page(painter, QRectF(0, 0, size[0], size[1]), page, index, count)
    finally:
        painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes, 6.11 a str
    buffer.close()
    return bytes(data.data())


def save_card(page: Page, index: int, count: int, path: str | Path,
              size: tuple[int, int] = PORTRAIT) -> Path:
    target = Path(path)
    _write(target, png_bytes(render_card(page, index, count, size)))
    return target


def card_name(year: int, index: int, page: Page, size: tuple[int, int]) -> str:
    shape = "portrait" if size[1] > size[0] else "landscape"
    return f"recap-{year}-{index + 1:02d}-{page.key}-{shape}.png"


def save_all_cards(year: int, pages: list[Page], folder: str | Path) -> list[Path]:
    """Every page in both shapes into folder; returns the files written."""
    out = []
    for i, page in enumerate(pages):
        for size in (PORTRAIT, LANDSCAPE):
            out.append(save_card(page, i, len(pages), Path(folder) / card_name(year, i, page, size),
                                 size))
    return out


def html_text(year: int, pages: list[Page]) -> str:
    cards = [png_bytes(render_card(p, i, len(pages), PORTRAIT)) for i, p in enumerate(pages)]
    return recap_html(year, pages, cards)


def save_html(year: int, pages: list[Page], path: str | Path) -> Path:
    target = Path(path)
    _write(target, html_text(year, pages).encode("utf-8"))
    return target


def _write(target: Path, data: bytes) -> None:
    """Write whole or not at all: a temporary file renamed into place."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownError(f"Could not write {target}: {os_reason(exc)}.",
                         "Choose a folder you can write to.") from exc
    write_bytes_atomic(target, data, KnownError)
