"""Files and folders the scanner could not read, with the reason."""

from __future__ import annotations

import time
from collections.abc import Iterable

from player.core.models import ScanIssue
from player.core.paths import from_db, to_db
from player.db.connection import Database


class ScanIssueRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, issues: Iterable[ScanIssue]) -> None:
        now = time.time()
        rows = [(to_db(i.path), i.kind, i.reason, i.seen_at or now) for i in issues]
        if rows:
            self.db.executemany(
                "INSERT INTO scan_issue (path, kind, reason, seen_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(path) DO UPDATE SET kind = excluded.kind, reason = excluded.reason, "
                "seen_at = excluded.seen_at",
                rows,
            )

    def clear(self, paths: Iterable[str]) -> None:
        rows = [(to_db(p),) for p in paths]
        if rows:
            self.db.executemany("DELETE FROM scan_issue WHERE path = ?", rows)

    def clear_under(self, folder: str) -> None:
        prefix = folder.rstrip("/") + "/"
        self.db.execute(
            "DELETE FROM scan_issue WHERE path = ? OR substr(path, 1, ?) = ?",
            (folder, len(prefix), prefix),
        )

    def all(self) -> list[ScanIssue]:
        rows = self.db.query("SELECT path, reason, kind, seen_at FROM scan_issue ORDER BY path")
        return [ScanIssue(path=from_db(r[0]), reason=r[1], kind=r[2], seen_at=r[3]) for r in rows]
