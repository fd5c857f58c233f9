"""The Last.fm-1K research dataset: `user  timestamp  artist_mbid  artist  track_mbid  track`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from player.history.importers.base import (
    ImportedListen,
    Rejected,
    Row,
    origin_key,
    parse_iso_utc,
    time_problem,
)
from player.history.importers.context import ReadContext

NAME = "lastfm1k"


def looks_like(head_lines: list[str]) -> bool:
    """Six tab-separated fields with an ISO timestamp second."""
    parts = head_lines[0].rstrip("\r\n").split("\t") if head_lines else []
    return len(parts) == 6 and len(parts[1]) >= 19 and parts[1][4] == "-" and parts[1][10] == "T"


def read(lines: Iterable[str], ctx: ReadContext) -> Iterator[Row]:
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 6:
            yield Rejected(f"expected 6 tab-separated fields, found {len(parts)}", ctx.where(number))
            continue
        user, stamp, _artist_mbid, artist, track_mbid, title = parts
        try:
            when = parse_iso_utc(stamp)
        except ValueError:
            yield Rejected(f"unreadable timestamp {stamp!r}", ctx.where(number))
            continue
        problem = time_problem(when) or ("" if artist.strip() and title.strip() else "no artist or title")
        if problem:
            yield Rejected(problem, ctx.where(number))
            continue
        yield ImportedListen(
            user=user, started_at=when, utc_offset_min=ctx.offsets(when), ms_played=None,
            duration_ms=None, artist=artist, title=title, album="", mbid=track_mbid.strip(),
            skipped=None, end_reason=None, origin="lastfm",
            origin_key=origin_key("lastfm", user, when, artist, title),
        )
