"""The user's control over their listening history: pause recording, export, delete.

Deleting listens also drops what was derived from them: imported track names no listen
refers to any more, and the recommendation cache (mixes are rebuilt from what is left).
Exports stream row by row into a temporary file that is renamed at the end, so a failed
export never leaves half a file under the chosen name.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from player.core.errors import KnownError
from player.core.files import atomic_write
from player.core.paths import from_db
from player.db.connection import Database
from player.db.import_runs import heard
from player.db.settings import SettingsRepository

PAUSED_KEY = "history.paused"
EXPORT_FORMATS = ("json", "csv")
EXPORT_COLUMNS = (
    "started_at", "started_at_utc", "utc_offset_min", "artist", "title", "album", "path",
    "ms_played", "duration_ms", "end_reason", "source", "is_play", "is_skip", "is_repeat",
    "shuffle", "origin",
)
_EXPORT_SQL = """
SELECT l.started_at, l.utc_offset_min,
       COALESCE(t.artist, e.artist, ''), COALESCE(t.title, e.title, ''),
       COALESCE(t.album, e.album, ''), COALESCE(t.path, ''),
       l.ms_played, l.duration_ms, l.end_reason, l.source, l.is_play, l.is_skip, l.is_repeat,
       l.shuffle, l.origin
FROM listen l
LEFT JOIN track t ON t.id = l.track_id
LEFT JOIN external_track e ON e.id = l.external_id
WHERE {heard}
ORDER BY l.started_at, l.id
""".format(heard=heard("l"))


class HistoryExportError(KnownError):
    """The export file could not be written; nothing was written under its name."""


class HistoryAdmin:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.settings = SettingsRepository(db)

    # -- recording ---------------------------------------------------------------------------
    def recording_paused(self) -> bool:
        """The listen logger checks this before writing a new listen."""
        return bool(self.settings.get(PAUSED_KEY, False))

    def set_recording_paused(self, paused: bool) -> None:
        self.settings.set(PAUSED_KEY, bool(paused))

    # -- counting and deleting ---------------------------------------------------------------
    def count(self, start: float | None = None, end: float | None = None) -> int:
        where, params = _range(start, end)
        return int(self.db.scalar(f"SELECT COUNT(*) FROM listen {where}", params))

    def span(self) -> tuple[float, float] | None:
        """(first, last) started_at, or None with no history."""
        row = self.db.query(f"SELECT MIN(started_at), MAX(started_at) FROM listen WHERE {heard()}")[0]
        return None if row[0] is None else (float(row[0]), float(row[1]))

    def delete_range(self, start: float | None, end: float | None) -> int:
        """Delete listens that started in [start, end) (open ends: everything before/after)."""
        where, params = _range(start, end)
        with self.db.transaction():
            deleted = self.count(start, end)  # execute() gives the last row id, not a count
            self.db.execute(f"DELETE FROM listen {where}", params)
            self._drop_derived()
        return deleted

    def delete_all(self, include_feedback: bool = False) -> int:
        """Every listen (and, when asked, every like and ban)."""
        with self.db.transaction():
            deleted = self.count()
            self.db.execute(f"DELETE FROM listen WHERE {heard()}")  # an import underway keeps its rows
            if include_feedback:
                self.db.execute("DELETE FROM track_feedback")
            self._drop_derived()
        return deleted

    def _drop_derived(self) -> None:
        # (an import underway still needs the external tracks it wrote above after_external)
        self.db.execute("DELETE FROM external_track WHERE id NOT IN "
                        "(SELECT external_id FROM listen WHERE external_id IS NOT NULL) "
                        "AND id <= (SELECT COALESCE(MIN(after_external), 1 << 62) FROM import_run)")
        self.db.execute("DELETE FROM recommendation_cache")

    # -- export -------------------------------------------------------------------------------
    def rows(self) -> Iterator[dict[str, Any]]:
        for r in self.db.iterate(_EXPORT_SQL):
            yield {
                "started_at": r[0],
                "started_at_utc": datetime.fromtimestamp(r[0], UTC).isoformat(timespec="seconds"),
                "utc_offset_min": r[1], "artist": r[2], "title": r[3], "album": r[4],
                "path": from_db(r[5]) if r[5] else "", "ms_played": r[6], "duration_ms": r[7],
                "end_reason": r[8], "source": r[9], "is_play": bool(r[10]),
                "is_skip": bool(r[11]), "is_repeat": bool(r[12]), "shuffle": bool(r[13]),
                "origin": r[14],
            }

    def feedback(self) -> list[dict[str, Any]]:
        rows = self.db.query(
            "SELECT t.artist, t.title, t.album, t.path, f.liked, f.banned, f.updated_at "
            "FROM track_feedback f JOIN track t ON t.id = f.track_id ORDER BY f.updated_at")
        return [{"artist": r[0], "title": r[1], "album": r[2], "path": from_db(r[3]),
                 "liked": bool(r[4]), "banned": bool(r[5]), "updated_at": r[6]} for r in rows]

    def export(self, path: str | Path, fmt: str | None = None) -> int:
        """Write every listen to path (JSON also holds likes and bans). Returns the listen count."""
        target = Path(path)
        fmt = (fmt or target.suffix.lstrip(".")).lower()
        if fmt not in EXPORT_FORMATS:
            raise HistoryExportError(f"Cannot export history as {fmt or 'a file without extension'!r}.",
                                     "Choose a .json or .csv file.")
        with _atomic_text(target) as out:
            return self._write_json(out) if fmt == "json" else self._write_csv(out)

    def _write_csv(self, out: IO[str]) -> int:
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        count = 0
        for row in self.rows():
            writer.writerow(row)
            count += 1
        return count

    def _write_json(self, out: IO[str]) -> int:
        head = {"format": "encore-history", "version": 1, "exported_at": time.time(),
                "feedback": self.feedback()}
        out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "listens": [')
        count = 0
        for row in self.rows():
            out.write(("\n  " if count == 0 else ",\n  ") + json.dumps(row, ensure_ascii=False))
            count += 1
        out.write("\n]}\n")
        return count


def _range(start: float | None, end: float | None) -> tuple[str, tuple[float, ...]]:
    clauses, params = [heard()], []
    if start is not None:
        clauses.append("started_at >= ?")
        params.append(float(start))
    if end is not None:
        clauses.append("started_at < ?")
        params.append(float(end))
    return "WHERE " + " AND ".join(clauses), tuple(params)


@contextmanager
def _atomic_text(target: Path) -> Iterator[IO[str]]:
    with atomic_write(target, HistoryExportError) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield out
        out.flush()
        out.detach()  # atomic_write closes the file
