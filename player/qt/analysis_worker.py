"""Runs library analysis off the GUI thread (the work itself is in low-priority worker
processes) and reports progress as queued signals. Pause/resume/cancel from the GUI."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, Signal

from player.analysis.runner import AnalysisProgress, AnalysisReport, AnalysisRunner
from player.core.errors import KnownError
from player.db.connection import Database
from player.engine.vlc import decode_to_pcm


class AnalysisSignals(QObject):
    progress = Signal(int, int, str, int)  # done, total, current path, failed so far
    finished = Signal(object)  # AnalysisReport
    failed = Signal(str)


class AnalysisWorker(QRunnable):
    def __init__(self, db: Database, workers: int | None = None, limit: int | None = None) -> None:
        super().__init__()
        self.signals = AnalysisSignals()
        self.limit = limit
        # libVLC decodes, in the workers, what FFmpeg cannot (the engine is what plays them).
        self.runner = AnalysisRunner(db, workers=workers, progress=self._on_progress,
                                     fallback=decode_to_pcm)

    def _on_progress(self, progress: AnalysisProgress) -> None:
        self.signals.progress.emit(progress.done, progress.total, progress.current, progress.failed)

    def pause(self) -> None:
        self.runner.pause()

    def resume(self) -> None:
        self.runner.resume()

    def cancel(self) -> None:
        self.runner.cancel()

    @property
    def paused(self) -> bool:
        return self.runner.paused

    def run(self) -> None:
        try:
            report: AnalysisReport = self.runner.run(self.limit)
        except KnownError as exc:
            self.signals.failed.emit(str(exc))
            return
        self.signals.finished.emit(report)
