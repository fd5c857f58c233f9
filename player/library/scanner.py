"""The library scanner: walk, read changed files in worker processes, write in batches."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from player.core.models import ScanIssue, ScanProgress, ScanReport
from player.core.paths import display
from player.core.worker_processes import cap_workers, pool_initializer_args, stop_pool, worker_start
from player.db.connection import Database
from player.db.scan_issues import ScanIssueRepository
from player.db.settings import SettingsRepository
from player.db.tracks import KnownFile, ScannedFile, TrackRepository
from player.library.reading import read_file
from player.library.walker import FoundFile, walk_audio

ProgressCallback = Callable[[ScanProgress], None]
_BATCH = 500
_IN_PROCESS_BELOW = 64  # starting worker processes costs more than reading a few files
_PROGRESS_INTERVAL = 0.25


class Scanner:
    """Scans folders into the database. One scan at a time; cancel() from any thread."""

    def __init__(self, db: Database, workers: int | None = None,
                 progress: ProgressCallback | None = None) -> None:
        self.tracks = TrackRepository(db)
        self.issues = ScanIssueRepository(db)
        self.settings = SettingsRepository(db)
        self.workers = workers or max(1, min(os.cpu_count() or 1, 4))
        self.progress = progress
        self._cancel = threading.Event()
        self._last_progress = 0.0

    def cancel(self) -> None:
        self._cancel.set()

    def scan(self, folders: Iterable[str]) -> ScanReport:
        self._cancel.clear()
        report = ScanReport()
        started = time.perf_counter()
        for folder in folders:
            root = os.path.abspath(os.path.expanduser(folder))
            self.settings.add_folder(root)
            self._scan_folder(root, report)
            if self._cancel.is_set():
                report.cancelled = True
                break
        report.seconds = time.perf_counter() - started
        return report

    def _scan_folder(self, root: str, report: ScanReport) -> None:
        walk_issues: list[ScanIssue] = []
        found = list(walk_audio(root, walk_issues))
        known = self.tracks.known_files(root)
        report.seen += len(found)
        to_read = [f for f in found if _changed(f, known.get(f.path))]
        report.unchanged += len(found) - len(to_read)
        if self._cancel.is_set():
            return
        # Missing first, so a moved file can be matched to the track it used to be.
        seen = {f.path for f in found}
        gone = [p for p, k in known.items() if p not in seen and not k.missing]
        report.missing += self.tracks.mark_missing(gone)
        self.issues.clear_under(root)
        self.issues.record(walk_issues)
        report.issues += len(walk_issues)
        self._read_and_store(root, to_read, known, report)

    def _read_and_store(self, root: str, files: list[FoundFile], known: dict[str, KnownFile],
                        report: ScanReport) -> None:
        moved_from = self.tracks.missing_by_fingerprint()
        batch: list[ScannedFile] = []
        issues: list[ScanIssue] = []
        for done, result in enumerate(self._read_all(root, files), start=1):
            if isinstance(result, ScannedFile):
                track_id = moved_from.pop(result.fingerprint, None) if result.path not in known else None
                if track_id is not None:
                    self.tracks.move(track_id, result.path, result.size, result.mtime)
                    report.moved += 1
                    known[result.path] = KnownFile(track_id, result.size, result.mtime,
                                                   result.fingerprint, False)
                batch.append(result)
            elif isinstance(result, ScanIssue):
                issues.append(result)
            if len(batch) + len(issues) >= _BATCH:
                self._flush(batch, issues, known, report)
            self._report_progress(done, len(files), result)
            if self._cancel.is_set():
                break
        self._flush(batch, issues, known, report)
        self._report_progress(len(files), len(files), None, force=True)

    def _read_all(self, root: str, files: list[FoundFile]) -> Iterator[ScannedFile | ScanIssue | None]:
        jobs = [(f.path, root, f.size, f.mtime) for f in files]
        if len(jobs) < _IN_PROCESS_BELOW or self.workers == 1:
            yield from map(read_file, jobs)
            return
        context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
        pool = ProcessPoolExecutor(cap_workers(self.workers), mp_context=context,
                                   initializer=worker_start, initargs=pool_initializer_args())
        try:
            yield from pool.map(read_file, jobs, chunksize=64)
        except BaseException:  # Ctrl+C, cancel (the consumer stops), an error: stop at once
            stop_pool(pool)
            raise
        pool.shutdown(wait=True)

    def _flush(self, batch: list[ScannedFile], issues: list[ScanIssue],
               known: dict[str, KnownFile], report: ScanReport) -> None:
        if batch:
            added, updated = self.tracks.write_scanned(batch, known)
            report.added += added
            report.updated += updated  # includes the files recognised as moved
            for f in batch:
                known.setdefault(f.path, KnownFile(0, f.size, f.mtime, f.fingerprint, False))
        if issues:
            self.issues.record(issues)
            report.issues += len(issues)
        batch.clear()
        issues.clear()

    def _report_progress(self, done: int, total: int, result: object, force: bool = False) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if force or now - self._last_progress >= _PROGRESS_INTERVAL:
            self._last_progress = now
            current = display(getattr(result, "path", "") or "")
            self.progress(ScanProgress(done, total, current))


def _changed(found: FoundFile, known: KnownFile | None) -> bool:
    return known is None or known.missing or known.size != found.size or known.mtime != found.mtime
