"""Composition root: the one place that builds the database, engine, services and window."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from player.core.errors import KnownError
from player.db.connection import Database, open_database
from player.db.settings import SettingsRepository
from player.resources import default_music_folders, demo_music_dir


def library_folders(db: Database, demo: bool) -> list[str]:
    if demo:
        return [str(demo_music_dir())]
    return SettingsRepository(db).folders() or default_music_folders()


@dataclass
class AppParts:
    """Everything run_gui builds, so tests can drive the real window."""

    window: Any
    bridge: Any
    playback: Any
    library: Any
    covers: Any
    tray: Any
    mpris: Any = None

    def shutdown(self) -> None:
        """Close the open listen, stop the watcher and workers (before the db closes)."""
        self.bridge.shutdown()
        self.library.shutdown()
        self.covers.shutdown()
        if self.mpris is not None:
            self.mpris.unregister()


def build_app(db: Database, engine: Any, settings: Any = None, cover_dir: Path | None = None,
              watch_interval: float = 5.0, clock: Any = None, mpris: bool = True) -> AppParts:
    """The window wired to a PlaybackService on engine; nothing is shown or scanned yet."""
    from PySide6.QtWidgets import QSystemTrayIcon

    from player.playback.service import PlaybackService
    from player.qt.cover_loader import CoverLoader
    from player.qt.playback_bridge import PlaybackBridge
    from player.ui.controller import PlaybackController
    from player.ui.library_controller import LibraryController
    from player.ui.main_window import MainWindow
    from player.ui.tray import TrayIcon

    service = PlaybackService(engine, db, clock)
    service.restore()
    bridge = PlaybackBridge(service)
    covers = CoverLoader(cover_dir)
    window = MainWindow(covers=covers, settings=settings)
    window.page_factories["Playlists"] = lambda: _playlists_page(db, window, bridge)
    playback = PlaybackController(window, bridge, db, covers)
    library = LibraryController(window, db, watch_interval=watch_interval)
    tray = TrayIcon(window)
    _wire_tray(tray, window)
    bridge.state_changed.connect(tray.show_state)
    bridge.track_changed.connect(tray.show_state)
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray.show()
    parts = AppParts(window, bridge, playback, library, covers, tray)
    if mpris:
        parts.mpris = _start_mpris(bridge, window)
    bridge.start()
    return parts


def _playlists_page(db: Database, window: Any, bridge: Any) -> Any:
    """The playlists helper's view in the Playlists page, speaking the window's intents."""
    from player.ui.playlists.view import PlaylistsView

    view = PlaylistsView(db)
    view.play_requested.connect(window.intents.play_requested)
    view.queue_requested.connect(window.intents.add_to_queue_requested)
    view.message.connect(window.show_message)
    bridge.track_changed.connect(lambda _state: view.history_changed())
    return view


def _wire_tray(tray: Any, window: Any) -> None:
    tray.play_pause_requested.connect(window.play_pause_requested)
    tray.next_requested.connect(window.next_requested)
    tray.previous_requested.connect(window.previous_requested)
    tray.toggle_window_requested.connect(lambda: window.setVisible(not window.isVisible()))
    tray.quit_requested.connect(window.close)


def _start_mpris(bridge: Any, window: Any) -> Any:
    from player.qt.mpris import MprisService

    service = MprisService(bridge, raise_window=lambda: (window.show(), window.raise_()))
    return service if service.register() else None


def _choose_folders(db: Database, args: argparse.Namespace) -> list[str]:
    """The library folders; on the very first run, ask (a folder of yours or the demo)."""
    if args.demo:
        return [str(demo_music_dir())]
    folders = SettingsRepository(db).folders()
    if folders or os.environ.get("ENCORE_NO_FIRST_RUN"):
        return folders or default_music_folders()
    from player.ui.dialogs import FirstRunDialog

    dialog = FirstRunDialog(default_music_folders()[0], str(demo_music_dir()))
    dialog.exec()
    return dialog.folders() or [str(demo_music_dir())]


def run_gui(args: argparse.Namespace, qt_args: list[str]) -> int:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from player.engine import create_engine
    from player.ui.theme import apply_theme

    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Encore")
    app.setOrganizationName("Encore")
    app.setDesktopFileName("encore")
    apply_theme(app)
    try:
        db = open_database(args.db)
        engine = create_engine(args.engine, args.audio_output)
    except KnownError as exc:
        QMessageBox.critical(None, "Encore", f"{exc.message}\n\n{exc.hint or ''}".strip())
        return 2
    parts = build_app(db, engine, QSettings())
    parts.window.restore_layout()
    parts.window.show()
    if os.environ.get("ENCORE_REPORT_SHOWN"):  # benchmarks time start -> window shown
        print("window-shown", flush=True)
        parts.library.tracks_loaded.connect(lambda n: print(f"tracks-loaded {n}", flush=True))
    parts.library.load()
    folders = _choose_folders(db, args)
    parts.library.scan(folders)
    if os.environ.get("ENCORE_QUIT_AFTER_MS"):  # smoke tests: start, scan, quit
        QTimer.singleShot(int(os.environ["ENCORE_QUIT_AFTER_MS"]), app.quit)
    code = app.exec()
    parts.window.save_layout()
    parts.shutdown()
    db.close()
    return int(code)

