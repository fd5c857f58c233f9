"""Short reasons for picks and names for moments ("Tuesday evening")."""

from __future__ import annotations

import numpy as np

from player.recommend.data import FloatArray, local_hour_weekday

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


def reason_for(contribution: FloatArray, played_before: bool, moment_habit: str) -> str:
    """The part that contributed most to a pick, in words."""
    part = int(np.argmax(contribution)) if contribution.size else -1
    if part < 0 or contribution[part] <= 0:
        return "close to your taste" if not played_before else "from your library"
    return {
        0: "one of your favourites lately",
        1: "you played this recently",
        2: "often played with what you've been playing",
        3: "sounds like what you've been playing" if played_before
        else "new to you, close to your taste",
        4: f"you play this on {moment_habit}",
        5: "a long-time favourite",
    }.get(part, "close to your taste")
