"""The Qt worker: analysis in worker processes while the GUI thread's timer keeps firing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool, QTimer

from player.db.connection import Database
from player.library.scanner import Scanner
from player.qt.analysis_worker import AnalysisWorker
from tests.factories import make_audio


def test_worker_reports_progress_and_gui_timer_keeps_firing(qtbot, db: Database, tmp_path: Path) -> None:
    for i in range(4):
        make_audio(tmp_path / "m" / f"t{i}.ogg", seconds=3.0, freq=200 + 100 * i)
    Scanner(db, workers=1).scan([str(tmp_path / "m")])
    worker = AnalysisWorker(db, workers=2)
    progress: list[tuple[int, int]] = []
    worker.signals.progress.connect(lambda done, total, _path, _failed: progress.append((done, total)))
    ticks: list[int] = []
    probe = QTimer()
    probe.timeout.connect(lambda: ticks.append(1))
    probe.start(10)
    with qtbot.waitSignal(worker.signals.finished, timeout=60000) as finished:
        QThreadPool.globalInstance().start(worker)
    probe.stop()
    assert finished.args[0].analysed == 4
    assert progress[-1] == (4, 4)
    assert ticks, "the GUI thread's timer never fired while analysis ran"
