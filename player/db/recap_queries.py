"""SQL for the yearly recap: the year's listens as compact numpy columns, and small lookups.

Everything here is read only. The heavy query reads every listen of the year (in start order,
through the listen_started index), packs each into one int64 and hands them over as text,
a month's worth per row (see _packed_text); every statistic is then computed by the pure
functions in player/recap/.

Definitions applied here (PRODUCT.md, "Listening history: definitions"):
- A listen belongs to the year of its LOCAL start time: started_at (UTC) + utc_offset_min.
- Heard time: ms_played; an imported scrobble with unknown ms_played counts as heard in full,
  i.e. the listen's duration_ms, else the library track's duration, else DEFAULT_SCROBBLE_MS.
- A play: heard >= 30 s, or >= 50% of a track shorter than 60 s; a scrobble (ms_played NULL)
  is always a play (scrobblers only submit plays).
- A skip: the listen's is_skip flag, written by the history logger / importer with PRODUCT's
  definition (ended by the user before 50%).
- Track identity (the "key"): the library track id when the listen, or the imported track it
  was matched to, is in the library; otherwise -external_track.id; 0 when the track is gone.
"""

from __future__ import annotations

import calendar
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from player.core import rules
from player.db.connection import Database
from player.db.import_runs import heard

_VISIBLE = heard("l")  # not the rows of an import still being written

DEFAULT_SCROBBLE_MS = rules.SCROBBLE_HEARD_MS  # for scrobbles of unknown length
MAX_OFFSET_S = 14 * 3600  # UTC offsets span -12:00 .. +14:00

_DURATION = (
    "COALESCE(l.duration_ms, (SELECT CAST(t.duration * 1000 AS INTEGER) FROM track t "
    "WHERE t.id = l.track_id AND t.duration > 0))"
)
_KEY = (
    "COALESCE(l.track_id, (SELECT e.track_id FROM external_track e WHERE e.id = l.external_id), "
    "-l.external_id, 0)"
)
_HEARD = f"COALESCE(l.ms_played, {_DURATION}, {DEFAULT_SCROBBLE_MS})"
# The play rule is the rulebook's (core/rules.py); a scrobble (ms_played NULL) is a play.
_IS_PLAY = (
    f"CASE WHEN l.ms_played IS NULL THEN 1 WHEN {rules.sql_is_play('l.ms_played', _DURATION)} "
    "THEN 1 ELSE 0 END"
)
# Offsets beyond the real range (-12:00..+14:00, allowing 14 h both ways) are clamped.
_OFFSET = "MAX(MIN(l.utc_offset_min, 840), -840)"
_LOCAL = f"CAST(l.started_at + {_OFFSET} * 60 AS INTEGER)"


# One int64 per listen (plus its UTC offset): what crosses into Python is the dominant cost.
# bits 38..62 local seconds since the year began + 2 * MAX_OFFSET_S (< 2**25: a leap year
# and the 28 h margins on either side are 31,824,000 s)
# bits 24..37 heard seconds (rounded, at most MAX_HEARD_S), bits 2..23 key + KEY_BIAS, bits 0..1
# flags (1 play, 2 skip). Keys outside +-KEY_BIAS fall back to a slower unpacked query.
MAX_HEARD_S = (1 << 14) - 1  # 4 h 33 min: one listen never counts for more (stuck listens)
KEY_BIAS = 1 << 21
_HEARD_S = f"MIN(({_HEARD} + 500) / 1000, {MAX_HEARD_S})"
_FLAGS = f"({_IS_PLAY} + 2 * (l.is_skip != 0))"


@dataclass(frozen=True, slots=True)
class ListenColumns:
    """One entry per listen of the year, in start order."""

    local_s: np.ndarray  # int64 local start, seconds since the local start of the year
    heard_s: np.ndarray  # int64 heard seconds (rounded to the second, capped at MAX_HEARD_S)
    key: np.ndarray  # int64 track key (see module docstring)
    offset_min: np.ndarray  # int64 the listen's UTC offset (local - UTC), minutes
    is_play: np.ndarray  # bool
    is_skip: np.ndarray  # bool


def local_year_span(year: int) -> tuple[int, int]:
    """[start, end) of the year in local seconds (a naive calendar, as timegm counts)."""
    return calendar.timegm((year, 1, 1, 0, 0, 0)), calendar.timegm((year + 1, 1, 1, 0, 0, 0))


