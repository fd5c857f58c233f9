"""The user's preferences (what the settings dialog edits), stored in the setting table.

One dataclass so every reader agrees on keys, defaults and valid values. Invalid stored values
(hand-edited, or from an older version) fall back to the default instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from player.db.connection import Database
from player.db.settings import SettingsRepository

REPLAYGAIN_MODES = ("off", "track", "album")
THEMES = ("system", "light", "dark")
KEYS = {  # dataclass field -> setting key
    "audio_output": "engine.audio_output",
    "replaygain": "engine.replaygain",
    "crossfade_s": "engine.crossfade_s",
    "analysis_enabled": "analysis.enabled",
    "analysis_cpu_share": "analysis.cpu_share",
    "rediscovery_share": "recommend.rediscovery_share",
    "autoplay": "recommend.autoplay",
    "include_non_music": "recommend.include_non_music",
    "history_paused": "history.paused",  # the same key as HistoryAdmin.PAUSED_KEY
    "theme": "ui.theme",
}


@dataclass(slots=True)
class Preferences:
    audio_output: str = ""  # libVLC aout name; "" = automatic
    replaygain: str = "track"  # off | track | album
    crossfade_s: float = 0.0  # 0..12 seconds
    analysis_enabled: bool = True
    analysis_cpu_share: int = 50  # percent of the cores analysis may use, 10..100
    rediscovery_share: int = 20  # percent of mixes given to forgotten favourites, 0..50
    autoplay: bool = True  # keep playing similar music when the queue ends
    include_non_music: bool = False  # let speech, sounds and tracks under 30 s into Made for you
    history_paused: bool = False
    theme: str = "system"  # system | light | dark

    @classmethod
    def load(cls, db: Database) -> Preferences:
        settings = SettingsRepository(db)
        prefs = cls()
        for f in fields(cls):
            stored = settings.get(KEYS[f.name])
            if stored is not None:
                setattr(prefs, f.name, _valid(f.name, stored, getattr(prefs, f.name)))
        return prefs

    def save(self, db: Database) -> list[str]:
        """Store every value; returns the names of the fields that changed."""
        settings = SettingsRepository(db)
        before = Preferences.load(db)
        changed = []
        with db.transaction():
            for f in fields(self):
                value = _valid(f.name, getattr(self, f.name), getattr(before, f.name))
                settings.set(KEYS[f.name], value)
                if value != getattr(before, f.name):
                    changed.append(f.name)
        return changed


def _valid(name: str, value: Any, default: Any) -> Any:
    """value when it is acceptable for field name, else default."""
    if name == "replaygain":
        return value if value in REPLAYGAIN_MODES else default
    if name == "theme":
        return value if value in THEMES else default
    if name == "audio_output":
        return value if isinstance(value, str) else default
    if isinstance(default, bool):
        return value if isinstance(value, bool) else default
    if not isinstance(value, int | float) or isinstance(value, bool):
        return default
    low, high = {"crossfade_s": (0, 12), "analysis_cpu_share": (10, 100),
                 "rediscovery_share": (0, 50)}[name]
    clamped = min(max(value, low), high)
    return float(clamped) if isinstance(default, float) else int(clamped)
