"""Drag-and-drop payloads for tracks.

`application/x-encore-track-ids`: UTF-8 JSON list of track ids, e.g. `[12, 7, 31]`. Any view
that shows tracks can put it on a drag (see `track_ids_mime`), and playlists accept it.
`application/x-encore-playlist-rows`: JSON list of row numbers, for reordering inside a playlist.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from PySide6.QtCore import QMimeData

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
