"""Reading a duration a person typed: plain seconds ("240", "90.5") or clock form ("4:00",
"1:02:03"). One rule for every place that takes a duration (smart playlist rules today)."""

from __future__ import annotations

import math

DURATION_HINT = "seconds or m:ss"


def parse_duration(text: str) -> float | int:
    """Seconds from '240', '90.5', '4:00' or '1:02:03'; ValueError with a readable reason."""
    raw = text.strip()
    if not raw:
        raise ValueError("no duration given; write seconds (240) or m:ss (4:00)")
    parts = raw.split(":")
    if len(parts) > 3:
        raise ValueError(f"{raw!r} has too many ':'; write seconds (240) or m:ss (4:00)")
    try:
        numbers = [float(p) if i == len(parts) - 1 else int(p) for i, p in enumerate(parts)]
    except ValueError:
        raise ValueError(f"{raw!r} is not a duration; write seconds (240) or m:ss (4:00)") from None
    if any(n < 0 or not math.isfinite(n) for n in numbers) or any(p.strip() != p or p.startswith(("+", "-")) for p in parts):
        raise ValueError(f"{raw!r} is not a duration; write seconds (240) or m:ss (4:00)")
    # after the first part, each part counts within its unit: 4:75 is a typo, not 5:15
    if any(n >= 60 for n in numbers[1:]):
        raise ValueError(f"{raw!r}: minutes and seconds after a ':' must be below 60")
    seconds = 0.0
    for number in numbers:
        seconds = seconds * 60 + number
    return int(seconds) if seconds.is_integer() else seconds


def clock_text(seconds: float) -> str:
    """240 -> '4:00', 90.5 -> '1:30.5', 4500 -> '75:00': what parse_duration reads back."""
    minutes, rest = divmod(float(seconds), 60)
    text = f"{rest:g}"
    return f"{int(minutes)}:{'0' if rest < 10 else ''}{text}"
