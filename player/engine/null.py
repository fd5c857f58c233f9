"""NullEngine: a complete, silent, deterministic engine driven by a clock.

Position is clock time x rate since play (pauses excluded). Media ends when the position
reaches its duration (Media.duration_ms, else DEFAULT_DURATION_MS); a prepared media then
starts with no gap. Missing files (with check_files) and paths in fail_paths give "error".
Time only moves when the clock does, so tests with a FakeClock are exact.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable

from player.core.clock import Clock, SystemClock
from player.engine.base import EngineEvent, EngineState, Media

DEFAULT_DURATION_MS = 180_000


class NullEngine:
    name = "null"

    def __init__(self, clock: Clock | None = None, check_files: bool = True,
                 fail_paths: Iterable[str] = ()) -> None:
        self.clock = clock or SystemClock()
        self.check_files = check_files
        self.fail_paths = set(fail_paths)
        self._lock = threading.RLock()
        self._events: list[EngineEvent] = []
        self._current: Media | None = None
        self._next: Media | None = None
        self._state: EngineState = "stopped"
        self._pos = 0.0  # ms at _since
        self._since = 0.0  # clock.monotonic() when _pos was taken
        self._volume = 100
        self._muted = False
        self._rate = 1.0
        self.played: list[str] = []  # every path that started, in order (for tests)

    # -- time ------------------------------------------------------------------------------
    def _length(self, media: Media) -> int:
        return media.duration_ms if media.duration_ms > 0 else DEFAULT_DURATION_MS

    def _update(self) -> None:
        """Move the position to the clock's now, finishing media (and handing over) as needed."""
        now = self.clock.monotonic()
        if self._state != "playing" or self._current is None:
            self._since = now
            return
        self._pos += (now - self._since) * 1000.0 * self._rate
        self._since = now
        while self._state == "playing" and self._current is not None:
            length = self._length(self._current)
            if self._pos < length:
                return
            overshoot = self._pos - length
            ended, following = self._current, self._next
            self._next = None
            if following is None or not self._startable(following):
                self._current, self._state, self._pos = ended, "stopped", 0.0
                self._events.append(EngineEvent("ended", ended.token))
                if following is not None:
                    self._events.append(EngineEvent("error", following.token,
                                                    message=self._why(following)))
                return
            self._current, self._pos = following, overshoot
            self.played.append(following.path)
            self._events.append(EngineEvent("ended", ended.token, next_token=following.token))
            self._events.append(EngineEvent("playing", following.token))

    def _startable(self, media: Media) -> bool:
        return not self._why(media)

    def _why(self, media: Media) -> str:
        if media.path in self.fail_paths:
            return f"cannot play {media.path}: simulated failure"
        if self.check_files and not os.path.isfile(media.path):
            return f"cannot play {media.path}: file not found"
        return ""

    # -- commands --------------------------------------------------------------------------
    def load(self, media: Media) -> None:
        with self._lock:
            self._update()
            self._current, self._state, self._pos = media, "stopped", 0.0
            self._since = self.clock.monotonic()

    def prepare_next(self, media: Media | None) -> None:
        with self._lock:
            self._update()
            self._next = media

    def play(self) -> None:
        with self._lock:
            self._update()
            media = self._current
            if media is None or self._state == "playing":
                return
            problem = self._why(media)
            if problem:
                self._state = "stopped"
                self._events.append(EngineEvent("error", media.token, message=problem))
                return
            if self._state == "stopped":
                self._pos = 0.0
                self.played.append(media.path)
            self._state, self._since = "playing", self.clock.monotonic()
            self._events.append(EngineEvent("playing", media.token))

    def pause(self) -> None:
        with self._lock:
            self._update()
            if self._state == "playing" and self._current is not None:
                self._state = "paused"
                self._events.append(EngineEvent("paused", self._current.token))

    def stop(self) -> None:
        with self._lock:
            self._update()
            self._state, self._pos = "stopped", 0.0

    def seek(self, ms: int) -> None:
        with self._lock:
            self._update()
            if self._current is not None and self._state != "stopped":
                self._pos = float(min(max(ms, 0), self._length(self._current)))
                self._update()

    # -- reading ---------------------------------------------------------------------------
    def position(self) -> int:
        with self._lock:
            self._update()
            return int(round(self._pos)) if self._state != "stopped" else 0

    def duration(self) -> int:
        with self._lock:
            return self._length(self._current) if self._current is not None else 0

    def state(self) -> EngineState:
        with self._lock:
            self._update()
            return self._state

    def set_volume(self, volume: int) -> None:
        with self._lock:
            self._volume = min(max(int(volume), 0), 100)

    def set_muted(self, muted: bool) -> None:
        with self._lock:
            self._muted = bool(muted)

    def set_rate(self, rate: float) -> None:
        with self._lock:
            self._update()
            self._rate = max(0.01, float(rate))

    def effective_volume(self) -> float:
        with self._lock:
            if self._muted:
                return 0.0
            gain = self._current.gain if self._current is not None else 1.0
            return self._volume / 100.0 * gain

    def poll_events(self) -> list[EngineEvent]:
        with self._lock:
            self._update()
            events, self._events = self._events, []
            return events

    def close(self) -> None:
        with self._lock:
            self._state, self._current, self._next = "stopped", None, None
