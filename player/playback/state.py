"""What PlaybackService tells its listeners: a state snapshot and typed events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from player.core.models import Track
from player.core.queue import RepeatMode

PlaybackEventKind = Literal["track_changed", "state_changed", "queue_changed", "position", "error",
                            "queue_finished", "skipped", "notice"]


@dataclass(frozen=True, slots=True)
class PlaybackState:
    """A snapshot: safe to keep, never changes under you. Light: it is built for every event
    (the position tick included) in O(1). `queue` is the queue's one tuple for its version,
    shared, never copied per event; a view compares `queue_version` to know whether the queue
    changed at all, and redraws it only then."""

    current: Track | None = None
    index: int = -1  # of current in queue, -1 when none
    queue: tuple[Track, ...] = ()
    queue_version: int = 0  # changes whenever the queue's content or order changes
    position_ms: int = 0
    duration_ms: int = 0
    playing: bool = False
    paused: bool = False
    volume: int = 100
    muted: bool = False
    shuffle: bool = False
    repeat: RepeatMode = "off"
    liked: bool = False  # the current track's
    banned: bool = False


@dataclass(frozen=True, slots=True)
class PlaybackEvent:
    """kind says what changed; state is the snapshot after the change.

    track_changed: state.current is the new track (None when playback ended).
    state_changed: playing/paused/volume/muted/shuffle/repeat/like changed.
    queue_changed: the queue's content or order changed.
    position: emitted by tick() while playing.
    error: track could not be played (message says why); the queue went on.
    queue_finished: the queue played to its end by itself (track: the last one).
    notice: something the listener should know that is not an error (message), e.g. that
        the track is being converted before it can play.
    skipped: the user left track early enough to count as a skip (PRODUCT.md); source says
        where that listen came from (library, radio, context queue, ...).
    """

    kind: PlaybackEventKind
    state: PlaybackState = field(default_factory=PlaybackState)
    track: Track | None = None
    message: str = ""
    source: str = ""
