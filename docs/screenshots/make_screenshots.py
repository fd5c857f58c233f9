"""Regenerates docs/screenshots/*.png: every screen of the main window on the demo music.

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \
        .venv/bin/python docs/screenshots/make_screenshots.py

Builds a throwaway library from resources/demo, records a few listens (plays, a skip, a
repeat) through the real PlaybackService on a NullEngine and a fake clock, then grabs each
page. Nothing outside a temporary directory is touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).resolve().parent


def record_listens(db, tracks) -> None:
    """A small, realistic history: plays, an early skip, a skip and a repeat."""
    from player.core.clock import FakeClock
    from player.engine.null import NullEngine
    from player.playback.service import PlaybackService

    clock = FakeClock(start=time.time() - 3 * 3600)
    service = PlaybackService(NullEngine(clock=clock), db, clock)
    service.play_tracks(tracks, 0, "library")
    for seconds, action in ((200, "next"), (8, "next"), (70, "next"), (40, "previous"),
                            (300, "next"), (300, "next"), (12, "next")):
        for _ in range(int(seconds)):
            clock.advance(1)
            service.tick()
        getattr(service, action)()
    clock.advance(1)
    service.tick()
    service.stop()
    service.shutdown()


def main() -> int:
    os.environ.setdefault("ENCORE_NO_FIRST_RUN", "1")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from player.app import build_app
    from player.core.clock import FakeClock
    from player.db.connection import open_database
    from player.db.tracks import TrackRepository
    from player.engine.null import NullEngine
    from player.library.scanner import Scanner
    from player.resources import demo_music_dir
    from player.ui.dialogs import FirstRunDialog, ScanIssuesDialog, TrackInfoDialog
    from player.ui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    apply_theme(app)
    tmp = Path(tempfile.mkdtemp(prefix="encore-shots-"))
    db = open_database(tmp / "library.db")
    broken = tmp / "More music"
    broken.mkdir()
    (broken / "Half downloaded.mp3").write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x10not audio")
    Scanner(db).scan([str(demo_music_dir()), str(broken)])
    tracks = TrackRepository(db).all()
    record_listens(db, tracks)
    clock = FakeClock(start=time.time())
    parts = build_app(db, NullEngine(clock=clock), QSettings(str(tmp / "ui.ini"), QSettings.Format.IniFormat),
                      cover_dir=tmp / "covers", mpris=False)
    window = parts.window
    window.resize(1280, 760)
    window.show()
    parts.library.load()
    settle(app, lambda: window.library.track_model.rowCount() > 0)
    parts.bridge.service.play_tracks(tracks, 2, "library")
    clock.advance(47)
    parts.bridge.service.tick()
    parts.bridge.service.pause()
    parts.bridge.service.add_to_queue(tracks[:2])
    settle(app)
    shots = [("home", "Home", ""), ("artists", "Library", "Artists"), ("albums", "Library", "Albums"),
             ("tracks", "Library", "Tracks"), ("genres", "Library", "Genres"), ("queue", "Queue", ""),
             ("history", "History", ""), ("playlists", "Playlists", ""), ("your-year", "Your year", "")]
    for name, page, section in shots:
        window.show_page(page, section)
        settle(app, delay=0.6)
        window.grab().save(str(OUT / f"{name}.png"))
    window.show_page("Library", "Tracks")
    window.library.filter_edit.setText("kevin")
    settle(app)
    window.grab().save(str(OUT / "tracks-filtered.png"))
    window.library.filter_edit.clear()
    app.setPalette(dark_palette())  # what a dark desktop hands Qt: every colour must follow
    app.setStyleSheet(app.styleSheet())
    for name, page, section in (("tracks-dark", "Library", "Tracks"), ("history-dark", "History", "")):
        window.show_page(page, section)
        settle(app)
        window.grab().save(str(OUT / f"{name}.png"))
    app.setPalette(app.style().standardPalette())
    app.setStyleSheet(app.styleSheet())
    dialogs = [("first-run", FirstRunDialog(str(Path.home() / "Music"), str(demo_music_dir()))),
               ("scan-issues", ScanIssuesDialog(db_issues(db), window)),
               ("track-info", TrackInfoDialog(tracks[2], window))]
    for name, dialog in dialogs:
        dialog.show()
        settle(app, delay=0.3)
        dialog.grab().save(str(OUT / f"{name}.png"))
        dialog.close()
    parts.shutdown()
    db.close()
    print(f"screenshots written to {OUT}")
    return 0


def dark_palette():
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.Mid: "#555555",
        QPalette.ColorRole.Light: "#777777", QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    return palette


def db_issues(db):
    from player.db.scan_issues import ScanIssueRepository

    return ScanIssueRepository(db).all()


def settle(app, until=None, delay: float = 0.3, timeout: float = 5.0) -> None:
    """Lets Qt paint and workers deliver (until the condition holds), then a short delay."""
    deadline = time.monotonic() + timeout
    while until is not None and not until() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    end = time.monotonic() + delay
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    sys.exit(main())
