"""The import dialog with real widgets: add files, import off the GUI thread, see the report."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool

from player.db.connection import Database
from player.ui.import_dialog import ImportDialog
from tests.factories import LISTENS_TSV
from tests.history.fixtures import exports


def test_import_shows_the_report(qtbot, db: Database, tmp_path: Path) -> None:
    pool = QThreadPool()
    dialog = ImportDialog(db, pool)
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    path = exports.write_spotify_extended(tmp_path / "Streaming_History_Audio_2020.json")
    dialog.add_paths([str(path), str(path)])
    assert dialog.paths() == [str(path)]
    assert dialog.import_button.isEnabled()
    dialog.zone_box.setCurrentText("Europe/Paris")
    assert dialog.selected_zone() == "Europe/Paris"
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as signal:
        dialog.import_button.click()
    report = signal.args[0]
    assert report.imported == 4 and report.not_music == 1
    assert "Imported: 4 new listens" in dialog.report_view.toPlainText()
    assert not dialog.report_view.isHidden() and dialog.progress.isHidden()
    assert db.scalar("SELECT COUNT(*) FROM listen WHERE utc_offset_min = 120") == 4
    pool.waitForDone()


def test_a_bad_file_is_explained_and_nothing_imported(qtbot, db: Database, tmp_path: Path) -> None:
    pool = QThreadPool()
    dialog = ImportDialog(db, pool)
    qtbot.addWidget(dialog)
    bad = tmp_path / "notes.txt"
    bad.write_text("not a history\n", encoding="utf-8")
    dialog.add_paths([str(bad)])
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=10_000)
    assert "not a listening history" in dialog.status.text()
    assert "Nothing was imported" in dialog.status.text()
    assert not dialog.import_button.isHidden() and dialog.files.isEnabled()
    assert db.scalar("SELECT COUNT(*) FROM listen") == 0
    pool.waitForDone()


def test_the_dialog_says_which_listens_were_already_there(qtbot, db: Database, tmp_path: Path) -> None:
    path = exports.write_account_year(tmp_path / "StreamingHistory0.json")
    pool = QThreadPool()
    for expected in ("Done: 15 listens added to your history; 1 in these files twice (kept once).",
                     "Done: 0 listens added to your history; 15 already imported before, "
                     "1 in these files twice (kept once)."):
        dialog = ImportDialog(db, pool)
        qtbot.addWidget(dialog)
        dialog.add_paths([str(path)])
        with qtbot.waitSignal(dialog.imported, timeout=10_000):
            dialog.import_button.click()
        assert dialog.status.text() == expected
        assert "Already there (duplicates)" not in dialog.report_view.toPlainText()
        pool.waitForDone()
    assert db.scalar("SELECT COUNT(*) FROM listen") == 15


class _HeldPool:
    """Holds the dialog's worker until the test has connected to it, then runs it."""

    def __init__(self) -> None:
        self.pool = QThreadPool()
        self.worker = None

    def start(self, worker) -> None:  # type: ignore[no-untyped-def]
        self.worker = worker

    def run(self) -> None:
        self.pool.start(self.worker)


def _held_at(worker, rows: int) -> threading.Event:  # type: ignore[no-untyped-def]
    """Stop the worker's thread once `rows` are added to the history, until the event is set."""
    go = threading.Event()

    def hold(written: int, _to_write: int) -> None:
        if written >= rows:
            go.wait(20)

    worker.signals.writing.connect(hold, Qt.ConnectionType.DirectConnection)
    return go


def test_adding_rows_shows_progress_and_can_be_cancelled(qtbot, db: Database,
                                                         monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("player.db.imports.SWAP_ROWS", (500, 500, 500))
    pool = _HeldPool()
    dialog = ImportDialog(db, pool)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.add_paths([str(LISTENS_TSV)])
    dialog.import_button.click()
    go = _held_at(pool.worker, 2000)
    pool.run()
    # every row read; 2,000 of 5,000 in the history (hidden until the end), the import paused
    qtbot.waitUntil(lambda: "2,000 of 5,000" in dialog.status.text(), timeout=30_000)
    assert dialog.status.text() == "Adding to your history: 2,000 of 5,000 rows\u2026"
    assert (dialog.progress.maximum(), dialog.progress.value()) == (5000, 2000)
    assert not dialog.progress.isHidden() and not dialog.cancel_button.isHidden()
    assert db.scalar("SELECT COUNT(*) FROM listen WHERE import_run IS NOT NULL") == 2000
    assert db.scalar("SELECT COUNT(*) FROM listen WHERE import_run IS NULL") == 0
    dialog.cancel_button.click()
    assert dialog.status.text() == "Cancelling\u2026"
    go.set()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=30_000)
    assert dialog.status.text() == "Cancelled: nothing was imported."
    assert not dialog.import_button.isHidden() and dialog.files.isEnabled()
    assert db.query("SELECT COUNT(*) FROM listen") == [(0,)]  # what was written is gone
    assert db.query("SELECT COUNT(*) FROM external_track") == [(0,)]
    pool.pool.waitForDone()
    # importing again goes through whole
    with qtbot.waitSignal(dialog.imported, timeout=60_000):
        dialog.import_button.click()
        pool.run()
    assert "Imported: 5,000 new listens" in dialog.report_view.toPlainText()
    pool.pool.waitForDone()


def test_an_import_underway_elsewhere_is_explained(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    from player.history.owner import this_process

    # another import of a running process (this one stands for it) is writing its rows
    db.execute("INSERT INTO import_run (owner, started_at, after_listen, after_external) "
               "VALUES (?, 0, 0, 0)", (this_process(),))
    pool = QThreadPool()
    dialog = ImportDialog(db, pool)
    qtbot.addWidget(dialog)
    dialog.add_paths([str(LISTENS_TSV)])
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=30_000)
    assert dialog.status.text().startswith("Nothing was imported.\nAnother import is being "
                                           "written to this database (process ")
    assert db.scalar("SELECT COUNT(*) FROM listen") == 0
    pool.waitForDone()
