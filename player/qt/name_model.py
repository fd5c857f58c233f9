"""A list of names with track counts: the Artists and Genres columns of the library."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from player.core.models import Track
from player.qt.playlist_mime import TrackDragSource
from player.qt.word_filter import filter_words, rows_matching

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class NameCount:
    name: str
    count: int


def artist_counts(tracks: Sequence[Track]) -> list[NameCount]:
    counts = Counter(t.album_artist or t.artist or "Unknown artist" for t in tracks)
    return sorted((NameCount(n, c) for n, c in counts.items()), key=lambda x: x.name.casefold())


def genre_names(track: Track) -> list[str]:
    return [g for g in track.genre.split("; ") if g] or ["No genre"]


def genre_counts(tracks: Sequence[Track]) -> list[NameCount]:
    counts = Counter(g for t in tracks for g in genre_names(t))
    return sorted((NameCount(n, c) for n, c in counts.items()), key=lambda x: x.name.casefold())


class NameCountModel(TrackDragSource, QAbstractListModel):
    """UserRole returns the NameCount. With tracks_of set, dragging names carries the track
    ids of their tracks (an artist onto a playlist)."""

    def __init__(self) -> None:
        super().__init__()
        self.tracks_of: Callable[[str], Sequence[Track]] | None = None
        self._all: list[NameCount] = []
        self._search: list[str] = []  # each name lower-cased, once
        self._items: list[NameCount] = []
        self._words: list[str] = []

    def set_items(self, items: Sequence[NameCount]) -> None:
        self.beginResetModel()
        self._all = list(items)
        self._search = [item.name.casefold() for item in self._all]
        self._items = self._matching()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        words = filter_words(text)
        if words == self._words:
            return
        self.beginResetModel()
        self._words = words
        self._items = self._matching()
        self.endResetModel()

    def _matching(self) -> list[NameCount]:
        rows = rows_matching(self._search, self._words, range(len(self._all)))
        return [self._all[i] for i in rows]

    def item_at(self, row: int) -> NameCount:
        return self._items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.name
        if role == Qt.ItemDataRole.UserRole:
            return item
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.name}: {item.count} tracks"
        return None

    def drags(self) -> bool:
        return self.tracks_of is not None

    def dragged_track_ids(self, rows: list[int]) -> Iterable[int]:
        tracks_of = self.tracks_of or (lambda _name: [])
        return (t.id for r in rows for t in tracks_of(self._items[r].name))
