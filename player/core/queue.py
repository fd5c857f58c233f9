"""The play queue: what plays next, shuffle and repeat. Pure: no I/O, no clock, no engine.

The queue is one list of entries in play order, so the queue panel shows exactly what will
play. It is kept as parallel columns (tracks, entry ids, sources, original ranks) so that a
queue of 100,000 tracks is made, extended and advanced at C speed; a QueueEntry is built only
for the entries someone asks about (the current one, the next one). Turning shuffle on shuffles the entries after the current one (every track still plays
once); turning it off puts all entries back in their original order, carrying on from the
current one. With shuffle and repeat all, each new cycle is shuffled afresh.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from player.core.models import Track

RepeatMode = Literal["off", "all", "one"]
REPEAT_MODES: tuple[RepeatMode, ...] = ("off", "all", "one")
RESTART_THRESHOLD_MS = 3000  # previous() restarts the track when further in than this


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One place in the queue. entry_id tells apart two entries of the same track."""

    entry_id: int
    track: Track
    source: str = "library"
    source_id: str = ""


@dataclass(frozen=True, slots=True)
class QueueColumns:
    """The queue's content frozen at one version: cheap to take (tuple copies, no Python loop),
    turned into a QueueSnapshot off the GUI thread (snapshot_of)."""

    tracks: tuple[Track, ...]
    sources: tuple[tuple[str, str], ...]
    ranks: tuple[float, ...]
    index: int
    shuffle: bool
    repeat: RepeatMode
    version: int


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    """The queue as plain values, for saving: track ids, sources, order and modes."""

    track_ids: tuple[int, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()
    ranks: tuple[float, ...] = ()
    index: int = -1
    shuffle: bool = False
    repeat: RepeatMode = "off"


def artist_key(track: Track) -> str:
    name = (track.artist or track.album_artist).casefold().strip()
    return name or f"#{track.id}"  # unknown artists are not one big artist


def spread_shuffle(items: Sequence[QueueEntry], rng: random.Random) -> list[QueueEntry]:
    """A random order that spreads each artist's tracks evenly across the list.

    Each artist's tracks get evenly spaced positions with a random offset and jitter (the
    approach Spotify described in 2014), then a pass swaps away same-artist neighbours.
    """
    order = _spread(list(range(len(items))), [artist_key(e.track) for e in items], rng)
    return [items[i] for i in order]


def _spread(positions: list[int], keys: Sequence[str], rng: random.Random) -> list[int]:
    """spread_shuffle over positions; keys[p] is position p's artist key."""
    groups: dict[str, list[int]] = {}
    for p in positions:
        groups.setdefault(keys[p], []).append(p)
    placed: list[tuple[float, str, int]] = []
    uniform = rng.random
    for key, group in groups.items():
        rng.shuffle(group)
        n = len(group)
        offset = uniform() / n
        for i, p in enumerate(group):
            jitter = (uniform() - 0.5) * 0.2 / n
            placed.append((offset + i / n + jitter, key, p))
    placed.sort(key=lambda x: x[0])
    order = [x[2] for x in placed]
    _separate_neighbours(order, [x[1] for x in placed])
    return order


def _separate_neighbours(order: list[int], keys: list[str], lookahead: int = 64) -> None:
    """Where an item repeats its predecessor's artist, pull forward the nearest later item of
    another artist (looking a bounded way ahead, so a big library stays fast)."""
    for i in range(1, len(order)):
        if keys[i] != keys[i - 1]:
            continue
        for j in range(i + 1, min(len(order), i + lookahead)):
            if keys[j] != keys[i - 1]:
                order[i : j + 1] = [order[j], *order[i:j]]
                keys[i : j + 1] = [keys[j], *keys[i:j]]
                break


def snapshot_of(columns: QueueColumns) -> QueueSnapshot:
    """The saved form of frozen columns (a Python loop over the queue: run it off the GUI)."""
    return QueueSnapshot(
        track_ids=tuple(t.id for t in columns.tracks), sources=columns.sources,
        ranks=columns.ranks, index=columns.index, shuffle=columns.shuffle, repeat=columns.repeat)


class PlayQueue:
    """Entries in play order and the index of the current one (-1: none)."""

    def __init__(self, rng: random.Random | None = None) -> None:
        # parallel columns, in play order
        self._tracks: list[Track] = []
        self._ids: list[int] = []  # entry ids: tell apart two entries of the same track
        self._src: list[tuple[str, str]] = []  # (source, source_id)
        self._ranks: list[float] = []  # place in the original (unshuffled) order...
        self._ranks_are_positions = True  # ...unless this says it is just the position (lazy)
        self._index = -1
        self._next_id = 1
        self._rng = rng or random.Random()
        self._cycle: list[int] | None = None  # positions in the next cycle's order, once peeked
        self._tracks_cache: tuple[int, tuple[Track, ...]] = (-1, ())
        self.shuffle = False
        self.repeat: RepeatMode = "off"
        self.version = 0  # +1 whenever the entries or their order change (not the index)

    # -- reading ---------------------------------------------------------------------------
    def _entry(self, i: int) -> QueueEntry:
        source, source_id = self._src[i]
        return QueueEntry(self._ids[i], self._tracks[i], source, source_id)

    @property
    def entries(self) -> tuple[QueueEntry, ...]:
        return tuple(self._entry(i) for i in range(len(self._ids)))

    @property
    def tracks(self) -> tuple[Track, ...]:
        """The tracks in play order: one tuple per version, shared by every reader."""
        version, cached = self._tracks_cache
        if version != self.version:
            cached = tuple(self._tracks)
            self._tracks_cache = (self.version, cached)
        return cached

    @property
    def index(self) -> int:
        return self._index

    @property
    def current(self) -> QueueEntry | None:
        return self._entry(self._index) if 0 <= self._index < len(self._ids) else None

    def __len__(self) -> int:
        return len(self._ids)

    def _rank_list(self) -> list[float]:
        """The ranks as a list, made from the positions when they were left implicit."""
        if self._ranks_are_positions:
            self._ranks = list(map(float, range(len(self._ids))))
            self._ranks_are_positions = False
        return self._ranks

    def _ranks_follow_positions(self) -> None:
        self._ranks, self._ranks_are_positions = [], True

    def columns(self) -> QueueColumns:
        ranks = () if self._ranks_are_positions else tuple(self._ranks)  # () = the positions
        return QueueColumns(self.tracks, tuple(self._src), ranks, self._index,
                            self.shuffle, self.repeat, self.version)

    # -- filling ---------------------------------------------------------------------------
    def _new_ids(self, count: int) -> list[int]:
        ids = list(range(self._next_id, self._next_id + count))
        self._next_id += count
        return ids

    def _reorder(self, order: list[int]) -> None:
        """Put the columns in the order of positions `order` (a subset drops the others)."""
        ranks = self._rank_list()  # before the columns change length
        self._tracks = [self._tracks[i] for i in order]
        self._ids = [self._ids[i] for i in order]
        self._src = [self._src[i] for i in order]
        self._ranks = [ranks[i] for i in order]

    def _keys(self) -> list[str]:
        return [artist_key(t) for t in self._tracks]

    def set_tracks(self, tracks: Sequence[Track], start: int = 0, source: str = "library",
                   source_id: str = "") -> QueueEntry | None:
        """Replace the queue; tracks[start] becomes current (first, when shuffled)."""
        count = len(tracks)
        self._tracks = list(tracks)
        self._ids = self._new_ids(count)
        self._src = [(source, source_id)] * count
        self._ranks_follow_positions()
        self._cycle = None
        self.version += 1
        if not count:
            self._index = -1
            return None
        start = min(max(start, 0), count - 1)
        if self.shuffle:
            rest = [p for p in range(count) if p != start]
            self._reorder([start, *_spread(rest, self._keys(), self._rng)])
            start = 0
        self._index = start
        return self._entry(start)

    def _insert(self, at: int, tracks: Sequence[Track], source: str, source_id: str,
                ranks: list[float]) -> None:
        count = len(tracks)
        self._tracks[at:at] = list(tracks)
        self._ids[at:at] = self._new_ids(count)
        self._src[at:at] = [(source, source_id)] * count
        self._rank_list()[at:at] = ranks

    def play_next(self, tracks: Sequence[Track], source: str = "queue", source_id: str = "") -> None:
        """Insert tracks right after the current one, in the given order."""
        count = len(tracks)
        all_ranks = self._rank_list()
        base = all_ranks[self._index] if self.current is not None else -1.0
        ceiling = min((r for r in all_ranks if r > base), default=base + 1.0)
        # between current and what followed it originally
        ranks = [base + (ceiling - base) * (i + 1) / (count + 1) for i in range(count)]
        self._insert(self._index + 1, tracks, source, source_id, ranks)
        self._changed()

    def add(self, tracks: Sequence[Track], source: str = "queue", source_id: str = "") -> None:
        """Append tracks at the end."""
        top = max(self._rank_list(), default=-1.0)
        self._insert(len(self._ids), tracks, source, source_id,
                     [top + 1.0 + i for i in range(len(tracks))])
        self._changed()

    def move(self, src: int, dst: int) -> None:
        """Move the entry at src so it ends up at dst; the current entry stays current."""
        if not (0 <= src < len(self._ids)):
            raise IndexError(f"no queue entry {src}")
        dst = min(max(dst, 0), len(self._ids) - 1)
        current_id = self._ids[self._index] if self.current is not None else None
        self._tracks.insert(dst, self._tracks.pop(src))
        self._ids.insert(dst, self._ids.pop(src))
        self._src.insert(dst, self._src.pop(src))
        ranks = self._rank_list()
        ranks.insert(dst, ranks.pop(src))
        if current_id is not None:
            self._index = self._ids.index(current_id)
        self._changed()

    def remove(self, index: int) -> bool:
        """Remove one entry; True when it was the current one (the caller moves on)."""
        if not (0 <= index < len(self._ids)):
            raise IndexError(f"no queue entry {index}")
        self._rank_list()
        for column in (self._tracks, self._ids, self._src, self._ranks):
            del column[index]
        was_current = index == self._index
        if index <= self._index:
            self._index -= 1  # when current: points before what followed it
        self._changed()
        return was_current

    def replace_upcoming(self, tracks: Sequence[Track], source: str = "queue",
                         source_id: str = "") -> None:
        """Everything after the current entry becomes tracks (what played stays)."""
        keep = self._index + 1
        self._rank_list()
        for column in (self._tracks, self._ids, self._src, self._ranks):
            del column[keep:]
        top = max(self._ranks, default=-1.0)
        self._insert(keep, tracks, source, source_id, [top + 1.0 + i for i in range(len(tracks))])
        self._changed()

    def drop_upcoming(self, track_id: int) -> int:
        """Remove the entries of a track that are still to come; returns how many."""
        keep = [i for i, t in enumerate(self._tracks) if i <= self._index or t.id != track_id]
        removed = len(self._ids) - len(keep)
        if removed:
            self._reorder(keep)
            self._changed()
        return removed

    def clear(self) -> None:
        """Remove every entry but the current one."""
        self._reorder([self._index] if self.current is not None else [])
        self._index = 0 if self._ids else -1
        self._changed()

    # -- modes -----------------------------------------------------------------------------
    def set_shuffle(self, on: bool) -> None:
        if on == self.shuffle:
            return
        self.shuffle = on
        current_id = self._ids[self._index] if self.current is not None else None
        if on:  # what the user queued stays next, in order; the rest is shuffled
            upcoming = range(self._index + 1, len(self._ids))
            queued = [p for p in upcoming if self._src[p][0] == "queue"]
            rest = [p for p in upcoming if self._src[p][0] != "queue"]
            head = list(range(self._index + 1))
            self._reorder(head + queued + _spread(rest, self._keys(), self._rng))
        else:
            self._reorder(sorted(range(len(self._ids)), key=self._rank_list().__getitem__))
            if current_id is not None:
                self._index = self._ids.index(current_id)
        self._changed()

    def set_repeat(self, mode: RepeatMode) -> None:
        if mode not in REPEAT_MODES:
            raise ValueError(f"repeat must be one of {REPEAT_MODES}, not {mode!r}")
        self.repeat = mode
        self._cycle = None

    # -- moving ----------------------------------------------------------------------------
    def peek_next(self, auto: bool = True) -> QueueEntry | None:
        """What advance(auto) would make current, without moving. auto: the track ended."""
        if not self._ids:
            return None
        if auto and self.repeat == "one" and self.current is not None:
            return self.current
        if self._index + 1 < len(self._ids):
            return self._entry(self._index + 1)
        if self.repeat == "off":
            return None
        return self._entry(self._next_cycle()[0])

    def advance(self, auto: bool = True) -> QueueEntry | None:
        """Move to the next entry; None (and no move) at the end with repeat off."""
        following = self.peek_next(auto)
        if following is None:
            return None
        if self.current is not None and following.entry_id == self._ids[self._index]:
            return following
        if self._index + 1 < len(self._ids):
            self._index += 1
        else:
            self._reorder(self._next_cycle())
            self._index = 0
            self._cycle = None
            self.version += 1
        return self._entry(self._index)

    def back(self) -> QueueEntry | None:
        """Move to the previous entry (the last one with repeat all); None at the start."""
        if self._index > 0:
            self._index -= 1
            return self._entry(self._index)
        if self._index == 0 and self.repeat == "all" and len(self._ids) > 1:
            self._index = len(self._ids) - 1
            return self._entry(self._index)
        return None

    def jump(self, index: int) -> QueueEntry:
        if not (0 <= index < len(self._ids)):
            raise IndexError(f"no queue entry {index}")
        self._index = index
        return self._entry(index)

    def _next_cycle(self) -> list[int]:
        """The order after a wrap: the same, or (shuffled) a fresh shuffle of everything."""
        if not self.shuffle:
            return list(range(len(self._ids)))
        if self._cycle is None:
            cycle = _spread(list(range(len(self._ids))), self._keys(), self._rng)
            if len(cycle) > 1 and cycle[0] == self._index:  # not the same track twice in a row
                cycle.append(cycle.pop(0))
            self._cycle = cycle
        return self._cycle

    def _changed(self) -> None:
        self.version += 1
        self._cycle = None
        if not self.shuffle:
            self._ranks_follow_positions()

    # -- saving ----------------------------------------------------------------------------
    def snapshot(self) -> QueueSnapshot:
        return snapshot_of(self.columns())

    def restore(self, snap: QueueSnapshot, lookup: Callable[[int], Track | None]) -> None:
        """Rebuild from a snapshot; tracks lookup no longer finds are dropped."""
        self.shuffle, self.repeat = snap.shuffle, snap.repeat
        self._tracks, self._ids, self._src, self._ranks = [], [], [], []
        self._ranks_are_positions = False
        self._index, self._cycle = -1, None
        self.version += 1
        sources = snap.sources or tuple(("library", "") for _ in snap.track_ids)
        ranks = snap.ranks or tuple(float(i) for i in range(len(snap.track_ids)))
        for i, (track_id, (source, source_id), rank) in enumerate(
                zip(snap.track_ids, sources, ranks, strict=False)):
            track = lookup(track_id)
            if track is None:
                continue
            self._tracks.append(track)
            self._ids.extend(self._new_ids(1))
            self._src.append((source, source_id))
            self._ranks.append(float(rank))
            if i <= snap.index:
                self._index = len(self._ids) - 1
        if not self._ids:
            self._index = -1
