"""The library side of the window: loading tracks, scans with progress, the folder watcher,
the scan issues dialog, adding folders and the demo music.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QThreadPool, Signal

from player.core.models import ScanReport
from player.qt.scan_worker import LoadTracksWorker, ScanWorker, WatcherRunner
from player.resources import demo_music_dir
from player.services.library import LibraryService, tracks_changed
from player.ui.dialogs import ScanIssuesDialog
from player.ui.main_window import MainWindow


def freeze_long_lived() -> None:
    """Moves every object alive now out of the cyclic collector's reach.

    With 100,000 tracks loaded a full collection walks millions of objects and stalls the GUI
    thread for a few hundred ms, typically in the middle of a scan. The track list lives until
    the next load, and Tracks have no reference cycles, so refcounting still frees them.
    """
    gc.unfreeze()
    gc.freeze()




def scan_summary(report: ScanReport) -> str:
    parts = [f"{report.added} added"]
    if report.updated:
        parts.append(f"{report.updated} updated")
    if report.missing:
        parts.append(f"{report.missing} missing")
    text = "Scan finished: " + ", ".join(parts)
    return text + (f"; {report.issues} could not be read" if report.issues else "")


class LibraryController(QObject):
    tracks_loaded = Signal(int)  # number of tracks shown
    scan_done = Signal(object)  # ScanReport

    def __init__(self, window: MainWindow, library, pool: QThreadPool | None = None,
                 watch_interval: float = 5.0) -> None:
        """library: the app's LibraryService (a bare Database, in benchmarks, gets its own)."""
        super().__init__(window)
        self.window = window
        self.service = library if isinstance(library, LibraryService) else LibraryService(library)
        self.pool = pool or QThreadPool.globalInstance()
        self.watch_interval = watch_interval
        self.scanner_job: ScanWorker | None = None
        self.watcher: WatcherRunner | None = None
        self._loaders: list[LoadTracksWorker] = []
        self._reload = False  # a load was asked for while one ran
        self._loaded = False  # the views show the library as loaded once
        self._recount_issues = False  # a scan ended while a load ran
        window.rescan_requested.connect(lambda: self.scan(self.folders()))
        window.add_folder_requested.connect(lambda folder: self.scan([folder]))
        window.scan_issues_requested.connect(self.show_scan_issues)
        window.use_demo_requested.connect(lambda: self.scan([str(demo_music_dir())]))

    def folders(self) -> list[str]:
        return self.service.folders()

    def load(self) -> None:
        """Reads the tracks off the GUI thread and shows them when they arrive.

        One load at a time: asked for while one runs, it runs once more when that one is in
        (two loads at once would hold two more copies of the library than the views do)."""
        if self._loaders:
            self._reload = True
            return
        model = self.window.library.track_model
        worker = LoadTracksWorker(self.service, model.sort_state, model.all_tracks())
        worker.setAutoDelete(False)
        self._loaders.append(worker)
        worker.signals.loaded.connect(self._on_loaded)
        self.pool.start(worker)

    def _on_loaded(self, index) -> None:
        self._loaders = [w for w in self._loaders if w.signals is not self.sender()]
        self.window.library.set_index(index)
        self._loaded = True
        count, issues = len(index.tracks), index.scan_issues
        del index  # the views hold what they need; the worker's list of tracks goes now
        freeze_long_lived()
        self.window.show_track_count(count)
        self.window.set_scan_issue_count(issues)
        if self._recount_issues:
            self._show_issue_count()
        self.tracks_loaded.emit(count)
        if self._reload and not self._loaders:
            self._reload = False
            self.load()

    def scan(self, folders: list[str]) -> None:
        """Scans folders (adding them to the library); one scan at a time."""
        if self.scanner_job is not None or not folders:
            return
        self.stop_watching()
        job = ScanWorker(self.service, folders)
        job.setAutoDelete(False)
        job.signals.progress.connect(self.window.show_scan_progress)
        job.signals.finished.connect(self._on_scan_finished)
        job.signals.failed.connect(self._on_scan_failed)
        self.scanner_job = job
        self.window.show_message("Scanning\u2026")
        self.pool.start(job)

    def _on_scan_finished(self, report: ScanReport) -> None:
        self.scanner_job = None
        self.window.scan_finished(scan_summary(report))
        if tracks_changed(report) or not (self._loaded or self._loaders):
            self.load()
        elif self._loaders:
            self._recount_issues = True  # the running load may have counted them before the scan
        else:
            # Nothing to reload (e.g. the scan at every start of an unchanged library): the
            # views are current; only the scan issues may differ.
            self._show_issue_count()
            self.tracks_loaded.emit(self.window.library.track_model.total())
        self.watch()
        self.scan_done.emit(report)

    def _show_issue_count(self) -> None:
        self._recount_issues = False
        self.window.set_scan_issue_count(len(self.service.scan_issues()))

    def _on_scan_failed(self, message: str) -> None:
        self.scanner_job = None
        self.window.scan_finished(message)
        self.watch()

    def watch(self) -> None:
        """Keeps watching the library folders for changes while the app is open."""
        folders = self.folders()
        if self.watcher is not None or not folders:
            return
        self.watcher = WatcherRunner(self.service, folders, self.watch_interval)
        self.watcher.signals.rescanned.connect(self._on_rescanned)
        self.watcher.start()

    def _on_rescanned(self, report: ScanReport) -> None:
        if tracks_changed(report):
            self.window.show_message("Library changed on disk: " + scan_summary(report)[len("Scan finished: "):])
            self.load()

    def stop_watching(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None

    def show_scan_issues(self) -> None:
        ScanIssuesDialog(self.service.scan_issues(), self.window).open()

    def shutdown(self) -> None:
        self.stop_watching()
        if self.scanner_job is not None:
            self.scanner_job.cancel()
        self.pool.waitForDone(10_000)
