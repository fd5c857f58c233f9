"""Reasons are facts (PRODUCT.md): for each pick, the strongest statement that is TRUE of this
listener's own history or library, with its number. The model decides the order of the picks;
this module only explains them, from the listens (the stored play / early-skip verdicts and
sessions), the library and the audio analysis, never from the model's weights.

Kinds, strongest first for most outputs:
  liked         "you liked this"
  recent_plays  "played 9 times in the last 30 days"
  habit         "you played it on 3 of the last 5 Monday evenings"
  follows       "often follows Vibe Ace in your sessions (5 times)"
  sounds_like   "sounds like Vibe Ace, which you played today" (audio analysis only)
  artist_plays  "by Kevin MacLeod, whose tracks you played 7 times in the last 30 days"
  played        "played 2 times, last on 3 May 2025"
  unplayed      "in your library since 3 May 2025, never played"
  added         "added today, never played"                        (Fresh)
A never-played track can only get sounds_like, artist_plays, unplayed or added; a track whose
listens are early skips never gets follows (only plays count, on both sides).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from player.core.words import times
from player.recommend.data import DAY, BoolArray, Catalog, FloatArray, IntArray
from player.recommend.reasons import DAY_NAMES, part_of_day

RECENT_S = 30 * DAY
HABIT_WEEKS = 8  # "of the last 8 Mondays"
MIN_COUNT = 2  # a count of one is not a habit, not "often", not a pattern
SOUND_POOL = 2000  # "sounds like" compares with this many most recently played tracks
SOUND_MIN = 0.6  # cosine of standardised audio vectors: "sounds like" needs a close match


@dataclass(frozen=True)
class ListenHistory:
    """Every listen, oldest first; track -1 is a listen outside the library (it still breaks
    "follows": only a listen directly before another in the same session counts)."""

    track: IntArray
    ts: FloatArray
    utc_offset_min: IntArray
    is_play: BoolArray
    is_early_skip: BoolArray
    session: IntArray

    def __len__(self) -> int:
        return int(self.track.shape[0])

    @staticmethod
    def empty() -> ListenHistory:
        return ListenHistory(np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64),
                             np.zeros(0, bool), np.zeros(0, bool), np.zeros(0, np.int64))

    def before(self, cut: float) -> ListenHistory:
        k = int(np.searchsorted(self.ts, cut, side="left"))
        return ListenHistory(self.track[:k], self.ts[:k], self.utc_offset_min[:k],
                             self.is_play[:k], self.is_early_skip[:k], self.session[:k])


@dataclass(frozen=True)
class Fact:
    kind: str
    text: str
    count: int = 0  # the number stated (plays, days, times); 0 when the fact has none
    out_of: int = 0  # habit: the number of such days looked at
    other: int = -1  # follows / sounds_like / radio: the other track's index
    at: float = float("nan")  # played / sounds_like / unplayed / added: the date stated (UTC s)
    slot: tuple[int, int] = (-1, -1)  # habit: (weekday 0=Monday, part 0..3 or -1 for all day)


PARTS = ("morning", "afternoon", "evening", "night")
ORDER = {
    "daily": ("liked", "recent_plays", "habit", "follows", "played", "sounds_like",
              "artist_plays", "unplayed"),
    "new": ("sounds_like", "artist_plays", "follows", "played", "unplayed"),
    "now": ("liked", "habit", "recent_plays", "follows", "sounds_like", "artist_plays",
            "played", "unplayed"),
    "rediscover": ("sounds_like", "artist_plays", "played", "unplayed"),
    "fresh": ("added",),
}


def _local(ts: FloatArray | float, offset_min: IntArray | int) -> FloatArray:
    return np.asarray(ts, dtype=np.float64) + np.asarray(offset_min, dtype=np.float64) * 60.0


def _day_number(local: FloatArray) -> IntArray:
    return np.floor(local / DAY).astype(np.int64)


def _part_index(hour: int) -> int:
    return PARTS.index(part_of_day(hour))


class Explainer:
    """Facts about every track, computed once from the history before `now`; `fact(i, kind)`
    is then cheap, so an endless station can explain each pick as it is drawn."""

    def __init__(self, catalog: Catalog, history: ListenHistory, now: float, utc_offset_min: int,
                 liked: frozenset[int] = frozenset()) -> None:
        n = len(catalog)
        self.catalog, self.now, self.offset, self.liked = catalog, now, utc_offset_min, liked
        h = history.before(now)
        self.history = h
        inside = h.track >= 0
        play = inside & h.is_play
        self.plays = np.bincount(h.track[play], minlength=n)[:n]
        recent = play & (h.ts >= now - RECENT_S)
        self.recent_plays = np.bincount(h.track[recent], minlength=n)[:n]
        self.last_play = np.full(n, np.nan)
        if play.any():
            last = np.full(n, -np.inf)
            np.maximum.at(last, h.track[play], h.ts[play])
            self.last_play = np.where(np.isfinite(last), last, np.nan)
        self.listens = np.bincount(h.track[inside], minlength=n)[:n]
        self.early_skips = np.bincount(h.track[inside & h.is_early_skip], minlength=n)[:n]
        self.skips_any = self.listens - self.plays
        # follows: a play directly after a play of another track in the same session
        self._followed_by: dict[int, Counter[int]] = defaultdict(Counter)
        if len(h) > 1:
            pair = (h.session[1:] == h.session[:-1]) & play[1:] & play[:-1] & \
                (h.track[1:] != h.track[:-1])
            for before, after in zip(h.track[:-1][pair], h.track[1:][pair], strict=True):
                self._followed_by[int(after)][int(before)] += 1
        # artist plays in the last 30 days
        fold = [a.casefold().strip() for a in catalog.artist]
        self._artist_of = fold
        self._artist_recent: Counter[str] = Counter()
        for i in np.flatnonzero(self.recent_plays):
            if fold[int(i)]:
                self._artist_recent[fold[int(i)]] += int(self.recent_plays[int(i)])
        self._local_play_days = _day_number(_local(h.ts[play], h.utc_offset_min[play]))
        self._local_play_hours = ((_local(h.ts[play], h.utc_offset_min[play])
                                   - self._local_play_days * DAY) // 3600).astype(np.int64)
        self._play_tracks = h.track[play]
        self._first_day = int(_day_number(_local(h.ts[0], h.utc_offset_min[0]))) if len(h) else None
        self._play_parts = np.array([_part_index(int(x)) for x in range(24)],
                                    dtype=np.int64)[self._local_play_hours]
        # plays grouped by track, so one track's habit reads only its own plays
        self._by_track = np.argsort(self._play_tracks, kind="stable")
        self._track_start = np.searchsorted(self._play_tracks[self._by_track], np.arange(n + 1))
        self._audio = standardised_audio(catalog.audio)
        self._audio_known = np.zeros(n, bool) if self._audio is None else \
            np.asarray(np.abs(self._audio).sum(axis=1) > 0, dtype=bool)
        played = np.flatnonzero(self.plays > 0)
        played = played[self._audio_known[played]]
        # "sounds like what you play": the most recently played analysed tracks
        self._played_analysed = played[np.argsort(-self.last_play[played], kind="stable")[:SOUND_POOL]]
        self._played_vectors = self._audio[self._played_analysed] if self._audio is not None \
            else np.zeros((0, 0))

    # -- the numbers ------------------------------------------------------------------------
    def habit_days(self, item: int, horizon: str) -> tuple[int, int, tuple[int, int]]:
        """(days with a play of `item`, days looked at, (weekday, part)) over the last
        HABIT_WEEKS of today's weekday (and, for "hour", today's part of the day)."""
        local_now = float(_local(self.now, self.offset))
        today = int(np.floor(local_now / DAY))
        weekday = (today + 3) % 7
        part = _part_index(int((local_now - today * DAY) // 3600)) if horizon == "hour" else -1
        if self._first_day is None:
            return 0, 0, (weekday, part)
        days = [today - 7 * w for w in range(1, HABIT_WEEKS + 1) if today - 7 * w >= self._first_day]
        if not days:
            return 0, 0, (weekday, part)
        mine = self._by_track[self._track_start[item]:self._track_start[item + 1]]
        on = np.isin(self._local_play_days[mine], days)
        if part >= 0:
            on &= self._play_parts[mine] == part
        return int(np.unique(self._local_play_days[mine][on]).size), len(days), (weekday, part)

    def follows(self, item: int, among: frozenset[int] | None = None) -> tuple[int, int]:
        """(the track `item` most often follows in sessions, how often), optionally among."""
        counts = self._followed_by.get(item)
        if not counts:
            return -1, 0
        options = [(c, t) for t, c in counts.items() if among is None or t in among]
        if not options:
            return -1, 0
        c, t = max(options, key=lambda x: (x[0], -x[1]))
        return t, c

    def sounds_like(self, item: int, among: IntArray | None = None) -> tuple[int, float]:
        """(the played track whose sound is closest to `item`'s, cosine), or (-1, 0)."""
        if self._audio is None or not self._audio_known[item]:
            return -1, 0.0
        if among is None:  # the played tracks' vectors, gathered once
            pool, vectors = self._played_analysed, self._played_vectors
        else:
            pool = among[self._audio_known[among]]
            vectors = self._audio[pool]
        if pool.size == 0:
            return -1, 0.0
        sims = vectors @ self._audio[item]
        sims[pool == item] = -np.inf  # not like itself
        best = int(np.argmax(sims))
        return (int(pool[best]), float(sims[best])) if np.isfinite(sims[best]) else (-1, 0.0)

    # -- the words -------------------------------------------------------------------------
    def fact(self, item: int, kind: str = "daily", seeds: tuple[int, ...] = ()) -> Fact:
        """The strongest true fact about `item` for an output of this kind."""
        if seeds:
            seeded = self._seed_fact(item, seeds)
            if seeded is not None:
                return seeded
        horizon = "hour" if kind == "now" else "day"
        for name in ORDER.get(kind, ORDER["daily"]):
            found = self._try(item, name, horizon)
            if found is not None:
                return found
        return self._unplayed(item)

    def _try(self, item: int, name: str, horizon: str) -> Fact | None:
        title = self.catalog.title
        if name == "liked":
            return Fact("liked", "you liked this") if item in self.liked else None
        if name == "recent_plays":
            c = int(self.recent_plays[item])
            return Fact("recent_plays", f"played {times(c)} in the last 30 days", c) \
                if c >= MIN_COUNT else None
        if name == "habit":
            k, m, slot = self.habit_days(item, horizon)
            if k < MIN_COUNT:
                return None
            when = DAY_NAMES[slot[0]] + (f" {PARTS[slot[1]]}s" if slot[1] >= 0 else "s")
            return Fact("habit", f"you played it on {k} of the last {m} {when}", k, m, slot=slot)
        if name == "follows":
            other, c = self.follows(item)
            if c < MIN_COUNT:  # counts plays only: an early-skipped track never "follows"
                return None
            return Fact("follows", f"often follows {_name(title[other])} in your sessions "
                        f"({times(c)})", c, other=other)
        if name == "sounds_like":
            other, sim = self.sounds_like(item)
            if other < 0 or sim < SOUND_MIN:
                return None
            at = float(self.last_play[other])
            return Fact("sounds_like", f"sounds like {_name(title[other])}, which you played "
                        f"{self.when(at)}", 0, other=other, at=at)
        if name == "artist_plays":
            artist = self._artist_of[item]
            c = self._artist_recent.get(artist, 0) - int(self.recent_plays[item]) if artist else 0
            if c < MIN_COUNT:
                return None
            return Fact("artist_plays", f"by {self.catalog.artist[item].strip()}, whose other "
                        f"tracks you played {times(c)} in the last 30 days", c)
        if name == "played":
            c = int(self.plays[item])
            if c < 1:
                return None
            at = float(self.last_play[item])
            return Fact("played", f"played {times(c)}, last {self.when(at)}", c, at=at)
        if name == "unplayed":
            return self._unplayed(item) if self.plays[item] == 0 else None
        if name == "added":
            return self._added(item)
        return None

    def _seed_fact(self, item: int, seeds: tuple[int, ...]) -> Fact | None:
        """Radio: how the pick relates to its seed, when something true can be said."""
        title = self.catalog.title
        other, c = self.follows(item, frozenset(seeds))
        if c >= MIN_COUNT:
            return Fact("follows", f"often follows {_name(title[other])} in your sessions "
                        f"({times(c)})", c, other=other)
        other, sim = self.sounds_like(item, np.asarray(seeds, np.int64))
        if other >= 0 and sim >= SOUND_MIN:
            return Fact("seed_sound", f"sounds like {_name(title[other])}, the radio's seed",
                        other=other)
        artist = self._artist_of[item]
        for s in seeds:
            if artist and self._artist_of[s] == artist:
                return Fact("seed_artist", f"also by {self.catalog.artist[item].strip()}, like "
                            f"{_name(title[s])}", other=s)
        return None

    def _unplayed(self, item: int) -> Fact:
        added = self._added_at(item)
        since = f"in your library since {self.date(added)}" if added == added else "in your library"
        if self.plays[item] > 0:  # the fallback of a played track: say what is true
            at = float(self.last_play[item])
            return Fact("played", f"played {times(int(self.plays[item]))}, last {self.when(at)}",
                        int(self.plays[item]), at=at)
        if self.listens[item] == 0:
            return Fact("unplayed", f"{since}, never played", 0, at=added)
        c = int(self.skips_any[item])
        return Fact("unplayed", f"{since}, not played through yet (started {times(c)})", c, at=added)

    def _added(self, item: int) -> Fact:
        added = self._added_at(item)
        when = self.when(added) if added == added else "recently"
        played = f"played {times(int(self.plays[item]))}" if self.plays[item] else "never played"
        return Fact("added", f"added {when}, {played}", int(self.plays[item]), at=added)

    def _added_at(self, item: int) -> float:
        added = self.catalog.added_at
        value = float(added[item]) if added is not None and len(added) > item else float("nan")
        return value if value > 0 else float("nan")

    def date(self, ts: float) -> str:
        return local_date_text(ts, self.offset)

    def when(self, ts: float) -> str:
        """"today", "yesterday" or "on 3 May 2025" (local dates)."""
        return when_text(ts, self.now, self.offset)


def local_date_text(ts: float, offset_min: int) -> str:
    d = datetime.fromtimestamp(ts + offset_min * 60, tz=UTC)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def when_text(ts: float, now: float, offset_min: int) -> str:
    days = int(_day_number(_local(now, offset_min))) - int(_day_number(_local(ts, offset_min)))
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return "on " + local_date_text(ts, offset_min)




def _name(title: str) -> str:
    return title.strip() or "an untitled track"


def standardised_audio(audio: FloatArray | None) -> FloatArray | None:
    """Audio vectors z-scored over the analysed tracks and scaled to unit length (zero rows
    where not analysed), so that a dot product is the cosine of standardised features."""
    if audio is None or not audio.size:
        return None
    a = np.asarray(audio, dtype=np.float64)
    known = np.asarray(~np.isnan(a).any(axis=1), dtype=bool)
    if known.sum() < 2:
        return None
    mean, std = a[known].mean(axis=0), a[known].std(axis=0)
    std[std == 0] = 1.0
    z = np.where(known[:, None], (np.nan_to_num(a) - mean) / std, 0.0)
    norm = np.linalg.norm(z, axis=1)
    norm[norm == 0] = 1.0
    return np.asarray(z / norm[:, None], dtype=np.float64)


@dataclass(frozen=True)
class Explained:
    reasons: tuple[str, ...]
    facts: tuple[Fact, ...] = field(default=())


def explain(explainer: Explainer, items: list[int] | tuple[int, ...], kind: str,
            new: frozenset[int] = frozenset(), seeds: tuple[int, ...] = ()) -> Explained:
    """Facts for a list of picks; `new` are a mix's discoveries (explained as such)."""
    facts = tuple(explainer.fact(int(i), "new" if int(i) in new else kind, seeds) for i in items)
    return Explained(tuple(f.text for f in facts), facts)
