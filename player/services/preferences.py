"""The one preferences object of the running app: read, saved, and announced when saved."""

from __future__ import annotations

from player.core.events import EventBus
from player.db.connection import Database
from player.db.preferences import REPLAYGAIN_MODES, THEMES, Preferences
from player.db.settings import SettingsRepository

__all__ = ["REPLAYGAIN_MODES", "THEMES", "Preferences", "PreferencesService"]


class PreferencesService:
    """What Settings edits. `current` reads the stored values (a few rows: cheap, and never
    stale when `encore` on the command line changed one); `save` stores and publishes
    preferences_changed with the names that changed."""

    def __init__(self, db: Database, bus: EventBus | None = None) -> None:
        self.db = db
        self.bus = bus or EventBus()

    @property
    def current(self) -> Preferences:
        return Preferences.load(self.db)

    def load(self) -> Preferences:
        return Preferences.load(self.db)

    def save(self, prefs: Preferences) -> list[str]:
        changed = prefs.save(self.db)
        if changed:
            self.bus.publish("preferences_changed", {"keys": changed})
        return changed

    # -- library folders (stored beside the preferences) -----------------------------------
    def folders(self) -> list[str]:
        return SettingsRepository(self.db).folders()

    def set_folders(self, folders: list[str]) -> bool:
        """Store the library folders; True when they changed."""
        before = self.folders()
        if sorted(before) == sorted(folders):
            return False
        settings = SettingsRepository(self.db)
        with self.db.transaction():
            for folder in set(before) - set(folders):
                settings.remove_folder(folder)
            for folder in folders:
                settings.add_folder(folder)
        self.bus.publish("preferences_changed", {"keys": ["folders"]})
        return True
