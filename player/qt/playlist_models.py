"""Item models for playlists: the list of playlists, and one playlist's tracks.

They hold plain lists and never touch the database; drops become signals that the view turns
into repository calls (then reloads the model).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from player.core.models import Track
from player.db.playlists import Playlist
from player.qt.playlist_mime import (
    PLAYLIST_ROWS_MIME,
    TRACK_IDS_MIME,
    decode_playlist_rows,
    decode_track_ids,
    track_ids_mime,
)
from player.qt.track_model import TrackTableModel

Index = QModelIndex | QPersistentModelIndex
_KIND_MARK = {"liked": "\u2665 ", "smart": "\u2726 ", "user": "\u266b "}


class PlaylistListModel(QAbstractListModel):
    """UserRole returns the Playlist. Dropping track ids on a playlist emits tracks_dropped."""

    tracks_dropped = Signal(int, list)  # playlist id, track ids

    def __init__(self) -> None:
        super().__init__()
        self._playlists: list[Playlist] = []
        self._counts: dict[int, str] = {}

    def set_playlists(self, playlists: list[Playlist], tooltips: dict[int, str] | None = None) -> None:
        self.beginResetModel()
        self._playlists = list(playlists)
        self._counts = dict(tooltips or {})
        self.endResetModel()

    def playlist_at(self, row: int) -> Playlist:
        return self._playlists[row]

    def row_of(self, playlist_id: int) -> int:
        return next((r for r, p in enumerate(self._playlists) if p.id == playlist_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._playlists)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._playlists):
            return None
        playlist = self._playlists[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _KIND_MARK.get(playlist.kind, "") + playlist.name
        if role == Qt.ItemDataRole.EditRole:
            return playlist.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._counts.get(playlist.id, playlist.name)
        if role == Qt.ItemDataRole.UserRole:
            return playlist
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self._playlists[index.row()].kind in ("user", "liked"):
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [TRACK_IDS_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return (parent.isValid() and data.hasFormat(TRACK_IDS_MIME)
                and self._playlists[parent.row()].kind in ("user", "liked"))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        ids = decode_track_ids(data)
        if ids:
            self.tracks_dropped.emit(self._playlists[parent.row()].id, ids)
        return bool(ids)


class PlaylistTracksModel(TrackTableModel):
    """One playlist's entries. Dragging rows carries their track ids (and rows, for reordering).

    Dropping emits rows_moved(rows, destination) for rows of this playlist, else
    tracks_dropped(track ids, destination); destination is a row (rowCount() means the end).
    """

    rows_moved = Signal(list, int)
    tracks_dropped = Signal(list, int)

    def __init__(self) -> None:
        super().__init__()
        self.editable = False  # user playlists only: smart and liked ones are not reordered

    def tracks(self) -> list[Track]:
        return [self.track_at(r) for r in range(self.rowCount())]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)  # the entry's position in the playlist
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index) | Qt.ItemFlag.ItemIsDragEnabled
        if self.editable and not index.isValid():
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [TRACK_IDS_MIME, PLAYLIST_ROWS_MIME]

    def mimeData(self, indexes: Any) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return track_ids_mime([self.track_at(r).id for r in rows], rows)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return self.editable and data.hasFormat(TRACK_IDS_MIME)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        destination = row if row >= 0 else (parent.row() if parent.isValid() else self.rowCount())
        rows = decode_playlist_rows(data)
        if rows and action == Qt.DropAction.MoveAction:
            self.rows_moved.emit(rows, destination)
        else:
            self.tracks_dropped.emit(decode_track_ids(data), destination)
        return False  # the view reloads the model; Qt must not remove the dragged rows itself
