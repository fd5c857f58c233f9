"""NullEngine: a complete, silent, deterministic engine driven by a clock.

Position is clock time x rate since play (pauses excluded). Media ends when the position
reaches its duration (Media.duration_ms, else DEFAULT_DURATION_MS); a prepared media then
starts with no gap. Missing files (with check_files) and paths in fail_paths give "error".
Time only moves when the clock does, so tests with a FakeClock are exact.

Crossfade (set_crossfade): the prepared media starts the fade length before the current one's
end and the outgoing one keeps sounding, fading, until its end; audible() tells who is heard
and how loud. pause/seek/load/stop cut a fade short.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable

from player.core.clock import Clock, SystemClock
from player.engine.base import EngineEvent, EngineState, Media
from player.engine.crossfade import clamp_seconds, fade_gains, fade_length_ms

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
        self._crossfade_ms = 0.0
        # the outgoing media of a crossfade: (media, fade length, ms of it still to play)
        self._fading: tuple[Media, float, float] | None = None
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
        step = (now - self._since) * 1000.0 * self._rate
        self._pos += step
        self._since = now
        if self._fading is not None:
            media, total, left = self._fading
            self._fading = (media, total, left - step) if left - step > 0 else None
        while self._state == "playing" and self._current is not None:
            length = self._length(self._current)
            fade = self._fade_for(self._current, self._next)
            if self._pos < length - fade:
                return
            overshoot = self._pos - (length - fade)
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
            self._fading = (ended, fade, fade - overshoot) if fade - overshoot > 0 else None
            self.played.append(following.path)
            self._events.append(EngineEvent("ended", ended.token, next_token=following.token,
                                            fade_ms=int(round(fade))))
            self._events.append(EngineEvent("playing", following.token))

    def _fade_for(self, current: Media, following: Media | None) -> float:
        """The overlap (ms) with which following takes over from current (0: gapless).
        The same file again (repeat one) follows gaplessly."""
        if (following is None or self._crossfade_ms <= 0 or following.path == current.path
                or not self._startable(following)):
            return 0.0
        return fade_length_ms(self._crossfade_ms, self._length(current), self._length(following))

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
            self._fading = None
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
            self._fading = None
            if self._state == "playing" and self._current is not None:
                self._state = "paused"
                self._events.append(EngineEvent("paused", self._current.token))

    def stop(self) -> None:
        with self._lock:
            self._update()
            self._fading = None
            self._state, self._pos = "stopped", 0.0

    def seek(self, ms: int) -> None:
        with self._lock:
            self._update()
            self._fading = None
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

    def set_crossfade(self, seconds: float) -> None:
        with self._lock:
            self._update()
            self._crossfade_ms = clamp_seconds(seconds) * 1000.0

    def effective_volume(self) -> float:
        with self._lock:
            self._update()
            if self._current is None:
                return 0.0 if self._muted else self._volume / 100.0
            return self.audible().get(self._current.token, self._level(self._current, 1.0))

    def audible(self) -> dict[int, float]:
        """token -> volume heard now (volume/100 x gain x fade, 0 when muted) of every media
        sounding: the current one, and during a crossfade the outgoing one too."""
        with self._lock:
            self._update()
            heard: dict[int, float] = {}
            if self._current is None or self._state != "playing":
                return heard
            fade_in = 1.0
            if self._fading is not None:
                media, total, left = self._fading
                fade_out, fade_in = fade_gains(1.0 - left / total)
                heard[media.token] = self._level(media, fade_out)
            heard[self._current.token] = self._level(self._current, fade_in)
            return heard

    def _level(self, media: Media, fade: float) -> float:
        return 0.0 if self._muted else self._volume / 100.0 * media.gain * fade

    def poll_events(self) -> list[EngineEvent]:
        with self._lock:
            self._update()
            events, self._events = self._events, []
            return events

    def close(self) -> None:
        with self._lock:
            self._state, self._current, self._next = "stopped", None, None
            self._fading = None
