"""When to start the next track: per format start-up latency and end error, learned.

libVLC's time from play() to the first samples differs by format (Ogg ~40 ms, MP3 and FLAC
~100-130 ms here), and so does the error of our estimate of when the current track ends (an
MP3's get_length() can include its encoder padding; get_time() runs ahead of the audio by a
different amount per format). With one fixed lead that leaves ~100 ms of gap or overlap
between formats.

HandoverTuner learns both from what the engine measures on the samples (its sink sees every
block with its presentation time), per (format, rate):

- start latency: the first sample's time minus the time of play(), at every start;
- end error: the last sample's end minus the end we estimated when we decided to hand over.

The next track is then started `start latency(next) - end error(current)` before the
estimated end (gap = play + start latency - (estimated end + end error) = 0). Until both are
known (the current format has ended once, the next one started once), the engine's default
lead stands in. Pure bookkeeping: no libVLC, no threads.
"""

from __future__ import annotations

import os

MAX_LATENCY_MS = 400.0  # a start or end further off than this is a stall or a seek: ignored
LEARN_RATE = 0.7  # share of a new measurement taken at once (the rest absorbs jitter)
MAX_STEP_MS = 60.0  # one measurement moves a learned value by at most this much

Key = tuple[str, float]


def format_of(path: str) -> str:
    return os.path.splitext(path)[1].lower() or "?"


def key(path: str, rate: float) -> Key:
    return format_of(path), round(rate, 2)


class HandoverTuner:
    def __init__(self) -> None:
        self.start_ms: dict[Key, float] = {}  # play() -> first sample, ms of wall time
        self.end_error_ms: dict[Key, float] = {}  # real end - estimated end, ms of wall time

    def lead_ms(self, current: Key, following: Key, default_start_ms: float) -> float:
        """How long before the current track's estimated end to start the next one (ms of
        wall time; negative: after it)."""
        start, end_error = self.start_ms.get(following), self.end_error_ms.get(current)
        if start is None or end_error is None:
            # half a measurement is worse than none: the default lead was chosen for both
            # errors together (FLAC: starts 118 ms late, but ends 103 ms after our estimate)
            return default_start_ms
        return start - end_error

    def observe_start(self, fmt: Key, latency_ms: float) -> bool:
        return self._learn(self.start_ms, fmt, latency_ms, low=0.0)

    def observe_end(self, fmt: Key, error_ms: float) -> bool:
        return self._learn(self.end_error_ms, fmt, error_ms, low=-MAX_LATENCY_MS)

    @staticmethod
    def _learn(table: dict[Key, float], fmt: Key, value: float, low: float) -> bool:
        if not low <= value <= MAX_LATENCY_MS:
            return False
        old = table.get(fmt)
        if old is None:
            table[fmt] = value
        else:  # one odd measurement (a busy machine) cannot throw a learned value far
            table[fmt] = old + min(max(LEARN_RATE * (value - old), -MAX_STEP_MS), MAX_STEP_MS)
        return True
