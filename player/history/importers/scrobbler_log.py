"""Rockbox-style .scrobbler.log (#AUDIOSCROBBLER/1.1).

After the header, tab-separated: artist, album, title, track number, duration (s), rating
(L listened, S skipped), timestamp, recording MBID. With #TZ/UNKNOWN the timestamps are the
device's wall-clock time, so they are converted with the zone the user gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from player.history.importers.base import (
    ImportedListen,
    Rejected,
    Row,
    guarded,
    origin_key,
    time_problem,
)
from player.history.importers.context import ReadContext

NAME = "scrobbler_log"


def looks_like(head_lines: list[str]) -> bool:
    return bool(head_lines) and head_lines[0].lstrip("\ufeff").startswith("#AUDIOSCROBBLER/")


def read(lines: Iterable[str], ctx: ReadContext) -> Iterator[Row]:
    local_time = True
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if line.startswith("#"):
            if line.upper().startswith("#TZ/"):
                local_time = line[4:].strip().upper() != "UTC"
            continue
        if not line.strip():
            continue
        yield _row(line.split("\t"), local_time, ctx, ctx.where(number))


@guarded
def _row(parts: list[str], local_time: bool, ctx: ReadContext, where: str) -> Row:
    if len(parts) < 7:
        return Rejected(f"expected at least 7 tab-separated fields, found {len(parts)}", where)
    artist, album, title, _number, duration, rating, stamp = (p.strip() for p in parts[:7])
    mbid = parts[7].strip() if len(parts) > 7 else ""
    try:
        when = float(stamp)
        seconds = float(duration) if duration else None
    except ValueError:
        return Rejected(f"unreadable timestamp or duration {stamp!r} / {duration!r}", where)
    written = when
    if local_time:
        when = ctx.offsets.local_to_utc(when)
    problem = time_problem(when) or ("" if artist and title else "no artist or title")
    if problem:
        return Rejected(problem, where)
    skipped = rating.upper() == "S"
    # The key uses the time as written: with #TZ/UNKNOWN that is the device's wall clock, so
    # the same file imported again with another --tz is the same listens, not new ones.
    key = origin_key("scrobbler-local" if local_time else "scrobbler", "", written, artist, title)
    return ImportedListen(
        user="", started_at=when, utc_offset_min=ctx.offsets(when), ms_played=None,
        duration_ms=int(seconds * 1000) if seconds else None, artist=artist, title=title,
        album=album, mbid=mbid, skipped=skipped, end_reason="skipped" if skipped else None,
        origin="scrobbler", origin_key=key,
    )
