"""Spotify account data (StreamingHistory*.json): endTime in minutes (UTC), msPlayed.

The podcast files of the same export (podcastName / episodeName) are not music.
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

NAME = "spotify_account"


def looks_like(record: dict[str, Any]) -> bool:
    return "endTime" in record and ("msPlayed" in record or "trackName" in record or "episodeName" in record)


def read(records: Iterable[Any], ctx: ReadContext) -> Iterator[Row]:
    return json_object_rows(records, ctx, lambda record, where: _row(record, ctx, where))


def _row(record: dict[str, Any], ctx: ReadContext, where: str) -> Row:
    try:
        ended = parse_iso_utc(str(record["endTime"]))
        ms_played = int(record["msPlayed"])
    except (KeyError, TypeError, ValueError):
        return Rejected("missing or unreadable endTime / msPlayed", where)
    started = ended - max(ms_played, 0) / 1000.0
    is_music = "podcastName" not in record and "episodeName" not in record
    if is_music:
        artist, title = str(record.get("artistName") or "").strip(), str(record.get("trackName") or "").strip()
    else:
        artist = str(record.get("podcastName") or "").strip()
        title = str(record.get("episodeName") or "").strip()
    problem = time_problem(started) or ("" if (artist and title) or not is_music else "no artist or title")
    if problem:
        return Rejected(problem, where)
    return ImportedListen(
        user="", started_at=started, utc_offset_min=ctx.offsets(started), ms_played=ms_played,
        duration_ms=None, artist=artist, title=title, album="", mbid="", skipped=None,
        end_reason=None, origin="spotify",
        origin_key=origin_key("spotify-account", "", ended, artist, title, ms_played), is_music=is_music,
    )