def _year_where(year: int) -> tuple[str, tuple[int, int, int, int]]:
    lo, hi = local_year_span(year)
    where = (f"l.started_at >= ? AND l.started_at < ? AND {_LOCAL} >= ? AND {_LOCAL} < ? "
             f"AND {_VISIBLE}")
    return where, (lo - MAX_OFFSET_S, hi + MAX_OFFSET_S, lo, hi)


def year_listens(db: Database, year: int, batch: int = 20000) -> ListenColumns:
    """The year's listens as numpy columns (one SQL pass over the started_at index)."""
    biggest = max(int(db.scalar("SELECT COALESCE(MAX(id), 0) FROM track")),
                  int(db.scalar("SELECT COALESCE(MAX(id), 0) FROM external_track")))
    if biggest >= KEY_BIAS:
        return _year_listens_unpacked(db, year, batch)
    table = _packed_text(db, year)
    if table is None:
        table = _packed_rows(db, year, batch)
    local = (table[:, 0] >> 38) - 2 * MAX_OFFSET_S
    inside = (local >= 0) & (local < _year_length(year))
    value = table[inside, 0]
    return ListenColumns(
        local_s=local[inside],
        offset_min=table[inside, 1],
        heard_s=(value >> 24) & MAX_HEARD_S,
        key=((value >> 2) & (2 * KEY_BIAS - 1)) - KEY_BIAS,
        is_play=(value & 1).astype(bool),
        is_skip=(value & 2).astype(bool),
    )


def _packed(year: int) -> str:
    """The packed int64 of a listen (see above): local time relative to 28 h before the year."""
    origin = local_year_span(year)[0] - 2 * MAX_OFFSET_S
    return (f"(({_LOCAL} - {origin}) << 38) | {_PACKED_REST}")


_PACKED_REST = f"({_HEARD_S} << 24) | (({_KEY} + {KEY_BIAS}) << 2) | {_FLAGS}"
# Days per text chunk: bounds the text SQLite builds (about 20 bytes a listen) per query.
_CHUNK_S = 31 * 86400


def _packed_text(db: Database, year: int) -> np.ndarray | None:
    """(packed, offset) per listen in start order, or None when the text did not check out.

    Crossing into Python once per listen is the dominant cost of a row-by-row fetch, so SQLite
    joins each chunk's values into one comma-separated text (group_concat over the rows in
    index order: started_at, then id) and numpy parses it. Checked: as many values as rows,
    and start times never decreasing (else the caller falls back to the row-by-row fetch).

    SQLite packs the UTC second (CAST(started_at AS INTEGER), cheaper than the local time)
    and the raw offset; numpy clamps the offset and adds it, which is _LOCAL exactly for
    integer offsets and start times after 1970 (an integer added to a double of this size is
    exact unless the sum crosses a power of two, e.g. in January 2038, within 1e-6 s of a whole
    second)."""
    lo, hi = _utc_span(year)
    if lo < 0:
        return None
    inner = (f"SELECT ((CAST(l.started_at AS INTEGER) - {lo}) << 38) | {_PACKED_REST} AS p, "
             "l.utc_offset_min AS o FROM listen l "
             f"WHERE l.started_at >= ? AND l.started_at < ? AND {_VISIBLE} ORDER BY l.started_at, l.id")
    sql = f"SELECT COUNT(*), group_concat(p), group_concat(o) FROM ({inner})"
    packed: list[np.ndarray] = []
    offsets: list[np.ndarray] = []
    for start in range(lo, hi, _CHUNK_S):
        count, p_text, o_text = db.query(sql, (start, min(start + _CHUNK_S, hi)))[0]
        if not count:
            continue
        if not isinstance(p_text, str) or not isinstance(o_text, str):
            return None
        try:  # a value that is not a plain integer (a REAL offset, say) fails the parse
            p = np.fromstring(p_text, dtype=np.int64, sep=",")
            o = np.fromstring(o_text, dtype=np.int64, sep=",")
        except ValueError:
            return None
        if p.shape[0] != count or o.shape[0] != count:
            return None
        packed.append(p)
        offsets.append(o)
    if not packed:
        return np.zeros((0, 2), dtype=np.int64)
    value = np.concatenate(packed)
    offset = np.clip(np.concatenate(offsets), -MAX_OFFSET_S // 60, MAX_OFFSET_S // 60)
    utc = value >> 38
    if utc.shape[0] > 1 and bool((utc[1:] < utc[:-1]).any()):
        return None
    # UTC relative to lo = year start - MAX_OFFSET_S -> local relative to year start - 2 * it.
    value += (60 * offset + MAX_OFFSET_S) << 38
    return np.stack((value, offset), axis=1)


def _packed_rows(db: Database, year: int, batch: int) -> np.ndarray:
    """(packed, offset) per listen in start order, one row at a time (the slower, plain way)."""
    # Only the UTC range in SQL (computing local time once per row); the few listens of the
    # margins whose local time falls outside the year are dropped by the caller.
    rows = db.iterate(f"SELECT {_packed(year)}, {_OFFSET} FROM listen l "
                      f"WHERE l.started_at >= ? AND l.started_at < ? AND {_VISIBLE} "
                      "ORDER BY l.started_at, l.id", _utc_span(year), batch=batch)
    return np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64).reshape(-1, 2)


