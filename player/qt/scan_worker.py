"""Library work off the GUI thread: scanning, loading the track list, watching folders.

Results come back as queued signals (the signal objects live on the GUI thread).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from PySide6.QtCore import QObject, QRunnable, Qt, Signal

from player.core.errors import KnownError
from player.core.models import ScanProgress, ScanReport, Track
from player.db.connection import Database
from player.qt.library_index import build_index
from player.services.library import LibraryService

log = logging.getLogger(__name__)


def _service(library: LibraryService | Database) -> LibraryService:
    """The app hands its LibraryService; a bare Database (tests, benchmarks) gets its own."""
    return library if isinstance(library, LibraryService) else LibraryService(library)


class ScanSignals(QObject):
    progress = Signal(int, int, str)  # done, total, current path
    finished = Signal(object)  # ScanReport
    failed = Signal(str)


class ScanWorker(QRunnable):
    def __init__(self, library: LibraryService | Database, folders: list[str]) -> None:
        super().__init__()
        self.signals = ScanSignals()
        self.folders = folders
        self.library = _service(library)
        self.scanner = self.library.scanner(progress=self._on_progress)

    def _on_progress(self, progress: ScanProgress) -> None:
        self.signals.progress.emit(progress.done, progress.total, progress.current)

    def cancel(self) -> None:
        self.scanner.cancel()

    def run(self) -> None:
        try:
            report: ScanReport = self.library.scan(self.folders, self.scanner)[0]
        except KnownError as exc:
            self.signals.failed.emit(str(exc))
            return
        except Exception as exc:  # a bug: logged, and the window must not wait forever
            log.exception("library scan failed")
            self.signals.failed.emit(f"The scan stopped because of an error: {exc}")
            return
        self.signals.finished.emit(report)


class TracksLoadedSignals(QObject):
    loaded = Signal(object)  # LibraryIndex


class LoadTracksWorker(QRunnable):
    """Reads the library's tracks and builds the views' index off the GUI thread
    (100,000 tracks take about a second)."""

    def __init__(self, library: LibraryService | Database,
                 sort: tuple[int, Qt.SortOrder] | None = None, shown: Sequence[Track] = ()) -> None:
        """shown: the tracks the views hold now; unchanged ones are reused, not copied."""
        super().__init__()
        self.library = _service(library)
        self.sort = sort
        self.shown = shown
        self.signals = TracksLoadedSignals()

    def run(self) -> None:
        tracks = self.library.all_tracks(reuse=self.shown)
        self.shown = ()
        issues = len(self.library.scan_issues())
        self.signals.loaded.emit(build_index(tracks, self.sort, issues))


class WatcherSignals(QObject):
    rescanned = Signal(object)  # ScanReport


class WatcherRunner:
    """Runs a LibraryWatcher while the app is open; its rescans arrive as a queued signal."""

    def __init__(self, library: LibraryService | Database, folders: list[str],
                 interval: float = 5.0) -> None:
        self.signals = WatcherSignals()
        self.watcher = _service(library).watcher(folders, interval, self.signals.rescanned.emit)

    def start(self) -> None:
        # The watcher's first snapshot stats every file: not on the GUI thread.
        threading.Thread(target=self.watcher.start, name="watcher-start", daemon=True).start()

    def stop(self) -> None:
        self.watcher.stop()
