"""Imports still being written: their listens are in the table but not yet in the history.

An import copies its rows into `listen` in many short transactions (so the live listen logger,
likes and scans get the write lock between them), each row tagged with the import's run id.
While the run's row exists in `import_run` those listens are hidden from every reader
(`heard`); the import's last, short transaction deletes the run's row and they all appear at
once. A run whose process died (kill -9, power cut) is removed with its rows at the next
import or player start (`history.import_service.discard_unfinished_imports`).
"""

from __future__ import annotations

from typing import NamedTuple


def heard(alias: str = "listen") -> str:
    """SQL true for a listen of the history: not a row of an import still being written.

    Every query reading listens uses it (tests/db/test_import_runs.py checks the sources).
    `NOT IN (SELECT ...)` is evaluated once per statement; import_run is almost always empty.
    """
    return f"({alias}.import_run IS NULL OR {alias}.import_run NOT IN (SELECT id FROM import_run))"


class ImportRun(NamedTuple):
    """One import being written: its id, its process ("pid:start"), and the highest listen
    and external track ids from before it (its own rows are all above them)."""

    id: int
    owner: str
    after_listen: int
    after_external: int
