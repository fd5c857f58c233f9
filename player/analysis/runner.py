"""Analysing the library in the background: low-priority worker processes, progress
callbacks, pause/resume/cancel, results written to the database in batches.

Pause stops handing out work (files already in a worker finish, ~0.1-1 s each); cancel also
drops the queued ones. Both are threading.Events, so any thread (the GUI's) may call them.
"""

from __future__ import annotations

import collections
import logging
import multiprocessing
import os
import resource
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass

from player.analysis.decode import FallbackDecoder
from player.analysis.version import FEATURE_VERSION
from player.core.errors import KnownError
from player.core.worker_processes import cap_workers, pool_initializer_args, stop_pool, worker_start
from player.db.connection import Database
from player.db.features import FeatureRepository, FeatureRow

log = logging.getLogger(__name__)

IN_PROCESS_BELOW = 3  # fewer files than this: starting workers costs more than it saves
QUEUE_CHUNK = 500  # pending files read from the database at a time


@dataclass(frozen=True, slots=True)
class AnalysisProgress:
    done: int
    total: int
    current: str = ""
    failed: int = 0


@dataclass(slots=True)
class AnalysisReport:
    total: int = 0
    analysed: int = 0
    failed: int = 0
    cancelled: bool = False
    seconds: float = 0.0
    audio_seconds: float = 0.0
    worker_cpu_seconds: float = 0.0
    max_worker_rss_mb: float = 0.0
    replaygain_filled: int = 0
    workers: int = 0


@dataclass(frozen=True, slots=True)
class JobResult:
    track_id: int
    path: str
    row: FeatureRow
    audio_seconds: float
    cpu_seconds: float
    rss_mb: float


def analyse_job(job: tuple[int, str], fallback: FallbackDecoder | None = None) -> JobResult:
    """Runs in a worker: never raises for a bad file, returns the reason instead.
    fallback: the second decoder (libVLC's) for files FFmpeg cannot read."""
    from player.analysis.features import analyse_file, feature_vector  # in the worker only

    track_id, path = job
    started = time.process_time()
    try:
        features = analyse_file(path, fallback)
        row = FeatureRow(track_id, features.to_dict(), feature_vector(features))
        audio = features.seconds
    except KnownError as exc:
        row, audio = FeatureRow(track_id, None, None, exc.message), 0.0
    except MemoryError:
        row, audio = FeatureRow(track_id, None, None, "out of memory while analysing"), 0.0
    except Exception as exc:  # a bug must not stop the library's analysis; it is logged
        log.exception("analysis of %s failed", path)
        row, audio = FeatureRow(track_id, None, None, f"analysis failed ({type(exc).__name__}: {exc})"), 0.0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return JobResult(track_id, path, row, audio, time.process_time() - started, rss_mb)


def default_workers() -> int:
    return max(1, (os.cpu_count() or 2))


