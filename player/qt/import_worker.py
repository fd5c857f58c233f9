"""Importing listening history off the GUI thread; progress and the report come back as signals."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal

from player.core.errors import KnownError
from player.db.connection import Database
from player.history.import_service import ImportCancelled, ImportProgress
from player.services.history import HistoryService

log = logging.getLogger(__name__)


class ImportSignals(QObject):
    progress = Signal(int, int, int, str)  # rows read, file number, files, current file
    writing = Signal(int, int)  # every row read: rows added to the history so far, of how many
    finished = Signal(object)  # ImportReport
    failed = Signal(str)  # a message for people; nothing was imported
    cancelled = Signal()


class ImportWorker(QRunnable):
    """One import (all or nothing). cancel() stops it, also while it adds the rows to the
    history, with nothing written."""

    def __init__(self, history: HistoryService | Database, paths: list[str], format: str = "auto",
                 tz: str | None = None) -> None:
        """history: the app's HistoryService (it announces the import); a Database gets one."""
        super().__init__()
        self.signals = ImportSignals()
        self.history = history if isinstance(history, HistoryService) else HistoryService(history)
        self.paths = paths
        self.format = format
        self.tz = tz
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _on_progress(self, progress: ImportProgress) -> bool:
        if progress.to_write:
            self.signals.writing.emit(progress.written, progress.to_write)
        else:
            self.signals.progress.emit(progress.rows, progress.file_index, progress.files,
                                       Path(progress.current).name)
        return not self._cancel.is_set()

    def run(self) -> None:
        try:
            report = self.history.import_files(self.paths, self.format, self.tz, self._on_progress)
        except ImportCancelled:
            self.signals.cancelled.emit()
        except KnownError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # a bug: logged with its traceback, the user told plainly
            log.exception("import failed")
            self.signals.failed.emit(f"The import failed unexpectedly ({exc}); nothing was imported.")
        else:
            self.signals.finished.emit(report)
