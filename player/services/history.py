"""The listening history as one service: what the views read, imports, and deletions.
Every write publishes history_changed, so Home, History and Your year refresh themselves."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from player.core.events import EventBus
from player.db.connection import Database
from player.db.history_admin import HistoryAdmin, HistoryExportError
from player.db.listens import ListenRepository, ListenRow
from player.history.import_service import ImportProgress, ImportReport, ProgressFn, import_files

__all__ = ["HistoryExportError", "HistoryService", "ImportProgress", "ImportReport", "ListenRow"]


class HistoryService:
    def __init__(self, db: Database, bus: EventBus | None = None) -> None:
        self.db = db
        self.bus = bus or EventBus()
        self.admin = HistoryAdmin(db)
        self.listens = ListenRepository(db)

    # -- reading ---------------------------------------------------------------------------
    def recent(self, limit: int = 300) -> list[ListenRow]:
        return self.listens.recent(limit)

    def count(self, start: float | None = None, end: float | None = None) -> int:
        return self.admin.count(start, end)

    def span(self) -> tuple[float, float] | None:
        return self.admin.span()

    # -- writing ---------------------------------------------------------------------------
    def import_files(self, paths: Sequence[str | Path], format: str = "auto",
                     tz: str | None = None, progress: ProgressFn | None = None) -> ImportReport:
        """Import exports (see history.import_service); announces the new listens."""
        report = import_files(self.db, paths, format, tz, progress)
        if report.imported:
            self.bus.publish("history_changed", {"reason": "import"})
        return report

    def delete_range(self, start: float | None, end: float | None) -> int:
        deleted = self.admin.delete_range(start, end)
        if deleted:
            self.bus.publish("history_changed", {"reason": "delete"})
        return deleted

    def delete_all(self, include_feedback: bool = False) -> int:
        deleted = self.admin.delete_all(include_feedback)
        self.bus.publish("history_changed", {"reason": "delete"})
        if include_feedback:
            self.bus.publish("feedback_changed", {"reason": "delete"})
        return deleted

    def export(self, path: str | Path, fmt: str | None = None) -> int:
        return self.admin.export(path, fmt)

    def listen_finished(self) -> None:
        """The player closed a listen (a new row in the history)."""
        self.bus.publish("history_changed", {"reason": "listen"})
