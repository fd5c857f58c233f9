"""Sample capture: what an engine really produced, for tests and benchmarks.

VlcEngine hands every decoded block to a SampleCapture (libVLC's "amem" callbacks, 16-bit
mono at CAPTURE_RATE) with its presentation time on the monotonic clock, and the volume it
was given. The drain callback waits until the last block's time has passed, as a real sound
card would, so "ended" comes when the track would really have finished playing.
"""

from __future__ import annotations

import array
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

CAPTURE_RATE = 22050


@dataclass(slots=True)
class Segment:
    """The samples of one media (token), in order, and their presentation times (µs)."""

    token: int
    first_pts: int
    end_pts: int
    samples: array.array = field(default_factory=lambda: array.array("h"))


class SampleCapture:
    def __init__(self, keep_samples: bool = True) -> None:
        self.keep_samples = keep_samples  # False: only pace the drain (headless playback)
        self._lock = threading.Lock()
        self.blocks: list[tuple[int, int, bytes]] = []  # (token, pts µs, S16 mono bytes)
        self.arrivals: dict[int, int] = {}  # token -> when its first block arrived (µs)
        self.volumes: list[tuple[int, float, bool]] = []  # (token, volume 0..2, muted)
        self.volume_times: list[int] = []  # when each of volumes was set (µs, monotonic)
        self._end_us: dict[int, int] = {}  # token -> when its last sample plays
        self._first_us: dict[int, int] = {}  # token -> when its first sample plays
        self._paused_at = 0

    def add_block(self, token: int, pts_us: int, data: bytes) -> None:
        with self._lock:
            if self.keep_samples:
                self.blocks.append((token, pts_us, data))
                self.arrivals.setdefault(token, int(time.monotonic() * 1_000_000))
            self._extend(token, pts_us, len(data) // 2)

    def add_count(self, token: int, pts_us: int, count: int) -> None:
        """A block whose samples are not kept: only its timing counts."""
        with self._lock:
            self._extend(token, pts_us, count)

    def _extend(self, token: int, pts_us: int, count: int) -> None:
        end = pts_us + count * 1_000_000 // CAPTURE_RATE
        if count:
            self._first_us.setdefault(token, pts_us)
        if end > self._end_us.get(token, 0):
            self._end_us[token] = end

    def span(self, token: int) -> tuple[int, int] | None:
        """(first sample's time, end of the last sample so far) of token in µs, or None."""
        with self._lock:
            first = self._first_us.get(token)
            return None if first is None else (first, self._end_us.get(token, first))

    def add_volume(self, token: int, volume: float, muted: bool) -> None:
        if not self.keep_samples:
            return
        with self._lock:
            self.volumes.append((token, volume, muted))
            self.volume_times.append(int(time.monotonic() * 1_000_000))

    def paused(self, at_us: int) -> None:
        with self._lock:
            self._paused_at = at_us

    def resumed(self, at_us: int) -> None:
        """Buffered samples now play later by the time spent paused."""
        with self._lock:
            if self._paused_at:
                shift = max(0, at_us - self._paused_at)
                self._end_us = {t: end + shift for t, end in self._end_us.items()}
            self._paused_at = 0

    def flushed(self) -> None:
        """libVLC dropped buffered samples (seek, pause). The drain still waits for their
        time: ending a little late is harmless here, ending before the audio would be wrong."""

    def wait_played(self, token: int, still_wanted: Callable[[], bool] = lambda: True,
                    limit_s: float = 5.0) -> None:
        """Block until token's last sample has played (a sound card draining), or until
        still_wanted() turns False."""
        deadline = time.monotonic() + limit_s
        while still_wanted():
            with self._lock:
                end_s = self._end_us.get(token, 0) / 1_000_000
            now = time.monotonic()
            if now >= end_s or now >= deadline:
                return
            time.sleep(min(end_s - now, 0.005))

    def segments(self) -> list[Segment]:
        """Blocks grouped by media, in order of their first sample's time."""
        with self._lock:
            blocks = sorted(self.blocks, key=lambda b: b[1])
        by_token: dict[int, Segment] = {}
        for token, pts, data in blocks:
            if not data:
                continue
            seg = by_token.setdefault(token, Segment(token, pts, pts))
            seg.samples.frombytes(data)
            seg.end_pts = pts + len(data) // 2 * 1_000_000 // CAPTURE_RATE
        return sorted(by_token.values(), key=lambda s: s.first_pts)

    def volume_at(self, token: int, at_us: int) -> float | None:
        """The volume token had been given by time at_us (None: none yet), muted = 0."""
        with self._lock:
            level = None
            for (t, volume, muted), when in zip(self.volumes, self.volume_times, strict=True):
                if when > at_us:
                    break
                if t == token:
                    level = 0.0 if muted else volume
            return level

    def tokens_in_order(self) -> list[int]:
        return [s.token for s in self.segments()]

    def clear(self) -> None:
        with self._lock:
            self.blocks.clear()
            self.volumes.clear()
            self.volume_times.clear()
            self._end_us.clear()
            self._first_us.clear()
            self.arrivals.clear()
