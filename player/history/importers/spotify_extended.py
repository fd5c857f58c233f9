"""Spotify extended streaming history (Streaming_History_Audio_*.json, a JSON array).

`ts` is when the play ENDED (UTC), so the listen started ms_played earlier. Podcast episodes
and audiobook chapters are kept apart as not music.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from player.history.importers.base import (
    ImportedListen,
    Rejected,
    Row,
    origin_key,
    parse_iso_utc,
    time_problem,
)
from player.history.importers.context import ReadContext, json_object_rows

NAME = "spotify_extended"
_SKIP_REASONS = {"fwdbtn"}  # the user pressed next
_FINISHED_REASONS = {"trackdone"}
_NOT_MUSIC_FIELDS = ("episode_name", "spotify_episode_uri", "audiobook_title", "audiobook_uri",
                     "audiobook_chapter_title", "audiobook_chapter_uri")


def looks_like(record: dict[str, Any]) -> bool:
    return "ts" in record and "ms_played" in record


def read(records: Iterable[Any], ctx: ReadContext) -> Iterator[Row]:
    return json_object_rows(records, ctx, lambda record, where: _row(record, ctx, where))


def _skipped(record: dict[str, Any]) -> bool | None:
    value = record.get("skipped")
    if value is not None:
        return bool(value)
    reason = record.get("reason_end")
    if reason in _SKIP_REASONS:
        return True
    return False if reason in _FINISHED_REASONS else None


def _row(record: dict[str, Any], ctx: ReadContext, where: str) -> Row:
    try:
        ended = parse_iso_utc(record["ts"])
        ms_played = int(record["ms_played"])
        # Values are str or null in real exports; anything else is a damaged row (except below).
        artist = (record.get("master_metadata_album_artist_name") or "").strip()
        title = (record.get("master_metadata_track_name") or "").strip()
        album = (record.get("master_metadata_album_album_name") or "").strip()
        user = (record.get("username") or "").strip()
    except (KeyError, TypeError, ValueError, AttributeError):
        return Rejected("missing or unreadable ts / ms_played", where)
    if ms_played < 0:
        return Rejected(f"negative ms_played {ms_played}", where)
    started = ended - ms_played / 1000.0
    is_music = True
    if not title and any(record.get(k) for k in _NOT_MUSIC_FIELDS):
        is_music = False
        artist = str(record.get("episode_show_name") or record.get("audiobook_title") or "").strip()
        title = str(record.get("episode_name") or record.get("audiobook_chapter_title") or "").strip()
    problem = time_problem(started) or ("" if (artist and title) or not is_music else "no artist or title")
    if problem:
        return Rejected(problem, where)
    reason_end = record.get("reason_end")
    return ImportedListen(
        user, started, ctx.offsets(started), ms_played, None, artist, title, album, "",
        _skipped(record), reason_end if isinstance(reason_end, str) else None,
        "spotify", origin_key("spotify", user, ended, artist, title, ms_played), is_music,
    )
