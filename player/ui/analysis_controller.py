"""Background audio analysis while the app runs: after scans, paused and resumed from the
File menu, progress in the status bar. Honours Settings (on/off, share of the CPU)."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QObject, QThreadPool


def workers_for_share(percent: int, cores: int | None = None) -> int:
    """Worker processes for a CPU share: 50% of 2 cores is 1 worker, never fewer than 1."""
    cores = cores or os.cpu_count() or 1
    return max(1, round(cores * percent / 100))


class AnalysisController(QObject):
    def __init__(self, window, preferences, make_worker, pool: QThreadPool | None = None,
                 bus=None) -> None:
        """preferences: the app's PreferencesService; make_worker(workers) -> AnalysisWorker;
        bus: the app's EventBus (progress is published as analysis_progress)."""
        super().__init__(window)
        self.window = window
        self.preferences = preferences
        self.make_worker = make_worker
        self.bus = bus
        self.pool = pool or QThreadPool.globalInstance()
        self.worker: Any = None  # an AnalysisWorker while one runs
        self.pause_action = window.analysis_menu.addAction("Pause analysis", self.toggle_pause)
        self.pause_action.setEnabled(False)
        window.analysis_menu.addAction("Analyse the library now", lambda: self.start(force=True))

    def start(self, force: bool = False) -> None:
        """Analyse what has no features yet (nothing to do is cheap); once at a time."""
        if self.worker is not None:
            return
        prefs = self.preferences.current
        if not prefs.analysis_enabled and not force:
            return
        worker = self.make_worker(workers_for_share(prefs.analysis_cpu_share))
        worker.signals.progress.connect(self._progress)
        worker.signals.finished.connect(self._finished)
        worker.signals.failed.connect(self._failed)
        self.worker = worker
        self.pause_action.setEnabled(True)
        self.pool.start(worker)

    def toggle_pause(self) -> None:
        if self.worker is None:
            return
        if self.worker.paused:
            self.worker.resume()
            self.pause_action.setText("Pause analysis")
        else:
            self.worker.pause()
            self.pause_action.setText("Resume analysis")
            self.window.show_message("Audio analysis paused")

    def shutdown(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _progress(self, done: int, total: int, _current: str, failed: int) -> None:
        if self.bus is not None:
            self.bus.publish("analysis_progress", {"done": done, "total": total})
        if total:
            note = f", {failed} could not be decoded" if failed else ""
            self.window.statusBar().showMessage(f"Analysing the sound of your music: "
                                                f"{done:,} of {total:,}{note}", 3000)

    def _finished(self, report) -> None:
        self._done()
        if report.analysed or report.failed:
            note = f"; {report.failed} could not be decoded" if report.failed else ""
            self.window.show_message(f"Audio analysis finished: {report.analysed:,} tracks{note}")

    def _failed(self, message: str) -> None:
        self._done()
        self.window.show_message(message)

    def _done(self) -> None:
        self.worker = None
        self.pause_action.setEnabled(False)
        self.pause_action.setText("Pause analysis")
