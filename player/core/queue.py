"""The play queue: what plays next, shuffle and repeat. Pure: no I/O, no clock, no engine.

The queue is one list of entries in play order, so the queue panel shows exactly what will
play. Turning shuffle on shuffles the entries after the current one (every track still plays
once); turning it off puts all entries back in their original order, carrying on from the
current one. With shuffle and repeat all, each new cycle is shuffled afresh.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
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
    groups: dict[str, list[QueueEntry]] = {}
    for item in items:
        groups.setdefault(artist_key(item.track), []).append(item)
    placed: list[tuple[float, str, QueueEntry]] = []
    uniform = rng.random
    for key, group in groups.items():
        rng.shuffle(group)
        n = len(group)
        offset = uniform() / n
        for i, item in enumerate(group):
            jitter = (uniform() - 0.5) * 0.2 / n
            placed.append((offset + i / n + jitter, key, item))
    placed.sort(key=lambda p: p[0])
    order = [p[2] for p in placed]
    _separate_neighbours(order, [p[1] for p in placed])
    return order


def _separate_neighbours(order: list[QueueEntry], keys: list[str], lookahead: int = 64) -> None:
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


class PlayQueue:
    """Entries in play order and the index of the current one (-1: none)."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self._entries: list[QueueEntry] = []
        self._rank: dict[int, float] = {}  # entry_id -> place in the original order
        self._index = -1
        self._next_id = 1
        self._rng = rng or random.Random()
        self._cycle: list[QueueEntry] | None = None  # the next shuffled cycle, once peeked
        self.shuffle = False
        self.repeat: RepeatMode = "off"
        self.version = 0  # +1 whenever the entries or their order change (not the index)

    # -- reading ---------------------------------------------------------------------------
    @property
    def entries(self) -> tuple[QueueEntry, ...]:
        return tuple(self._entries)

    @property
    def tracks(self) -> tuple[Track, ...]:
        return tuple(e.track for e in self._entries)

    @property
    def index(self) -> int:
        return self._index

    @property
    def current(self) -> QueueEntry | None:
        return self._entries[self._index] if 0 <= self._index < len(self._entries) else None

    def __len__(self) -> int:
        return len(self._entries)

    # -- filling ---------------------------------------------------------------------------
    def _new_entries(self, tracks: Iterable[Track], source: str, source_id: str) -> list[QueueEntry]:
        out = []
        for track in tracks:
            out.append(QueueEntry(self._next_id, track, source, source_id))
            self._next_id += 1
        return out

    def set_tracks(self, tracks: Sequence[Track], start: int = 0, source: str = "library",
                   source_id: str = "") -> QueueEntry | None:
        """Replace the queue; tracks[start] becomes current (first, when shuffled)."""
        entries = self._new_entries(tracks, source, source_id)
        self._rank = {e.entry_id: float(i) for i, e in enumerate(entries)}
        self._cycle = None
        self.version += 1
        if not entries:
            self._entries, self._index = [], -1
            return None
        start = min(max(start, 0), len(entries) - 1)
        if self.shuffle:
            chosen = entries.pop(start)
            entries = [chosen, *spread_shuffle(entries, self._rng)]
            start = 0
        self._entries, self._index = entries, start
        return self._entries[start]

    def play_next(self, tracks: Sequence[Track], source: str = "queue", source_id: str = "") -> None:
        """Insert tracks right after the current one, in the given order."""
        new = self._new_entries(tracks, source, source_id)
        at = self._index + 1
        base = self._rank.get(self.current.entry_id, -1.0) if self.current else -1.0
        after = [r for r in self._rank.values() if r > base]
        ceiling = min(after) if after else base + 1.0
        for i, entry in enumerate(new):  # between current and what followed it originally
            self._rank[entry.entry_id] = base + (ceiling - base) * (i + 1) / (len(new) + 1)
        self._entries[at:at] = new
        self._changed()

    def add(self, tracks: Sequence[Track], source: str = "queue", source_id: str = "") -> None:
        """Append tracks at the end."""
        new = self._new_entries(tracks, source, source_id)
        top = max(self._rank.values(), default=-1.0)
        for i, entry in enumerate(new):
            self._rank[entry.entry_id] = top + 1.0 + i
        self._entries.extend(new)
        self._changed()

    def move(self, src: int, dst: int) -> None:
        """Move the entry at src so it ends up at dst; the current entry stays current."""
        if not (0 <= src < len(self._entries)):
            raise IndexError(f"no queue entry {src}")
        dst = min(max(dst, 0), len(self._entries) - 1)
        current = self.current
        entry = self._entries.pop(src)
        self._entries.insert(dst, entry)
        if current is not None:
            self._index = self._entries.index(current)
        if not self.shuffle:
            self._renumber()
        self._changed()

    def remove(self, index: int) -> bool:
        """Remove one entry; True when it was the current one (the caller moves on)."""
        if not (0 <= index < len(self._entries)):
            raise IndexError(f"no queue entry {index}")
        entry = self._entries.pop(index)
        self._rank.pop(entry.entry_id, None)
        was_current = index == self._index
        if index <= self._index:
            self._index -= 1  # when current: points before what followed it
        self._changed()
        return was_current

    def replace_upcoming(self, tracks: Sequence[Track], source: str = "queue",
                         source_id: str = "") -> None:
        """Everything after the current entry becomes tracks (what played stays)."""
        new = self._new_entries(tracks, source, source_id)
        kept = self._entries[: self._index + 1]
        self._rank = {e.entry_id: self._rank.get(e.entry_id, float(i)) for i, e in enumerate(kept)}
        top = max(self._rank.values(), default=-1.0)
        for i, entry in enumerate(new):
            self._rank[entry.entry_id] = top + 1.0 + i
        self._entries = kept + new
        self._changed()

    def drop_upcoming(self, track_id: int) -> int:
        """Remove the entries of a track that are still to come; returns how many."""
        keep = [e for i, e in enumerate(self._entries) if i <= self._index or e.track.id != track_id]
        removed = len(self._entries) - len(keep)
        if removed:
            kept_ids = {e.entry_id for e in keep}
            self._rank = {k: r for k, r in self._rank.items() if k in kept_ids}
            self._entries = keep
            self._changed()
        return removed

    def clear(self) -> None:
        """Remove every entry but the current one."""
        current = self.current
        self._entries = [current] if current else []
        self._index = 0 if current else -1
        self._rank = {current.entry_id: 0.0} if current else {}
        self._changed()

    # -- modes -----------------------------------------------------------------------------
    def set_shuffle(self, on: bool) -> None:
        if on == self.shuffle:
            return
        self.shuffle = on
        current = self.current
        if on:  # what the user queued stays next, in order; the rest is shuffled
            head = self._entries[: self._index + 1]
            upcoming = self._entries[self._index + 1 :]
            queued = [e for e in upcoming if e.source == "queue"]
            rest = [e for e in upcoming if e.source != "queue"]
            self._entries = head + queued + spread_shuffle(rest, self._rng)
        else:
            self._entries.sort(key=lambda e: self._rank.get(e.entry_id, 0.0))
            if current is not None:
                self._index = self._entries.index(current)
        self._changed()

    def set_repeat(self, mode: RepeatMode) -> None:
        if mode not in REPEAT_MODES:
            raise ValueError(f"repeat must be one of {REPEAT_MODES}, not {mode!r}")
        self.repeat = mode
        self._cycle = None

    # -- moving ----------------------------------------------------------------------------
    def peek_next(self, auto: bool = True) -> QueueEntry | None:
        """What advance(auto) would make current, without moving. auto: the track ended."""
        if not self._entries:
            return None
        if auto and self.repeat == "one" and self.current is not None:
            return self.current
        if self._index + 1 < len(self._entries):
            return self._entries[self._index + 1]
        if self.repeat == "off":
            return None
        return self._next_cycle()[0]

    def advance(self, auto: bool = True) -> QueueEntry | None:
        """Move to the next entry; None (and no move) at the end with repeat off."""
        following = self.peek_next(auto)
        if following is None:
            return None
        if following is self.current:
            return following
        if self._index + 1 < len(self._entries):
            self._index += 1
        else:
            self._entries, self._index = self._next_cycle(), 0
            self._cycle = None
            self.version += 1
        return self._entries[self._index]

    def back(self) -> QueueEntry | None:
        """Move to the previous entry (the last one with repeat all); None at the start."""
        if self._index > 0:
            self._index -= 1
            return self._entries[self._index]
        if self._index == 0 and self.repeat == "all" and len(self._entries) > 1:
            self._index = len(self._entries) - 1
            return self._entries[self._index]
        return None

    def jump(self, index: int) -> QueueEntry:
        if not (0 <= index < len(self._entries)):
            raise IndexError(f"no queue entry {index}")
        self._index = index
        return self._entries[index]

    def _next_cycle(self) -> list[QueueEntry]:
        """The order after a wrap: the same, or (shuffled) a fresh shuffle of everything."""
        if not self.shuffle:
            return list(self._entries)
        if self._cycle is None:
            cycle = spread_shuffle(self._entries, self._rng)
            last = self.current
            if len(cycle) > 1 and cycle[0] is last:  # do not play the same track twice in a row
                cycle.append(cycle.pop(0))
            self._cycle = cycle
        return self._cycle

    def _renumber(self) -> None:
        self._rank = {e.entry_id: float(i) for i, e in enumerate(self._entries)}

    def _changed(self) -> None:
        self.version += 1
        self._cycle = None
        if not self.shuffle:
            self._renumber()

    # -- saving ----------------------------------------------------------------------------
    def snapshot(self) -> QueueSnapshot:
        return QueueSnapshot(
            track_ids=tuple(e.track.id for e in self._entries),
            sources=tuple((e.source, e.source_id) for e in self._entries),
            ranks=tuple(self._rank.get(e.entry_id, 0.0) for e in self._entries),
            index=self._index, shuffle=self.shuffle, repeat=self.repeat,
        )

    def restore(self, snap: QueueSnapshot, lookup: Callable[[int], Track | None]) -> None:
        """Rebuild from a snapshot; tracks lookup no longer finds are dropped."""
        self.shuffle, self.repeat = snap.shuffle, snap.repeat
        self._entries, self._rank, self._index, self._cycle = [], {}, -1, None
        self.version += 1
        sources = snap.sources or tuple(("library", "") for _ in snap.track_ids)
        ranks = snap.ranks or tuple(float(i) for i in range(len(snap.track_ids)))
        for i, (track_id, (source, source_id), rank) in enumerate(
                zip(snap.track_ids, sources, ranks, strict=False)):
            track = lookup(track_id)
            if track is None:
                continue
            entry = self._new_entries([track], source, source_id)[0]
            self._entries.append(entry)
            self._rank[entry.entry_id] = rank
            if i <= snap.index:
                self._index = len(self._entries) - 1
        if not self._entries:
            self._index = -1