class AnalysisRunner:
    """Analyses every track without features of FEATURE_VERSION. One run at a time."""

    def __init__(self, db: Database, workers: int | None = None,
                 progress: Callable[[AnalysisProgress], None] | None = None,
                 batch_size: int = 32, flush_seconds: float = 2.0,
                 fallback: FallbackDecoder | None = None) -> None:
        self.repo = FeatureRepository(db)
        self.fallback = fallback  # a picklable module-level function: it goes to the workers
        self.workers = default_workers() if workers is None else max(0, workers)
        self.progress = progress
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self._cancel = threading.Event()
        self._running = threading.Event()
        self._running.set()

    # -- control from any thread ---------------------------------------------------------
    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def cancel(self) -> None:
        self._cancel.set()
        self._running.set()  # wake a paused run so it can stop

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    # -- the run -----------------------------------------------------------------------------
    def run(self, limit: int | None = None) -> AnalysisReport:
        started = time.perf_counter()
        total = self.repo.counts(FEATURE_VERSION).pending
        total = total if limit is None else max(0, min(total, limit))
        jobs = PendingJobs(self.repo, total)
        report = AnalysisReport(total=total)
        batch: list[FeatureRow] = []
        last_flush = time.monotonic()
        self._emit(AnalysisProgress(0, total))
        for result in self._results(jobs, report):
            batch.append(result.row)
            self._count(report, result)
            if len(batch) >= self.batch_size or time.monotonic() - last_flush > self.flush_seconds:
                self._save(batch, jobs)
                batch, last_flush = [], time.monotonic()
            self._emit(AnalysisProgress(report.analysed + report.failed, total,
                                        result.path, report.failed))
        if batch:
            self._save(batch, jobs)
        report.replaygain_filled = self.repo.apply_computed_replaygain(FEATURE_VERSION)
        report.cancelled = self._cancel.is_set()
        report.seconds = time.perf_counter() - started
        return report

    def _save(self, batch: list[FeatureRow], jobs: PendingJobs) -> None:
        self.repo.save(batch, FEATURE_VERSION)
        jobs.saved(row.track_id for row in batch)

    def _count(self, report: AnalysisReport, result: JobResult) -> None:
        if result.row.error is None:
            report.analysed += 1
        else:
            report.failed += 1
        report.audio_seconds += result.audio_seconds
        report.worker_cpu_seconds += result.cpu_seconds
        report.max_worker_rss_mb = max(report.max_worker_rss_mb, result.rss_mb)

    def _emit(self, progress: AnalysisProgress) -> None:
        if self.progress is not None:
            self.progress(progress)

    def _results(self, jobs: PendingJobs, report: AnalysisReport) -> Iterator[JobResult]:
        if self.workers == 0 or jobs.total < IN_PROCESS_BELOW:
            report.workers = 0
            for job in jobs:
                self._running.wait()
                if self._cancel.is_set():
                    return
                yield analyse_job(job, self.fallback)
            return
        report.workers = min(cap_workers(self.workers), jobs.total)
        yield from self._pooled(jobs, report.workers)

    def _pooled(self, jobs: PendingJobs, workers: int) -> Iterator[JobResult]:
        context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
        in_flight: set[Future[JobResult]] = set()
        pool = ProcessPoolExecutor(workers, mp_context=context,
                                   initializer=worker_start, initargs=pool_initializer_args())
        try:
            while (jobs.more() or in_flight) and not self._cancel.is_set():
                # Keep two files per worker queued, and none while paused.
                while len(in_flight) < 2 * workers and self._running.is_set():
                    job = next(jobs, None)
                    if job is None:
                        break
                    in_flight.add(pool.submit(analyse_job, job, self.fallback))
                if not in_flight:
                    self._running.wait(0.2)
                    continue
                done, in_flight = _wait(in_flight)
                for future in done:
                    yield future.result()
            pool.shutdown(wait=True, cancel_futures=True)
            for future in in_flight:  # finished by shutdown: keep the work done
                if future.done() and not future.cancelled() and future.exception() is None:
                    yield future.result()
        except BaseException:  # Ctrl+C, an error, the consumer gone: stop the workers now
            stop_pool(pool)
            raise


class PendingJobs:
    """The (track id, path) pairs to analyse, read from the database a chunk at a time: the
    whole queue of a 100,000-track library is never held (in the GUI process, it ran beside
    the library views). Pairs handed out but not yet saved still read as pending, so they are
    remembered until saved() and skipped when the next chunk is read."""

    def __init__(self, repo: FeatureRepository, total: int, chunk: int | None = None) -> None:
        self.repo = repo
        self.total = total  # at most this many are handed out
        self.chunk = chunk or QUEUE_CHUNK
        self.handed = 0
        self._queue: collections.deque[tuple[int, str]] = collections.deque()
        self._unsaved: set[int] = set()
        self._exhausted = total <= 0

    def __iter__(self) -> PendingJobs:
        return self

    def __next__(self) -> tuple[int, str]:
        if not self._queue and not self._refill():
            raise StopIteration
        job = self._queue.popleft()
        self._unsaved.add(job[0])
        self.handed += 1
        return job

    def more(self) -> bool:
        return bool(self._queue) or not self._exhausted

    def saved(self, track_ids: Iterable[int]) -> None:
        self._unsaved.difference_update(track_ids)

    def _refill(self) -> bool:
        wanted = min(self.chunk, self.total - self.handed)
        if self._exhausted or wanted <= 0:
            self._exhausted = True
            return False
        rows = self.repo.pending(FEATURE_VERSION, wanted + len(self._unsaved))
        self._queue.extend([r for r in rows if r[0] not in self._unsaved][:wanted])
        self._exhausted = not self._queue
        return bool(self._queue)


def _wait(futures: set[Future[JobResult]]) -> tuple[set[Future[JobResult]], set[Future[JobResult]]]:
    done, pending = wait(futures, timeout=0.2, return_when=FIRST_COMPLETED)
    return set(done), set(pending)
