"""Imports left half-written by a process that died: removed, the history as before them.

An import writes its listens hidden (db/import_runs.py) and shows them with its last
transaction. After kill -9 or a power cut the hidden rows stay behind; the next import and
the next player start (ListenLogger.recover) delete them. A run whose process still runs is
another import in progress: left alone (and a new import is refused until it ends).
"""

from __future__ import annotations

import logging

from player.db.connection import Database
from player.db.imports import ImportRepository, ImportUnderway
from player.history.owner import is_running

log = logging.getLogger(__name__)


def discard_unfinished_imports(db: Database, refuse_live: bool = False) -> int:
    """Delete the hidden rows of imports whose process is gone; returns how many.

    refuse_live: raise ImportUnderway when another import is being written right now.
    """
    repo = ImportRepository(db)
    removed = 0
    for run in repo.runs():
        if is_running(run.owner):
            if refuse_live:
                pid = run.owner.partition(":")[0]
                raise ImportUnderway(f"Another import is being written to this database "
                                     f"(process {pid}).", "Import again when it is done.")
            continue
        rows = repo.discard_run(run)
        log.warning("removed an unfinished import (%d hidden listens) left by process %s",
                    rows, run.owner)
        removed += 1
    return removed
