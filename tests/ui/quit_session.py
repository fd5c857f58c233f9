"""One session of the real window, run in its own process by test_quit.py: play with libVLC,
open Settings and switch the theme, open track info and the scan issues, then quit the way
run_gui does. Whatever Qt, glibc or Python print on the way out is the test's evidence."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from player.app import _tear_down, build_app
from player.db.connection import open_database
from player.engine import create_engine
from player.library.scanner import Scanner
from player.ui.theme import apply_theme


def main(music: str) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="encore-quit-session-"))
    app = QApplication([sys.argv[0]])
    apply_theme(app)
    db = open_database(str(tmp / "encore.db"))
    Scanner(db).scan([music])
    parts = build_app(db, create_engine("vlc", "dummy"),
                      QSettings(str(tmp / "ui.ini"), QSettings.Format.IniFormat),
                      cover_dir=tmp / "covers", mpris=False)
    window = parts.window
    window.show()
    parts.library.load()

    def answer_settings() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(30, answer_settings)
            return
        dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
        dialog.accept()

    def steps() -> None:
        track = window.library.track_model.track_at(0)
        parts.bridge.service.play_tracks([track], 0, "library", "")
        QTimer.singleShot(30, answer_settings)
        window.settings_requested.emit()
        window.intents.info_requested.emit(track)
        window.scan_issues_requested.emit()
        QTimer.singleShot(800, window.quit_action.trigger)

    parts.library.tracks_loaded.connect(lambda _n: QTimer.singleShot(300, steps))
    code = app.exec()
    window.save_layout()
    parts.shutdown()
    _tear_down(app, parts)
    db.close()
    print("quit cleanly", flush=True)
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
