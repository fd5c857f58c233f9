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
from player.history.importers.context import ReadContext

NAME = "spotify_extended"
_SKIP_REASONS = {"fwdbtn"}  # the user pressed next
_FINISHED_REASONS = {"trackdone"}
_NOT_MUSIC_FIELDS = ("episode_name", "spotify_episode_uri", "audiobook_title", "audiobook_uri",
                     "audiobook_chapter_title", "audiobook_chapter_uri")


def looks_like(record: dict[str, Any]) -> bool:
    return "ts" in record and "ms_played" in record


def read(records: Iterable[Any], ctx: ReadContext) -> Iterator[Row]:
    for number, record in enumerate(records, 1):
        if isinstance(record, Rejected):
            yield record
        elif not isinstance(record, dict):
            yield Rejected("a record is not a JSON object", f"{ctx.name} record {number}")
        else:
            yield _row(record, ctx, f"{ctx.name} record {number}")


def _text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    return value.strip() if isinstance(value, str) else ""


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
        ended = parse_iso_utc(str(record["ts"]))
        ms_played = int(record["ms_played"])
    except (KeyError, TypeError, ValueError):
        return Rejected("missing or unreadable ts / ms_played", where)
    if ms_played < 0:
        return Rejected(f"negative ms_played {ms_played}", where)
    started = ended - ms_played / 1000.0
    artist = _text(record, "master_metadata_album_artist_name")
    title = _text(record, "master_metadata_track_name")
    is_music = True
    if not title and any(record.get(k) for k in _NOT_MUSIC_FIELDS):
        is_music = False
        artist = _text(record, "episode_show_name") or _text(record, "audiobook_title")
        title = _text(record, "episode_name") or _text(record, "audiobook_chapter_title")
    problem = time_problem(started) or ("" if (artist and title) or not is_music else "no artist or title")
    if problem:
        return Rejected(problem, where)
    user = _text(record, "username")
    reason_end = record.get("reason_end")
    return ImportedListen(
        user=user, started_at=started, utc_offset_min=ctx.offsets(started), ms_played=ms_played,
        duration_ms=None, artist=artist, title=title,
        album=_text(record, "master_metadata_album_album_name"), mbid="",
        skipped=_skipped(record), end_reason=reason_end if isinstance(reason_end, str) else None,
        origin="spotify", origin_key=origin_key("spotify", user, ended, artist, title),
        is_music=is_music,
    )