def _utc_span(year: int) -> tuple[int, int]:
    lo, hi = local_year_span(year)
    return lo - MAX_OFFSET_S, hi + MAX_OFFSET_S


def _year_length(year: int) -> int:
    lo, hi = local_year_span(year)
    return hi - lo


def _year_listens_unpacked(db: Database, year: int, batch: int) -> ListenColumns:
    lo, _ = local_year_span(year)
    where, params = _year_where(year)
    rows = db.iterate(f"SELECT {_LOCAL} - {lo}, {_HEARD_S}, {_KEY}, {_FLAGS}, {_OFFSET} "
                      f"FROM listen l WHERE {where} ORDER BY l.started_at, l.id", params, batch=batch)
    table = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64).reshape(-1, 5)
    return ListenColumns(local_s=table[:, 0].copy(), heard_s=table[:, 1].copy(),
                         key=table[:, 2].copy(), offset_min=table[:, 4].copy(), is_play=(table[:, 3] & 1).astype(bool),
                         is_skip=(table[:, 3] & 2).astype(bool))


@dataclass(frozen=True, slots=True)
class TrackRow:
    key: int
    title: str
    artist: str
    album: str
    album_artist: str
    liked: bool


def track_rows(db: Database, keys: Iterable[int]) -> list[TrackRow]:
    """Names (and the like flag) of the given track keys, library and imported."""
    wanted = sorted({int(k) for k in keys if k})
    library = [k for k in wanted if k > 0]
    external = [-k for k in wanted if k < 0]
    out: list[TrackRow] = []
    for chunk in _chunks(library):
        marks = ",".join("?" * len(chunk))
        for r in db.query(
            "SELECT t.id, t.title, t.artist, t.album, t.album_artist, COALESCE(f.liked, 0) "
            f"FROM track t LEFT JOIN track_feedback f ON f.track_id = t.id WHERE t.id IN ({marks})",
            chunk,
        ):
            out.append(TrackRow(r[0], r[1], r[2], r[3], r[4] or r[2], bool(r[5])))
    for chunk in _chunks(external):
        marks = ",".join("?" * len(chunk))
        for r in db.query(
            f"SELECT id, title, artist, album FROM external_track WHERE id IN ({marks})", chunk
        ):
            out.append(TrackRow(-r[0], r[1], r[2], r[3], r[2], False))
    return out


def genre_rows(db: Database, keys: Iterable[int]) -> list[tuple[int, str]]:
    """(track key, genre name) for the library tracks among keys; a track may have several."""
    library = sorted({int(k) for k in keys if k > 0})
    out: list[tuple[int, str]] = []
    for chunk in _chunks(library):
        marks = ",".join("?" * len(chunk))
        out.extend(db.query(
            "SELECT tg.track_id, g.name FROM track_genre tg JOIN genre g ON g.id = tg.genre_id "
            f"WHERE tg.track_id IN ({marks})", chunk))
    return [(int(k), str(n)) for k, n in out]


def keys_heard_before(db: Database, keys: Sequence[int], year: int) -> set[int]:
    """Which of the keys had a listen before the year began (local time). Uses the indexes."""
    lo, _ = local_year_span(year)
    before = (lo + MAX_OFFSET_S, lo)
    seen: set[int] = set()
    library = sorted({int(k) for k in keys if k > 0})
    external = sorted({-int(k) for k in keys if k < 0})
    for chunk in _chunks(library):
        marks = ",".join("?" * len(chunk))
        seen.update(r[0] for r in db.query(
            f"SELECT DISTINCT l.track_id FROM listen l WHERE l.track_id IN ({marks}) "
            f"AND l.started_at < ? AND {_LOCAL} < ? AND {_VISIBLE}", (*chunk, *before)))
        # Imported listens of these tracks (matched through external_track.track_id).
        seen.update(r[0] for r in db.query(
            "SELECT DISTINCT e.track_id FROM external_track e JOIN listen l ON l.external_id = e.id "
            f"WHERE e.track_id IN ({marks}) AND l.track_id IS NULL "
            f"AND l.started_at < ? AND {_LOCAL} < ? AND {_VISIBLE}", (*chunk, *before)))
    for chunk in _chunks(external):
        marks = ",".join("?" * len(chunk))
        seen.update(-r[0] for r in db.query(
            f"SELECT DISTINCT l.external_id FROM listen l WHERE l.external_id IN ({marks}) "
            f"AND l.track_id IS NULL AND l.started_at < ? AND {_LOCAL} < ? AND {_VISIBLE}",
            (*chunk, *before)))
    return seen


