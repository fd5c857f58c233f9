"""Runs a library scan off the GUI thread and reports progress as queued signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, Signal

from player.core.errors import KnownError
from player.core.models import ScanProgress, ScanReport
from player.db.connection import Database
from player.library.scanner import Scanner


class ScanSignals(QObject):
    progress = Signal(int, int, str)  # done, total, current path
    finished = Signal(object)  # ScanReport
    failed = Signal(str)


class ScanWorker(QRunnable):
    def __init__(self, db: Database, folders: list[str]) -> None:
        super().__init__()
        self.signals = ScanSignals()
        self.folders = folders
        self.scanner = Scanner(db, progress=self._on_progress)

    def _on_progress(self, progress: ScanProgress) -> None:
        self.signals.progress.emit(progress.done, progress.total, progress.current)

    def cancel(self) -> None:
        self.scanner.cancel()

    def run(self) -> None:
        try:
            report: ScanReport = self.scanner.scan(self.folders)
        except KnownError as exc:
            self.signals.failed.emit(str(exc))
            return
        self.signals.finished.emit(report)
