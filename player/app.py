"""Composition root: the one place that builds the database, services and the window."""

from __future__ import annotations

import argparse
import os
import sys

from player.core.errors import KnownError
from player.db.connection import Database, open_database
from player.db.settings import SettingsRepository
from player.db.tracks import TrackRepository
from player.resources import default_music_folders, demo_music_dir


def library_folders(db: Database, demo: bool) -> list[str]:
    if demo:
        return [str(demo_music_dir())]
    return SettingsRepository(db).folders() or default_music_folders()


def run_gui(args: argparse.Namespace, qt_args: list[str]) -> int:
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication, QMessageBox

    from player.qt.scan_worker import ScanWorker
    from player.ui.main_window import MainWindow

    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Encore")
    app.setOrganizationName("Encore")
    try:
        db = open_database(args.db)
    except KnownError as exc:
        QMessageBox.critical(None, "Encore", str(exc))
        return 2
    tracks = TrackRepository(db)
    window = MainWindow()
    window.show_tracks(tracks.all())
    worker = ScanWorker(db, library_folders(db, args.demo))
    worker.signals.progress.connect(window.show_scan_progress)

    def on_scan_finished(report: object) -> None:
        window.show_tracks(tracks.all())
        window.show_message(_summary(report))

    worker.signals.finished.connect(on_scan_finished)
    worker.signals.failed.connect(window.show_message)
    QThreadPool.globalInstance().start(worker)
    window.show()
    if os.environ.get("ENCORE_QUIT_AFTER_MS"):  # smoke tests: start, scan, quit
        from PySide6.QtCore import QTimer

        QTimer.singleShot(int(os.environ["ENCORE_QUIT_AFTER_MS"]), app.quit)
    code = app.exec()
    worker.cancel()
    QThreadPool.globalInstance().waitForDone(5000)
    db.close()
    return int(code)


def _summary(report: object) -> str:
    added = getattr(report, "added", 0)
    issues = getattr(report, "issues", 0)
    text = f"Scan finished: {added} added"
    return text + (f", {issues} could not be read" if issues else "")
