"""Last.fm CSV from the common exporters.

Two shapes: with a header naming uts / utc_time / artist / album / track (lastfm.ghan.nl and
similar), or headerless `artist,album,track,date` with dates like "31 Jan 2021 12:34"
(benjaminbenben's lastfm-to-csv). Last.fm times are UTC.
"""

from __future__ import annotations

import calendar
import csv
import re
from collections.abc import Iterable, Iterator

from player.history.importers.base import (
    ImportedListen,
    Rejected,
    Row,
    guarded,
    origin_key,
    parse_iso_utc,
    time_problem,
)
from player.history.importers.context import ReadContext

NAME = "lastfm_csv"
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_DATE = re.compile(r"\s*(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_ALIASES = {
    "uts": "uts", "timestamp": "uts", "date_uts": "uts",
    "utc_time": "time", "date": "time", "time": "time", "date_text": "time",
    "artist": "artist", "artist_name": "artist",
    "album": "album", "album_name": "album",
    "track": "title", "title": "title", "track_name": "title", "name": "title",
    "track_mbid": "mbid", "mbid": "mbid", "recording_mbid": "mbid",
}


def parse_date(text: str) -> float:
    """'31 Jan 2021 12:34', '31 Jan 2021, 12:34:56' or ISO 8601 -> UTC epoch seconds."""
    found = _DATE.match(text)
    if found:
        day, month, year, hour, minute, second = found.groups()
        month_number = _MONTHS.get(month.lower())
        if month_number is None:
            raise ValueError(text)
        return float(calendar.timegm((int(year), month_number, int(day), int(hour), int(minute),
                                      int(second or 0), 0, 0, 0)))
    return parse_iso_utc(text)


def _header(fields: list[str]) -> dict[str, int] | None:
    names = {_ALIASES.get(f.strip().lower()): i for i, f in enumerate(fields)}
    names.pop(None, None)
    columns = {k: v for k, v in names.items() if k is not None}
    if "artist" in columns and "title" in columns and ("uts" in columns or "time" in columns):
        return columns
    return None


def looks_like(head_lines: list[str]) -> bool:
    if not head_lines:
        return False
    first = next(csv.reader([head_lines[0]]), [])
    if _header(first) is not None:
        return True
    if len(first) != 4:
        return False
    try:
        parse_date(first[3])
    except ValueError:
        return False
    return True


def read(lines: Iterable[str], ctx: ReadContext) -> Iterator[Row]:
    rows = csv.reader(lines)
    columns: dict[str, int] | None = None
    number = 0
    while True:
        number += 1
        try:
            fields = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a quoted field over the csv module's size limit
            yield Rejected(f"unreadable CSV ({exc})", ctx.where(number))
            continue
        if not fields or not any(f.strip() for f in fields):
            continue
        if number == 1 and (header := _header(fields)) is not None:
            columns = header
            continue
        yield _row(fields, columns, ctx, ctx.where(number))


@guarded
def _row(fields: list[str], columns: dict[str, int] | None, ctx: ReadContext, where: str) -> Row:
    def get(key: str, default_index: int) -> str:
        index = columns.get(key, -1) if columns is not None else default_index
        return fields[index].strip() if 0 <= index < len(fields) else ""

    artist, album, title = get("artist", 0), get("album", 1), get("title", 2)
    uts, text = get("uts", -1), get("time", 3)
    try:
        when = float(uts) if uts else parse_date(text)
    except ValueError:
        return Rejected(f"unreadable date {(uts or text)!r}", where)
    problem = time_problem(when) or ("" if artist and title else "no artist or title")
    if problem:
        return Rejected(problem, where)
    return ImportedListen(
        user="", started_at=when, utc_offset_min=ctx.offsets(when), ms_played=None,
        duration_ms=None, artist=artist, title=title, album=album, mbid=get("mbid", -1),
        skipped=None, end_reason=None, origin="lastfm",
        origin_key=origin_key("lastfm", "", when, artist, title),
    )