def sound_rows(db: Database, keys: Iterable[int]) -> list[tuple[int, float | None, float | None]]:
    """(key, tempo, energy) of library tracks among keys: analysed features, else the BPM tag."""
    library = sorted({int(k) for k in keys if k > 0})
    out: list[tuple[int, float | None, float | None]] = []
    for chunk in _chunks(library):
        marks = ",".join("?" * len(chunk))
        for key, tempo, energy, bpm in db.query(
            "SELECT t.id, json_extract(a.features, '$.tempo'), json_extract(a.features, '$.energy'), "
            "t.bpm FROM track t LEFT JOIN audio_features a ON a.track_id = t.id "
            "AND a.error IS NULL AND json_valid(a.features) "
            f"WHERE t.id IN ({marks})", chunk):
            tempo = _number(tempo) or _number(bpm)
            out.append((int(key), tempo, _number(energy)))
    return out


def year_totals(db: Database, year: int) -> tuple[int, int, int]:
    """(listens, plays, heard seconds as year_listens counts them) of a year, by one aggregate query (for 'this year vs last')."""
    where, params = _year_where(year)
    row = db.query(f"SELECT COUNT(*), COALESCE(SUM({_IS_PLAY}), 0), COALESCE(SUM({_HEARD_S}), 0) "
                   f"FROM listen l WHERE {where}", params)[0]
    return int(row[0]), int(row[1]), int(row[2])


def unmeasured_listens(db: Database, year: int) -> int:
    """The year's listens that cannot show a skip: time heard unknown and no skip mark
    (scrobbles from Last.fm, ListenBrainz, a .scrobbler.log "L": they record plays only)."""
    where, params = _year_where(year)
    return int(db.scalar(f"SELECT COUNT(*) FROM listen l WHERE {where} "
                         "AND l.ms_played IS NULL AND l.is_skip = 0", params) or 0)


def analysed_track_count(db: Database) -> int:
    """Library tracks with a tempo or an energy (what the sound card can chart)."""
    return int(db.scalar(
        "SELECT COUNT(*) FROM track t LEFT JOIN audio_features a ON a.track_id = t.id "
        "AND a.error IS NULL AND json_valid(a.features) WHERE t.missing = 0 AND ("
        "json_extract(a.features, '$.tempo') IS NOT NULL "
        "OR json_extract(a.features, '$.energy') IS NOT NULL OR t.bpm > 0)") or 0)


def history_start(db: Database) -> str | None:
    """The local date (ISO) of the first listen ever, or None without listens."""
    row = db.query(f"SELECT date({_LOCAL}, 'unixepoch') FROM listen l WHERE {_VISIBLE} "
                   "ORDER BY l.started_at, l.id LIMIT 1")
    return str(row[0][0]) if row and row[0][0] is not None else None


def years_with_listens(db: Database) -> list[int]:
    """Every local year with at least one listen, newest first (index probes, no full scan)."""
    first = db.scalar(f"SELECT MIN(started_at) FROM listen l WHERE {_VISIBLE}")
    last = db.scalar(f"SELECT MAX(started_at) FROM listen l WHERE {_VISIBLE}")
    if first is None or last is None:
        return []
    years = []
    start = _utc_year(float(first) - MAX_OFFSET_S)
    for year in range(_utc_year(float(last) + MAX_OFFSET_S), start - 1, -1):
        where, params = _year_where(year)
        if db.scalar(f"SELECT 1 FROM listen l WHERE {where} LIMIT 1", params):
            years.append(year)
    return years


def _utc_year(epoch: float) -> int:
    import time

    return time.gmtime(max(epoch, 0)).tm_year


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    finite = number == number and abs(number) != float("inf")
    return number if finite and number >= 0 else None


def _chunks(values: Sequence[int], size: int = 900) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield list(values[start:start + size])
