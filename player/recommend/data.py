"""Inputs of the recommender: listens as parallel numpy arrays, track metadata, playlists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from player.core import rules

HOUR = 3600.0
DAY = 86400.0
PLAY_MS = rules.PLAY_MIN_MS

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Interactions:
    """Listens sorted by time. ms_played is NaN when unknown (scrobbles)."""

    track: IntArray
    ts: FloatArray
    ms_played: FloatArray
    duration_ms: FloatArray
    skipped: BoolArray
    session: IntArray
    utc_offset_min: IntArray
    source: tuple[str, ...] = ()
    weight: FloatArray | None = None  # listen_weights(), computed once by build()

    def __len__(self) -> int:
        return int(self.track.shape[0])

    @staticmethod
    def build(track: list[int] | IntArray, ts: list[float] | FloatArray, *,
              ms_played: Sequence[float | None] | FloatArray | None = None,
              duration_ms: Sequence[float | None] | FloatArray | None = None,
              skipped: list[bool] | BoolArray | None = None,
              utc_offset_min: list[int] | IntArray | None = None,
              session: list[int] | IntArray | None = None,
              source: tuple[str, ...] = ()) -> Interactions:
        """Arrays from lists; sorts by time and derives sessions if absent (the rulebook's:
        30 min since the previous listen was last heard, as the stored session ids)."""
        t = np.asarray(ts, dtype=np.float64)
        n = t.shape[0]
        order = np.argsort(t, kind="stable")

        def floats(values: object) -> FloatArray:
            if values is None:
                return np.full(n, np.nan)
            return np.array([np.nan if v is None else v for v in values],  # type: ignore[attr-defined]
                            dtype=np.float64)

        tr = np.asarray(track, dtype=np.int64)[order]
        t = t[order]
        ms = floats(ms_played)[order]
        dur = floats(duration_ms)[order]
        sk = (np.zeros(n, bool) if skipped is None else np.asarray(skipped, bool))[order]
        off = (np.zeros(n, np.int64) if utc_offset_min is None
               else np.asarray(utc_offset_min, np.int64))[order]
        ses = (sessions_by_gap(t, heard_until(t, ms, dur)) if session is None
               else np.asarray(session, np.int64)[order])
        src = tuple(source[i] for i in order) if source else ()
        raw = Interactions(tr, t, ms, dur, sk, ses, off, src)
        return Interactions(tr, t, ms, dur, sk, ses, off, src, _weights(raw))

    def before(self, cut: float) -> Interactions:
        """The listens that started before `cut` (a prefix: arrays are time sorted)."""
        return self.prefix(int(np.searchsorted(self.ts, cut, side="left")))

    def prefix(self, k: int) -> Interactions:
        return self.rows(0, k)

    def rows(self, start: int, stop: int) -> Interactions:
        s = slice(start, stop)
        return Interactions(self.track[s], self.ts[s], self.ms_played[s], self.duration_ms[s],
                            self.skipped[s], self.session[s], self.utc_offset_min[s],
                            self.source[s], None if self.weight is None else self.weight[s])

    def take(self, keep: IntArray) -> Interactions:
        """The listens at positions `keep` (sorted)."""
        return Interactions(self.track[keep], self.ts[keep], self.ms_played[keep],
                            self.duration_ms[keep], self.skipped[keep], self.session[keep],
                            self.utc_offset_min[keep],
                            tuple(self.source[i] for i in keep) if self.source else (),
                            None if self.weight is None else self.weight[keep])

    def tail(self, count: int) -> Interactions:
        return self.rows(max(0, len(self) - count), len(self))


def heard_until(ts: FloatArray, ms_played: FloatArray, duration_ms: FloatArray) -> FloatArray:
    """When each listen was last heard: its start plus the time heard (a scrobble of unknown
    time: its length; unknown too: its start), as the importer stores heartbeat_at."""
    heard = np.where(np.isnan(ms_played), np.nan_to_num(duration_ms, nan=0.0), ms_played)
    return np.asarray(ts + heard / 1000.0, dtype=np.float64)


def sessions_by_gap(ts: FloatArray, heard_at: FloatArray | None = None,
                    gap: float = rules.SESSION_GAP_S) -> IntArray:
    """Session ordinals (rules.is_new_session): a new session when a listen starts `gap`
    seconds or more after the previous one was last heard (`heard_at`; its start if None)."""
    if ts.shape[0] == 0:
        return np.zeros(0, np.int64)
    last = ts if heard_at is None else heard_at
    return np.concatenate([[0], np.cumsum(ts[1:] - last[:-1] >= gap)]).astype(np.int64)


@dataclass(frozen=True)
class Catalog:
    """Track metadata, indexed 0..n-1 (the recommender's own track index)."""

    title: tuple[str, ...]
    artist: tuple[str, ...]
    album: tuple[str, ...] = ()
    genres: tuple[tuple[str, ...], ...] = ()
    year: FloatArray | None = None  # NaN when unknown
    audio: FloatArray | None = None  # n x d, rows of NaN when not analysed
    added_at: FloatArray | None = None
    track_ids: tuple[int, ...] = ()  # database ids, for the service layer

    def __len__(self) -> int:
        return len(self.title)

    def albums(self) -> tuple[str, ...]:
        return self.album if self.album else ("",) * len(self)

    def genre_lists(self) -> tuple[tuple[str, ...], ...]:
        return self.genres if self.genres else ((),) * len(self)


@dataclass(frozen=True)
class RecData:
    """Everything a fit sees."""

    catalog: Catalog
    listens: Interactions
    playlists: tuple[tuple[int, ...], ...] = ()
    liked: frozenset[int] = frozenset()
    banned: frozenset[int] = frozenset()


Horizon = Literal["day", "hour"]


@dataclass(frozen=True)
class ScoringContext:
    """A moment to recommend for. `history` holds every listen before `now` (it may run past the
    fit's data: listens of the current session); `utc_offset_min` places `now` in local time."""

    now: float
    history: Interactions
    horizon: Horizon = "hour"
    utc_offset_min: int = 0
    session_skips: tuple[int, ...] = ()
    seeds: tuple[int, ...] = field(default=())


def local_hour_weekday(ts: FloatArray, offset_min: IntArray | int) -> tuple[IntArray, IntArray]:
    """Local hour 0..23 and weekday 0=Monday..6 of UTC epoch seconds."""
    local = ts + np.asarray(offset_min, dtype=np.float64) * 60.0
    days = np.floor(local / DAY)
    hour = ((local - days * DAY) // HOUR).astype(np.int64)
    weekday = ((days.astype(np.int64) + 3) % 7).astype(np.int64)  # 1970-01-01 was a Thursday
    return hour, weekday


def listen_weights(listens: Interactions) -> FloatArray:
    if listens.weight is not None:
        return listens.weight
    return _weights(listens)


def _weights(listens: Interactions) -> FloatArray:
    """Evidence of each listen: +1 for a play; a skip counts against, the earlier the more
    (-1 when skipped at once, 0 at half the track)."""
    w = np.ones(len(listens))
    if not len(listens):
        return w
    frac = listens.ms_played / np.where(listens.duration_ms > 0, listens.duration_ms, np.nan)
    frac = np.where(np.isnan(frac), np.where(listens.ms_played < PLAY_MS, 0.0, 0.5), frac)
    early = (np.nan_to_num(listens.ms_played, nan=PLAY_MS) < PLAY_MS) & (frac < 0.5)
    skipped = listens.skipped | early
    penalty = -np.clip(1.0 - 2.0 * frac, 0.1, 1.0)
    return np.where(skipped, penalty, w)


def weighted_counts(index: IntArray, weights: FloatArray | None, n: int) -> FloatArray:
    """Sum of `weights` per index 0..n-1 (a count when weights is None)."""
    out = np.bincount(index, weights=weights, minlength=n)[:n]
    return np.asarray(out, dtype=np.float64)
