"""The Engine Protocol: what PlaybackService needs from a player backend.

An engine plays one *current* media and may hold one *prepared* media: when the current one
ends, the engine starts the prepared one itself (so the handover gap stays small) and reports
it in the "ended" event. Engines never call back into their owner: events are queued and the
owner drains them with `poll_events()` from its own thread.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

EngineState = Literal["stopped", "playing", "paused"]
EngineEventKind = Literal["playing", "paused", "ended", "error", "converting"]


@dataclass(frozen=True, slots=True)
class Media:
    """One file to play. token: the owner's id for it, echoed in events (stale ones are ignored).

    duration_ms: a hint (from the library) for engines that cannot read files (NullEngine).
    gain: linear volume factor for ReplayGain (1.0 = unchanged), applied on top of the volume.
    """

    path: str
    token: int
    duration_ms: int = 0
    gain: float = 1.0


@dataclass(frozen=True, slots=True)
class EngineEvent:
    """Something the engine did on its own.

    playing/paused: the media `token` started or resumed / was paused.
    ended: `token` played to its end; `next_token` is the prepared media the engine switched to
    (None when nothing was prepared: the engine is then stopped). With a crossfade the event
    comes when the overlap starts: `fade_ms` is how much of `token` (track ms) still plays,
    fading out, under the next one (0: none, the gapless handover).
    error: `token` could not be played (`message` says why); the engine is stopped.
    converting: `token` is to play but its format needs a converted copy first (`message`
    says so); "playing" follows when the copy is ready, "error" when it cannot be made.
    """

    kind: EngineEventKind
    token: int
    next_token: int | None = None
    message: str = ""
    fade_ms: int = 0


class PlayableCopies(Protocol):
    """Copies, in a format the engine plays, of files it cannot decode itself (DSD for libVLC
    3). Made off the owner's thread by the engine; implemented above engine/ (it needs FFmpeg)."""

    def needs_copy(self, path: str) -> bool: ...

    def ready_copy(self, path: str) -> str | None:
        """The copy made earlier, when it is still that file's (else None)."""
        ...

    def make_copy(self, path: str, wanted: Callable[[], bool]) -> str:
        """Convert path (slow), return the copy's path; raises KnownError with the reason.
        Gives up early once wanted() is False."""
        ...

    def describe(self, path: str) -> str:
        """What the listener is told while the copy is made."""
        ...


@runtime_checkable
class Engine(Protocol):
    name: str

    def load(self, media: Media) -> None:
        """Make media the current one (stopped, at 0), dropping the previous current."""
        ...

    def prepare_next(self, media: Media | None) -> None:
        """Get media ready to start the moment the current one ends (None: forget it)."""
        ...

    def play(self) -> None:
        """Start or resume the current media."""
        ...

    def pause(self) -> None: ...

    def stop(self) -> None: ...

    def seek(self, ms: int) -> None: ...

    def position(self) -> int:
        """Milliseconds into the current media (0 when stopped)."""
        ...

    def duration(self) -> int:
        """Length of the current media in ms (0 when unknown)."""
        ...

    def state(self) -> EngineState: ...

    def set_volume(self, volume: int) -> None:
        """0..100, before ReplayGain."""
        ...

    def set_muted(self, muted: bool) -> None: ...

    def set_rate(self, rate: float) -> None:
        """Playback speed (1.0 normal); kept across media. For fast tests."""
        ...

    def set_crossfade(self, seconds: float) -> None:
        """Overlap each track with the next by this many seconds (track time; 0..12, 0 = off:
        gapless). Only handovers at a track's end fade; load/next/previous cut as ever."""
        ...

    def effective_volume(self) -> float:
        """What the listener gets: volume/100 x gain, 0 when muted (0.0..2.0)."""
        ...

    def poll_events(self) -> list[EngineEvent]:
        """Events since the last call, oldest first. Thread-safe."""
        ...

    def close(self) -> None: ...


def replaygain_factor(gain_db: float | None, peak: float | None, preamp_db: float = 0.0) -> float:
    """Linear factor for a ReplayGain gain (dB), limited so peak x factor stays <= 1."""
    if gain_db is None:
        return 1.0
    factor = math.pow(10.0, (gain_db + preamp_db) / 20.0)
    if peak and peak > 0:
        factor = min(factor, 1.0 / peak)
    return max(0.0, min(factor, 4.0))
