"""Drag-and-drop payloads for tracks.

`application/x-encore-track-ids`: UTF-8 JSON list of track ids, e.g. `[12, 7, 31]`. Any view
that shows tracks can put it on a drag (see `track_ids_mime`), and playlists accept it.
`application/x-encore-playlist-rows`: JSON list of row numbers, for reordering inside a playlist.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt

TRACK_IDS_MIME = "application/x-encore-track-ids"
PLAYLIST_ROWS_MIME = "application/x-encore-playlist-rows"


def track_ids_mime(track_ids: Iterable[int], rows: Iterable[int] | None = None) -> QMimeData:
    mime = QMimeData()
    mime.setData(TRACK_IDS_MIME, json.dumps([int(i) for i in track_ids]).encode("utf-8"))
    if rows is not None:
        mime.setData(PLAYLIST_ROWS_MIME, json.dumps(sorted(int(r) for r in rows)).encode("utf-8"))
    return mime


def _ints(mime: QMimeData, kind: str) -> list[int]:
    if not mime.hasFormat(kind):
        return []
    try:
        values = json.loads(bytes(mime.data(kind).data()).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return []  # a foreign or damaged payload is ignored, not a crash
    if not isinstance(values, list):
        return []
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def decode_track_ids(mime: QMimeData) -> list[int]:
    return _ints(mime, TRACK_IDS_MIME)


def decode_playlist_rows(mime: QMimeData) -> list[int]:
    return _ints(mime, PLAYLIST_ROWS_MIME)


if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractItemModel as _ModelBase
else:
    _ModelBase = object  # a mixin: the Qt model class comes after it in the bases


class TrackDragSource(_ModelBase):
    """Rows of a model dragged as their tracks' ids (list it before the Qt model class)."""

    def dragged_track_ids(self, rows: list[int]) -> Iterable[int]:
        raise NotImplementedError

    def drags(self) -> bool:
        """Whether rows can be dragged at all (a model may know no tracks for its rows)."""
        return True

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() and self.drags() else flags

    def mimeTypes(self) -> list[str]:
        return [TRACK_IDS_MIME]

    def mimeData(self, indexes: Any) -> QMimeData:
        """The dragged rows' track ids in row order (a selection holds each row once per
        column)."""
        return track_ids_mime(self.dragged_track_ids(sorted({i.row() for i in indexes if i.isValid()})))

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction
