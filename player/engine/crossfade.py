"""Crossfade arithmetic shared by the engines (pure: no libVLC, no threads).

With a crossfade of C seconds the next track starts C seconds (track time) before the current
one ends; over that overlap the outgoing track's volume falls and the incoming one's rises on
an equal-power curve (cos/sin of a quarter turn), so the loudness stays about even. 0 = off:
the gapless handover, unchanged.
"""

from __future__ import annotations

import math

MAX_CROSSFADE_S = 12.0


def clamp_seconds(seconds: float) -> float:
    return min(max(float(seconds), 0.0), MAX_CROSSFADE_S)


def fade_length_ms(crossfade_ms: float, current_ms: float, next_ms: float) -> float:
    """The overlap for this pair (track ms): at most half of either track (0: none)."""
    if crossfade_ms <= 0 or current_ms <= 0:
        return 0.0
    limit = current_ms / 2.0
    if next_ms > 0:
        limit = min(limit, next_ms / 2.0)
    return max(0.0, min(float(crossfade_ms), limit))


def fade_gains(progress: float) -> tuple[float, float]:
    """(outgoing, incoming) volume factors at progress 0..1 through the overlap."""
    p = min(max(progress, 0.0), 1.0)
    return math.cos(p * math.pi / 2.0), math.sin(p * math.pi / 2.0)
