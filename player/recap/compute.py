"""The yearly recap from the year's listen columns: pure numpy, no database, no clock.

Definitions beyond model.py's:
- Listening clock: plays by weekday (Monday first) and hour of each play's LOCAL start.
- Month by month: plays and minutes by the local month of the listen's start.
- Days, streak: a day counts when it has at least one play (local date); the longest streak is
  the longest run of consecutive such days inside the year (the earliest one on a tie).
- Most repeated: in the year's plays in start order, the longest run of plays of the same
  track where each starts less than REPEAT_GAP_S after the previous one ended (PRODUCT.md's
  "repeat"; gaps in real time, so a clock change does not fake one), counted as plays in a
  row (at least 2); the earliest run on a tie.
- Skip rate: skips / listens that can show a skip (plays or not; a scrobble of unknown time
  heard without a skip mark cannot, and is left out). Most skipped: most skips, then name.
- First listens that became favourites: tracks first heard ever (any year) in this year that
  are liked, or played at least FAVOURITE_MIN_PLAYS times this year.
- Sound: per month, the plays-weighted mean tempo and energy of the played tracks that have
  them (analysis, or the BPM tag for tempo). Empty when no played track has either.
- Musical personalities: the share of the year's plays of the tracks in each mix cluster;
  mixes none of the year's plays belong to are left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from player.core import rules
from player.recap.model import (
    Cluster,
    MonthStat,
    Personality,
    Ranked,
    Recap,
    Repeat,
    Skips,
    SoundMonth,
    Streak,
    TrackInfo,
    Versus,
    YearListens,
    YearTotals,
)

TOP_N = 10
TINY_PLAYS = 10
FAVOURITE_MIN_PLAYS = 5
REPEAT_GAP_S = rules.REPEAT_WINDOW_S  # the rulebook's repeat window (core/rules.py)
DAY_S = 86400
UNKNOWN_ARTIST = "Unknown artist"


def minutes(seconds: float) -> int:
    """Whole minutes, half up (Python's round() would round halves to even)."""
    return int((int(seconds) + 30) // 60)


@dataclass(frozen=True, slots=True)
class KeyStats:
    """Per track key (sorted), aligned arrays; inverse maps each listen to its key's row."""

    keys: np.ndarray
    listens: np.ndarray
    plays: np.ndarray
    heard_s: np.ndarray
    skips: np.ndarray
    first_local_s: np.ndarray  # the key's first listen of the year
    inverse: np.ndarray


def key_stats(year: YearListens) -> KeyStats:
    keys, first, inverse = _group(year.key)
    n = keys.shape[0]

    def total(weights: np.ndarray) -> np.ndarray:
        return np.bincount(inverse, weights=weights, minlength=n).astype(np.int64)

    return KeyStats(keys=keys, listens=np.bincount(inverse, minlength=n).astype(np.int64),
                    plays=total(year.is_play), heard_s=total(year.heard_s),
                    skips=total(year.is_skip), first_local_s=year.local_s[first],
                    inverse=inverse)


# Keys spanning fewer values than this (or 4 per entry) are grouped by counting (no sort).
_DENSE_SPAN = 1 << 22


def _group(key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """np.unique(key, return_index=True, return_inverse=True): the sorted distinct keys, the
    index of each one's first occurrence, and each entry's row. By counting when the keys
    span few values (track ids do), which is several times faster than np.unique's sort."""
    if key.shape[0] == 0 or int(key.max()) - int(key.min()) >= max(_DENSE_SPAN, 4 * key.shape[0]):
        keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        return keys, first, inverse.reshape(-1)
    low = int(key.min())
    shifted = key - low
    present = np.flatnonzero(np.bincount(shifted))
    row = np.zeros(int(present[-1]) + 1, dtype=np.intp)
    row[present] = np.arange(present.shape[0])
    inverse = row[shifted]
    first = np.full(present.shape[0], key.shape[0], dtype=np.intp)
    np.minimum.at(first, inverse, np.arange(key.shape[0]))
    return (present + low).astype(key.dtype), first, inverse


def favourite_candidates(stats: KeyStats, tracks: Mapping[int, TrackInfo]) -> list[int]:
    """Keys that qualify as favourites if first heard this year (the loader asks which were)."""
    return [int(k) for k, p in zip(stats.keys, stats.plays, strict=True)
            if k != 0 and (p >= FAVOURITE_MIN_PLAYS or (int(k) in tracks and tracks[int(k)].liked))]


def compute_recap(year: YearListens, tracks: Mapping[int, TrackInfo],
                  genres: Iterable[tuple[int, str]] = (), heard_before: Iterable[int] = (),
                  sounds: Mapping[int, tuple[float | None, float | None]] | None = None,
                  previous: YearTotals | None = None,
                  clusters: Sequence[Cluster] | None = None,
                  stats: KeyStats | None = None, unmeasured: int = 0, analysed_tracks: int = 0,
                  history_start: str | None = None) -> Recap:
    """Every number of the recap of year.year. Inputs as player/db/recap_queries returns them;
    stats is key_stats(year) when the caller already has it. unmeasured: the year's listens
    whose time heard is unknown and carry no skip mark (scrobbles: a skip cannot show);
    analysed_tracks: library songs with a tempo or energy; history_start: the first listen's
    local date, any year."""
    mixes = 0 if clusters is None else len(clusters)
    if len(year) == 0:
        return Recap(year=year.year, size="empty", listens=0, plays=0, minutes=0, tracks=0,
                     artists=0, days=0, versus=_versus(year.year, 0, 0, previous),
                     personalities=None if clusters is None else [],
                     analysed_tracks=analysed_tracks, mixes=mixes, history_start=history_start)
    stats = stats if stats is not None else key_stats(year)
    plays = int(year.is_play.sum())
    heard = int(year.heard_s.sum())
    played = (stats.plays > 0) & (stats.keys != 0)
    clock = _clock(year)
    peak = np.unravel_index(int(np.argmax(clock)), clock.shape) if plays else (None, None)
    per_day = np.bincount(year.local_s[year.is_play] // DAY_S)
    play_days = np.flatnonzero(per_day)  # the sorted days with a play
    return Recap(
        year=year.year, size="full" if plays >= TINY_PLAYS else "tiny",
        listens=len(year), plays=plays, minutes=minutes(heard),
        tracks=int(played.sum()),
        artists=len({_artist(tracks, int(k)).casefold() for k in stats.keys[played]
                     if int(k) in tracks}),
        days=int(play_days.shape[0]),
        top_tracks=_top_tracks(stats, tracks),
        top_artists=_top_groups(stats, {k: (_artist(tracks, k), "") for k in tracks}),
        top_albums=_top_groups(stats, {k: (t.album, t.album_artist or t.artist)
                                       for k, t in tracks.items() if t.album}),
        top_genres=_top_genres(stats, genres),
        clock=clock.tolist(),
        peak_weekday=None if peak[0] is None else int(peak[0]),
        peak_hour=None if peak[1] is None else int(peak[1]),
        months=_months(year),
        daily=_daily(year.year, per_day),
        favourites=_favourites(year.year, stats, tracks, set(heard_before)),
        streak=_streak(year.year, play_days),
        repeat=_repeat(year, tracks),
        skips=_skips(year, stats, tracks, unmeasured),
        sound=_sound(year, stats, sounds or {}),
        sound_coverage=_coverage(year, stats, sounds or {}),
        personalities=_personalities(stats, plays, clusters),
        versus=_versus(year.year, heard, plays, previous),
        library_plays=int(stats.plays[stats.keys > 0].sum()),
        album_plays=sum(int(p) for k, p in zip(stats.keys.tolist(), stats.plays.tolist(), strict=True)
                        if k in tracks and tracks[k].album),
        analysed_tracks=analysed_tracks, mixes=mixes, history_start=history_start,
    )


# -- tops ----------------------------------------------------------------------------------
def _artist(tracks: Mapping[int, TrackInfo], key: int) -> str:
    return tracks[key].artist or UNKNOWN_ARTIST


def _ranked(rows: Iterable[tuple[str, str, int, int]], n: int = TOP_N) -> list[Ranked]:
    """rows of (name, detail, plays, heard seconds) -> the top n by plays, minutes, name."""
    best = sorted((r for r in rows if r[2] > 0), key=lambda r: (-r[2], -r[3], r[0].casefold(), r[1]))
    return [Ranked(name, detail, p, minutes(s)) for name, detail, p, s in best[:n]]


def _top_tracks(stats: KeyStats, tracks: Mapping[int, TrackInfo]) -> list[Ranked]:
    rows = []
    for k, p, s in zip(stats.keys.tolist(), stats.plays.tolist(), stats.heard_s.tolist(), strict=True):
        if k in tracks:
            rows.append((tracks[k].title or "Untitled", _artist(tracks, k), p, s))
    return _ranked(rows)


def _top_groups(stats: KeyStats, group_of: Mapping[int, tuple[str, str]]) -> list[Ranked]:
    """Sum plays and heard time over the keys of each group (artist, or album and artist).

    Groups are told apart case-insensitively (exports spell one artist "Nina Simone" and
    "NINA SIMONE"); a group shows the spelling of its most played key."""
    totals: dict[tuple[str, str], list[Any]] = {}
    for k, p, s in zip(stats.keys.tolist(), stats.plays.tolist(), stats.heard_s.tolist(), strict=True):
        group = group_of.get(k)
        if group is not None:
            entry = totals.setdefault((group[0].casefold(), group[1].casefold()), [0, 0, group, -1])
            entry[0] += p
            entry[1] += s
            if p > entry[3]:
                entry[2], entry[3] = group, p
    return _ranked((shown[0], shown[1], p, s) for p, s, shown, _ in totals.values())


def _top_genres(stats: KeyStats, genres: Iterable[tuple[int, str]]) -> list[Ranked]:
    row_of = {k: i for i, k in enumerate(stats.keys.tolist())}
    totals: dict[str, list[int]] = {}
    for key, name in genres:
        i = row_of.get(key)
        if i is not None and name:
            entry = totals.setdefault(name, [0, 0])
            entry[0] += int(stats.plays[i])
            entry[1] += int(stats.heard_s[i])
    return _ranked((name, "", p, s) for name, (p, s) in totals.items())


# -- time ----------------------------------------------------------------------------------
def _clock(year: YearListens) -> np.ndarray:
    local = year.local_s[year.is_play]
    first_weekday = dt.date(year.year, 1, 1).weekday()
    weekday = (local // DAY_S + first_weekday) % 7
    hour = (local % DAY_S) // 3600
    return np.bincount(weekday * 24 + hour, minlength=7 * 24).reshape(7, 24).astype(np.int64)


def month_of_day(year: int, day: np.ndarray) -> np.ndarray:
    """1..12 for day numbers counted from 1 January of year."""
    starts = [(dt.date(year, m, 1) - dt.date(year, 1, 1)).days for m in range(1, 13)]
    return np.searchsorted(np.array(starts), day, side="right")


def _months(year: YearListens) -> list[MonthStat]:
    month = month_of_day(year.year, year.local_s // DAY_S)
    plays = np.bincount(month, weights=year.is_play, minlength=13)
    heard = np.bincount(month, weights=year.heard_s, minlength=13)
    return [MonthStat(m, int(plays[m]), minutes(heard[m])) for m in range(1, 13)]


def _daily(year: int, per_day: np.ndarray) -> list[int]:
    """Plays per day of the year, from the bincount of the plays' local days."""
    days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    counts = np.zeros(days, dtype=np.int64)
    shown = min(days, per_day.shape[0])
    counts[:shown] = per_day[:shown]
    return [int(c) for c in counts]


def _date(year: int, local_s: int) -> str:
    return (dt.date(year, 1, 1) + dt.timedelta(days=int(local_s) // DAY_S)).isoformat()


def _streak(year: int, days: np.ndarray) -> Streak | None:
    if days.shape[0] == 0:
        return None
    breaks = np.flatnonzero(np.diff(days) != 1)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [days.shape[0] - 1]))
    best = int(np.argmax(ends - starts))  # argmax: the first (earliest) longest
    return Streak(int(ends[best] - starts[best] + 1), _date(year, days[starts[best]] * DAY_S),
                  _date(year, days[ends[best]] * DAY_S))


def _repeat(year: YearListens, tracks: Mapping[int, TrackInfo]) -> Repeat | None:
    key = year.key[year.is_play]
    local = year.local_s[year.is_play]
    start = local - 60 * year.offset_min[year.is_play]  # gaps in real (UTC) time, not wall clock
    end = start + year.heard_s[year.is_play]
    same = (key[1:] == key[:-1]) & (key[1:] != 0) & (start[1:] - end[:-1] < REPEAT_GAP_S)
    if not same.any():
        return None
    edges = np.diff(np.concatenate(([0], same.astype(np.int8), [0])))
    run_starts, run_ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    best = int(np.argmax(run_ends - run_starts))
    first = int(run_starts[best])
    k = int(key[first])
    info = tracks.get(k)
    return Repeat(info.title if info else "Unknown track", _artist(tracks, k) if info else "",
                  int(run_ends[best] - run_starts[best]) + 1, _date(year.year, int(local[first])))


def _skips(year: YearListens, stats: KeyStats, tracks: Mapping[int, TrackInfo],
           unmeasured: int = 0) -> Skips:
    """Skip rate over the listens that can show a skip (a scrobble records a play only)."""
    skips = int(year.is_skip.sum())
    measured = max(len(year) - unmeasured, 0)
    rows = [(tracks[k].title or "Untitled", _artist(tracks, k), s, h)
            for k, s, h in zip(stats.keys.tolist(), stats.skips.tolist(), stats.heard_s.tolist(),
                               strict=True) if k in tracks and s > 0]
    rows.sort(key=lambda r: (-r[2], r[0].casefold(), r[1]))
    most = Ranked(rows[0][0], rows[0][1], rows[0][2], minutes(rows[0][3])) if rows else None
    return Skips(measured, skips, round(skips / measured, 4) if measured else 0.0, most,
                 len(year) - measured)


# -- taste ---------------------------------------------------------------------------------
def _favourites(year: int, stats: KeyStats, tracks: Mapping[int, TrackInfo],
                heard_before: set[int]) -> list[Ranked]:
    rows = []
    for i, k in enumerate(stats.keys.tolist()):
        info = tracks.get(k)
        if k == 0 or info is None or k in heard_before:
            continue
        if stats.plays[i] >= FAVOURITE_MIN_PLAYS or info.liked:
            rows.append((info.title or "Untitled", _artist(tracks, k), int(stats.plays[i]),
                         int(stats.heard_s[i]), _date(year, int(stats.first_local_s[i]))))
    rows.sort(key=lambda r: (-r[2], -r[3], r[0].casefold(), r[1]))
    return [Ranked(n, d, p, minutes(s), extra=first) for n, d, p, s, first in rows[:TOP_N]]


def _feature(stats: KeyStats, sounds: Mapping[int, tuple[float | None, float | None]],
             index: int) -> np.ndarray:
    values = [sounds.get(k, (None, None))[index] for k in stats.keys.tolist()]
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _coverage(year: YearListens, stats: KeyStats,
              sounds: Mapping[int, tuple[float | None, float | None]]) -> float:
    plays = int(year.is_play.sum())
    if not plays or not sounds:
        return 0.0
    known = ~np.isnan(_feature(stats, sounds, 0)) | ~np.isnan(_feature(stats, sounds, 1))
    return round(float(stats.plays[known].sum()) / plays, 4)


def _sound(year: YearListens, stats: KeyStats,
           sounds: Mapping[int, tuple[float | None, float | None]]) -> list[SoundMonth]:
    if not sounds:
        return []
    month = month_of_day(year.year, year.local_s[year.is_play] // DAY_S)
    per_play = stats.inverse[year.is_play]
    means = []
    for index, places in ((0, 1), (1, 3)):
        value = _feature(stats, sounds, index)[per_play]
        known = ~np.isnan(value)
        total = np.bincount(month[known], weights=value[known], minlength=13)
        count = np.bincount(month[known], minlength=13)
        means.append([round(float(total[m] / count[m]), places) if count[m] else None
                      for m in range(13)])
    if all(v is None for series in means for v in series):
        return []
    return [SoundMonth(m, means[0][m], means[1][m]) for m in range(1, 13)]


def _personalities(stats: KeyStats, plays: int,
                   clusters: Sequence[Cluster] | None) -> list[Personality] | None:
    if clusters is None:
        return None
    plays_of = dict(zip(stats.keys.tolist(), stats.plays.tolist(), strict=True))
    out = []
    for cluster in clusters:
        count = sum(plays_of.get(int(t), 0) for t in set(cluster.track_ids))
        if count:  # a mix none of the year's plays belong to is no side of this year's taste
            out.append(Personality(cluster.name, count, round(count / plays, 4) if plays else 0.0))
    out.sort(key=lambda p: (-p.plays, p.name.casefold()))
    return out


def _versus(year: int, heard_s: int, plays: int, previous: YearTotals | None) -> Versus | None:
    if previous is None:
        return None
    before = minutes(previous.heard_s)
    now = minutes(heard_s)
    change = round((now - before) / before, 4) if before else None
    return Versus(previous.year, now, plays, before, previous.plays, change)
