"""The background analysis in the GUI process reads its queue a chunk at a time (a 100,000-track
library's whole queue sat next to the library views) and still analyses each file once."""

from __future__ import annotations

from player.analysis import runner
from player.analysis.runner import AnalysisRunner, PendingJobs
from player.analysis.version import FEATURE_VERSION
from player.db.features import FeatureRepository, FeatureRow
from tests.factories import add_tracks


def _reads(monkeypatch, repo_class=FeatureRepository) -> list[int]:
    sizes: list[int] = []
    original = repo_class.pending

    def pending(self, version, limit=None):
        rows = original(self, version, limit)
        sizes.append(len(rows) if limit is not None else -1)
        return rows

    monkeypatch.setattr(repo_class, "pending", pending)
    return sizes


def test_jobs_handed_out_but_not_saved_are_not_handed_out_again(db, monkeypatch) -> None:
    ids = add_tracks(db, 7)
    repo = FeatureRepository(db)
    reads = _reads(monkeypatch)
    jobs = PendingJobs(repo, 7, chunk=3)
    first = [next(jobs) for _ in range(3)]
    repo.save([FeatureRow(first[0][0], None, None, "bad")], FEATURE_VERSION)
    jobs.saved([first[0][0]])
    rest = list(jobs)  # first[1:] still read as pending: skipped, not repeated
    assert sorted(j[0] for j in first + rest) == sorted(ids)
    assert len(reads) == 3 and -1 not in reads  # chunks of 3, 3 and 1; never the whole queue
    assert not jobs.more()


def test_a_run_reads_its_queue_in_chunks_and_analyses_each_track_once(db, monkeypatch) -> None:
    ids = add_tracks(db, 7)  # no files: each fails to decode, which is saved like a result
    monkeypatch.setattr(runner, "QUEUE_CHUNK", 2)
    reads = _reads(monkeypatch)
    seen: list[int] = []
    monkeypatch.setattr(runner, "analyse_job", lambda job, fallback=None: (seen.append(job[0]), _failed(job))[1])
    report = AnalysisRunner(db, workers=0, batch_size=3).run()
    assert sorted(seen) == sorted(ids) and report.total == 7 and report.failed == 7
    assert reads and all(0 <= size <= 2 + 3 for size in reads)
    assert FeatureRepository(db).counts(FEATURE_VERSION).pending == 0


def test_a_limited_run_stops_at_its_limit(db, monkeypatch) -> None:
    add_tracks(db, 5)
    monkeypatch.setattr(runner, "QUEUE_CHUNK", 2)
    monkeypatch.setattr(runner, "analyse_job", _failed)
    report = AnalysisRunner(db, workers=0).run(limit=3)
    assert report.total == 3 and report.failed == 3
    assert FeatureRepository(db).counts(FEATURE_VERSION).pending == 2


def _failed(job: tuple[int, str], fallback: object = None) -> runner.JobResult:
    return runner.JobResult(job[0], job[1], FeatureRow(job[0], None, None, "no such file"), 0.0, 0.0, 0.0)
