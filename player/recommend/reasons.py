"""Names for moments ("Tuesday evening"). The reasons for picks are facts: recommend/facts.py."""

from __future__ import annotations

import numpy as np

from player.recommend.data import local_hour_weekday

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def part_of_day(hour: int) -> str:
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 22:
        return "evening"
    return "night"


def moment_name(now: float, utc_offset_min: int) -> tuple[str, str]:
    """("Tuesday evening", "weekday evenings") for a UTC time and offset."""
    hour, weekday = local_hour_weekday(np.array([now]), utc_offset_min)
    part = part_of_day(int(hour[0]))
    kind = "weekend" if int(weekday[0]) >= 5 else "weekday"
    return f"{DAY_NAMES[int(weekday[0])]} {part}", f"{kind} {part}s"
