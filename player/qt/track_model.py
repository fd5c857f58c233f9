"""A table model over a plain list of core.Track that filters and sorts by itself.

QSortFilterProxyModel calls back into Python once per row per keystroke, too slow at
100,000 tracks. Here each row has a precomputed lowercase search string, a filter is one
list comprehension over them (narrowed from the previous result while the user types on),
and sort keys are computed once per column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from player.core.models import Track
from player.qt.playlist_mime import TrackDragSource
from player.qt.word_filter import filter_words, rows_matching

Index = QModelIndex | QPersistentModelIndex


def format_length(seconds: float) -> str:
    minutes, secs = divmod(int(max(0.0, seconds)), 60)  # whole seconds, as players count
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def _text_key(value: str) -> str:
    return value.casefold()


def track_number_text(track: Track, discs: int) -> str:
    """'3', or '2-03' on an album of several discs; '' when the tags give no number."""
    if not track.track_number:
        return ""
    if discs > 1:
        return f"{track.disc_number or 1}-{track.track_number:02d}"
    return str(track.track_number)


def _number_text(track: Track) -> str:
    # a list of many albums does not say how many discs each has: a disc after the first
    # is shown ("2-03"), the first disc's tracks by their number alone
    return track_number_text(track, 2 if (track.disc_number or 1) > 1 else 1)


# (header, display text, sort key)
Column = tuple[str, Callable[[Track], str], Callable[[Track], Any]]
# "#" comes last so the other columns keep their numbers; views show it first (column_fit.py)
NUMBER = 6
COLUMNS: list[Column] = [
    ("Title", lambda t: t.title, lambda t: (_text_key(t.title),)),
    ("Artist", lambda t: t.artist,
     lambda t: (_text_key(t.artist), _text_key(t.album), t.disc_number or 0, t.track_number or 0)),
    ("Album", lambda t: t.album,
     lambda t: (_text_key(t.album), t.disc_number or 0, t.track_number or 0)),
    ("Genre", lambda t: t.genre, lambda t: (_text_key(t.genre),)),
    ("Year", lambda t: str(t.year or ""), lambda t: (t.year or 0,)),
    ("Length", lambda t: format_length(t.duration), lambda t: (t.duration,)),
    ("#", _number_text, lambda t: (t.disc_number or 0, t.track_number or 0)),
]


def search_text(track: Track) -> str:
    """What the filter looks in: title, artist, album and genre, lower-cased once."""
    return f"{track.title}\n{track.artist}\n{track.album}\n{track.genre}".casefold()


@dataclass
class PreparedTracks:
    """What TrackTableModel computes per track, made beforehand (any thread: no Qt objects)."""

    search: list[str]
    order: list[int]
    sort: tuple[int, Qt.SortOrder] | None
    sort_keys: dict[int, list[Any]] = field(default_factory=dict)


def prepare_tracks(tracks: Sequence[Track], sort: tuple[int, Qt.SortOrder] | None,
                   columns: Sequence[Column] = COLUMNS) -> PreparedTracks:
    """Search strings and the order for sort (column, order) of tracks."""
    search = [search_text(t) for t in tracks]
    order = list(range(len(tracks)))
    keys: dict[int, list[Any]] = {}
    if sort is not None:
        column, direction = sort
        keys[column] = [columns[column][2](t) for t in tracks]
        order.sort(key=keys[column].__getitem__, reverse=direction == Qt.SortOrder.DescendingOrder)
    return PreparedTracks(search, order, sort, keys)


class TrackTableModel(TrackDragSource, QAbstractTableModel):
    """UserRole returns the Track itself. Rows are the tracks that pass the filter, sorted.
    Dragging rows carries their track ids (playlist_mime), so a playlist can take them."""

    def __init__(self, tracks: Sequence[Track] | None = None) -> None:
        super().__init__()
        self.columns: list[Column] = list(COLUMNS)  # a subclass may add its own
        self._tracks: list[Track] = []
        self._search: list[str] = []
        self._rows: list[int] = []  # indexes into _tracks, in display order
        self._order: list[int] = []  # every index, in the current sort order
        self._words: list[str] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._sort_keys: dict[int, list[Any]] = {}
        self._current_id: int | None = None
        self._empty: dict[int, bool] = {}  # column -> no track has a value in it
        self._longest: dict[int, list[str]] = {}  # column -> its longest texts (a sample)
        self.generation = 0  # changes with the tracks (not with the filter or the sort)
        if tracks:
            self.set_tracks(tracks)

    # -- contents --------------------------------------------------------------------------
    def set_tracks(self, tracks: Sequence[Track], prepared: PreparedTracks | None = None) -> None:
        """prepared: the same tracks' search strings and sorted order, computed off the GUI
        thread (prepare_tracks); used when it was sorted the way this model is."""
        if prepared is None or prepared.sort != self._sort:
            prepared = prepare_tracks(tracks, self._sort, self.columns)
        self.beginResetModel()
        self._empty = {}
        self._longest = {}
        self.generation += 1
        self._tracks = list(tracks)
        self._search = prepared.search
        self._sort_keys = dict(prepared.sort_keys)
        self._order = prepared.order
        self._rows = rows_matching(self._search, self._words, self._order)
        self.endResetModel()

    @property
    def sort_state(self) -> tuple[int, Qt.SortOrder] | None:
        return self._sort

    def track_at(self, row: int) -> Track:
        return self._tracks[self._rows[row]]

    def tracks(self) -> list[Track]:
        """The visible tracks, in display order."""
        return [self._tracks[i] for i in self._rows]

    def all_tracks(self) -> list[Track]:
        return list(self._tracks)

    def shown_tracks(self) -> list[Track]:
        """The tracks the filter lets through, in the order shown."""
        return [self._tracks[i] for i in self._rows]

    def total(self) -> int:
        """How many tracks the model holds, shown or filtered out."""
        return len(self._tracks)

    def column_is_empty(self, column: int) -> bool:
        """Whether no track (shown or filtered out) has a value in column."""
        empty = self._empty.get(column)
        if empty is None:  # once per set_tracks: a keystroke's filter must not rescan
            empty = self._empty[column] = not any(map(self.columns[column][1], self._tracks))
        return empty

    def longest_texts(self, column: int, sample: int = 5000, keep: int = 40) -> list[str]:
        """The longest texts of column (by characters) among up to sample tracks spread over
        the list: what a view measures to size the column, once per set_tracks."""
        texts = self._longest.get(column)
        if texts is None:
            step = max(1, len(self._tracks) // sample)
            shown = self.columns[column][1]
            texts = sorted({shown(t) for t in self._tracks[::step]}, key=len, reverse=True)[:keep]
            self._longest[column] = texts
        return texts

    def row_of(self, track_id: int) -> int:
        for row, i in enumerate(self._rows):
            if self._tracks[i].id == track_id:
                return row
        return -1

    def set_current(self, track_id: int | None) -> None:
        """Marks the playing track (shown in bold)."""
        self._current_id = track_id
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0),
                                  [Qt.ItemDataRole.FontRole])

    # -- filter ----------------------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        """Keeps the tracks whose title, artist, album or genre contain every word of text."""
        words = filter_words(text)
        if words == self._words:
            return
        # Typing on only narrows: search the rows shown now instead of every track. Both
        # lists are in sort order, so the result is too.
        narrowing = all(any(old in w for w in words) for old in self._words)
        candidates = self._rows if narrowing else self._order
        self.beginResetModel()
        self._rows = rows_matching(self._search, words, candidates)
        self._words = words
        self.endResetModel()

    def filter_text(self) -> str:
        return " ".join(self._words)

    # -- sorting ---------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_tracks = [self._rows[p.row()] if p.row() < len(self._rows) else -1
                      for p in old_persistent]
        self._sort = (column, order)
        self._apply_sort()
        self._rows = rows_matching(self._search, self._words, self._order)
        position = {track: row for row, track in enumerate(self._rows)}
        new_persistent = [
            self.index(position[t], p.column()) if t in position else QModelIndex()
            for p, t in zip(old_persistent, old_tracks, strict=True)
        ]
        self.changePersistentIndexList(old_persistent, new_persistent)
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        if self._sort is None:
            return
        column, order = self._sort
        keys = self._sort_keys.get(column)
        if keys is None:
            key_of = self.columns[column][2]
            keys = self._sort_keys[column] = [key_of(t) for t in self._tracks]
        self._order.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)

    # -- QAbstractTableModel ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        track = self._tracks[self._rows[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[index.column()][1](track)
        if role == Qt.ItemDataRole.UserRole:
            return track
        if role == Qt.ItemDataRole.ToolTipRole:
            return track.path
        if role == Qt.ItemDataRole.FontRole and track.id == self._current_id:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.columns)):
            return self.columns[section][0]
        return None

    def dragged_track_ids(self, rows: list[int]) -> Iterable[int]:
        return (self.track_at(r).id for r in rows)
