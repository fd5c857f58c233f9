"""The import dialog with real widgets: add files, import off the GUI thread, see the report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool

from player.db.connection import Database
from player.ui.import_dialog import ImportDialog
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
