"""What a person does in the tests' windows, written once: answer the next dialog, open the
Tracks view at a window size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def answer_next_dialog(answer: Callable[[Any], object], kind: type | None = None,
                       every_ms: int = 30) -> None:
    """Calls answer(dialog) on the next modal dialog (of `kind`, when given) once it is open:
    exec() and the static getText/question block, so the answer is queued before."""
    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or (kind is not None and not isinstance(dialog, kind)):
            QTimer.singleShot(every_ms, attempt)
            return
        answer(dialog)

    QTimer.singleShot(every_ms, attempt)


def tracks_at(qtbot, window, size: tuple[int, int]):  # type: ignore[no-untyped-def]
    """The Tracks view's table and header, the window resized to `size` and laid out."""
    window.resize(*size)
    window.show_page("Library", "Tracks")
    qtbot.waitUntil(lambda: window.width() == size[0])
    QApplication.processEvents()
    table = window.library.tracks_table
    return table, table.horizontalHeader()
