"""The library as one service: a scan is always "scan, then link imported listens to the
tracks it found, then announce it" (the window's scans, the folder watcher and `encore scan`
all go through `finish_scan`), and the views read tracks and scan issues from here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from player.core.events import EventBus
from player.core.models import ScanIssue, ScanProgress, ScanReport, Track
from player.db.connection import Database
from player.db.scan_issues import ScanIssueRepository
from player.db.settings import SettingsRepository
from player.db.tracks import TrackRepository
from player.history.import_service import link_imported_listens
from player.library.scanner import Scanner
from player.library.watcher import LibraryWatcher

__all__ = ["LibraryService", "ScanIssue"]


def tracks_changed(report: ScanReport) -> bool:
    """Whether a scan changed the library's tracks (so the views must load them again)."""
    return bool(report.added or report.updated or report.missing or report.moved)


class LibraryService:
    def __init__(self, db: Database, bus: EventBus | None = None) -> None:
        self.db = db
        self.bus = bus or EventBus()
        self.tracks = TrackRepository(db)

    # -- scanning --------------------------------------------------------------------------
    def scanner(self, progress: Callable[[ScanProgress], None] | None = None,
                workers: int | None = None) -> Scanner:
        """A scanner on this library (keep it to cancel a running scan)."""
        return Scanner(self.db, workers=workers, progress=progress)

    def scan(self, folders: Iterable[str], scanner: Scanner | None = None) -> tuple[ScanReport, int]:
        """Scan folders, link imported listens, announce; returns (report, listens linked)."""
        report = (scanner or self.scanner()).scan(folders)
        return report, self.finish_scan(report)

    def finish_scan(self, report: ScanReport) -> int:
        """After any scan: link imported listens to new tracks and publish library_changed
        (and history_changed when listens were linked). Returns the listens linked."""
        linked = link_imported_listens(self.db, report)
        if tracks_changed(report):
            self.bus.publish("library_changed", {"reason": "scan"})
        if linked:
            self.bus.publish("history_changed", {"reason": "linked"})
        return linked

    def watcher(self, folders: list[str], interval: float,
                on_rescan: Callable[[ScanReport], None]) -> LibraryWatcher:
        """Watches folders; every rescan goes through finish_scan before on_rescan."""
        def rescanned(report: ScanReport) -> None:
            self.finish_scan(report)
            on_rescan(report)

        return LibraryWatcher(Scanner(self.db), folders, interval, on_rescan=rescanned)

    # -- reading ---------------------------------------------------------------------------
    def all_tracks(self, reuse: Sequence[Track] = ()) -> list[Track]:
        return self.tracks.all(reuse=reuse)

    def track(self, track_id: int) -> Track | None:
        return self.tracks.get(track_id)

    def scan_issues(self) -> list[ScanIssue]:
        return ScanIssueRepository(self.db).all()

    def folders(self) -> list[str]:
        return SettingsRepository(self.db).folders()
