"""A table model over a plain list of core.Track."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from player.core.models import Track

Index = QModelIndex | QPersistentModelIndex


def _length(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


COLUMNS: list[tuple[str, Any]] = [
    ("Title", lambda t: t.title),
    ("Artist", lambda t: t.artist),
    ("Album", lambda t: t.album),
    ("Genre", lambda t: t.genre),
    ("Year", lambda t: t.year or ""),
    ("Length", lambda t: _length(t.duration)),
]


class TrackTableModel(QAbstractTableModel):
    """UserRole returns the Track itself."""

    def __init__(self, tracks: list[Track] | None = None) -> None:
        super().__init__()
        self._tracks: list[Track] = list(tracks or [])

    def set_tracks(self, tracks: list[Track]) -> None:
        self.beginResetModel()
        self._tracks = list(tracks)
        self.endResetModel()

    def track_at(self, row: int) -> Track:
        return self._tracks[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tracks)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tracks):
            return None
        track = self._tracks[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(COLUMNS[index.column()][1](track))
        if role == Qt.ItemDataRole.UserRole:
            return track
        if role == Qt.ItemDataRole.ToolTipRole:
            return track.path
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None
