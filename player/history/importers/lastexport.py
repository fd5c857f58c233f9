"""lastexport.py's TSV: `uts  title  artist  album  track_mbid  artist_mbid  album_mbid`, no header."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from player.history.importers.base import ImportedListen, Rejected, Row, origin_key, time_problem
from player.history.importers.context import ReadContext

NAME = "lastexport"


def looks_like(head_lines: list[str]) -> bool:
    parts = head_lines[0].rstrip("\r\n").split("\t") if head_lines else []
    return 4 <= len(parts) <= 7 and parts[0].strip().isdigit() and len(parts[0].strip()) >= 9


def read(lines: Iterable[str], ctx: ReadContext) -> Iterator[Row]:
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 4:
            yield Rejected(f"expected at least 4 tab-separated fields, found {len(parts)}", ctx.where(number))
            continue
        parts += [""] * (7 - len(parts))
        uts, title, artist, album, track_mbid = parts[0], parts[1].strip(), parts[2].strip(), parts[3].strip(), parts[4].strip()
        try:
            when = float(uts)
        except ValueError:
            yield Rejected(f"unreadable timestamp {uts!r}", ctx.where(number))
            continue
        problem = time_problem(when) or ("" if artist and title else "no artist or title")
        if problem:
            yield Rejected(problem, ctx.where(number))
            continue
        yield ImportedListen(
            user="", started_at=when, utc_offset_min=ctx.offsets(when), ms_played=None,
            duration_ms=None, artist=artist, title=title, album=album, mbid=track_mbid,
            skipped=None, end_reason=None, origin="lastfm",
            origin_key=origin_key("lastfm", "", when, artist, title),
        )
