"""Recent listens as a table, marking skips and repeats."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from player.core.sources import source_label
from player.db.listens import ListenRow
from player.qt.track_model import format_length

Index = QModelIndex | QPersistentModelIndex


def marks(e: ListenRow) -> str:
    """"early skip", "skip", "repeat", "play" (or nothing) for one listen."""
    words = []
    if e.is_early_skip:
        words.append("early skip")
    elif e.is_skip:
        words.append("skip")
    if e.is_repeat:
        words.append("repeat")
    if e.is_play and not words:
        words.append("play")
    return ", ".join(words)


def when_text(started_at: float, now: float | None = None) -> str:
    """'14:03' today, 'Mon 14:03' this week, else '2026-03-01 14:03' (local time)."""
    now = time.time() if now is None else now
    local = time.localtime(started_at)
    clock = time.strftime("%H:%M", local)
    if time.strftime("%Y-%m-%d", local) == time.strftime("%Y-%m-%d", time.localtime(now)):
        return clock
    if 0 <= now - started_at < 6 * 86400:
        return time.strftime("%a ", local) + clock
    return time.strftime("%Y-%m-%d ", local) + clock


def _heard(e: ListenRow) -> str:
    if e.ms_played is None:
        return ""
    total = f" / {format_length(e.duration_ms / 1000)}" if e.duration_ms else ""
    return format_length(e.ms_played / 1000) + total


COLUMNS: list[tuple[str, Callable[[ListenRow], str]]] = [
    ("When", lambda e: when_text(e.started_at)),
    ("Title", lambda e: e.title),
    ("Artist", lambda e: e.artist),
    ("Heard", _heard),
    ("Marks", marks),
    ("Ended by", lambda e: (e.end_reason or "playing").replace("_", " ")),
    ("Source", lambda e: source_label(e.source, e.source_id) if e.origin == "encore"
     else f"{e.source} ({e.origin})"),
]
MARKS_COLUMN = 4


class HistoryModel(QAbstractTableModel):
    """UserRole returns the ListenRow (player.db.listens); newest first as given."""

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[ListenRow] = []

    def set_entries(self, entries: Sequence[ListenRow]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry_at(self, row: int) -> ListenRow:
        return self._entries[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](entry)
        if role == Qt.ItemDataRole.UserRole:
            return entry
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == MARKS_COLUMN:
            if entry.is_skip:
                return QColor(200, 90, 60)
            if entry.is_repeat:
                return QColor(60, 140, 200)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section][0]
        return None
