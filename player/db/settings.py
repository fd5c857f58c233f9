"""Key/value settings stored as JSON, and the list of library folders."""

from __future__ import annotations

import json
import time
from typing import Any

from player.db.connection import Database


class SettingsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, key: str, default: Any = None) -> Any:
        value = self.db.scalar("SELECT value FROM setting WHERE key = ?", (key,))
        return default if value is None else json.loads(value)

    def set(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    def folders(self) -> list[str]:
        return [r[0] for r in self.db.query("SELECT path FROM library_folder ORDER BY path")]

    def add_folder(self, path: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO library_folder (path, added_at) VALUES (?, ?)", (path, time.time())
        )

    def remove_folder(self, path: str) -> None:
        self.db.execute("DELETE FROM library_folder WHERE path = ?", (path,))
