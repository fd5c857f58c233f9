"""Library workers: a scan that fails for a bug still reports, loading builds the index."""

from __future__ import annotations

from PySide6.QtCore import Qt

from player.qt.scan_worker import LoadTracksWorker, ScanWorker
from tests.factories import add_tracks


def test_a_scan_bug_is_reported_not_left_hanging(qtbot, db, monkeypatch) -> None:
    worker = ScanWorker(db, ["/nowhere"])

    def broken(_folders):
        raise RuntimeError("boom")

    monkeypatch.setattr(worker.scanner, "scan", broken)
    with qtbot.waitSignal(worker.signals.failed) as blocker:
        worker.run()
    assert "boom" in blocker.args[0]


def test_loading_builds_the_views_index(qtbot, db) -> None:
    add_tracks(db, 30)
    worker = LoadTracksWorker(db, (0, Qt.SortOrder.DescendingOrder))
    with qtbot.waitSignal(worker.signals.loaded) as blocker:
        worker.run()
    index = blocker.args[0]
    assert len(index.tracks) == 30 and len(index.prepared.search) == 30
    titles = [index.tracks[i].title.casefold() for i in index.prepared.order]
    assert titles == sorted(titles, reverse=True)
    assert sum(a.count for a in index.artists) == 30 and len(index.albums) == 30
