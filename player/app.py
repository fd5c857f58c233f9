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
    radio: Any = None
    analysis: Any = None

    def shutdown(self) -> None:
        """Close the open listen, stop the watcher and workers (before the db closes)."""
        self.bridge.shutdown()
        if self.analysis is not None:
            self.analysis.shutdown()
        self.library.shutdown()
        self.covers.shutdown()
        if self.mpris is not None:
            self.mpris.unregister()


def build_app(db: Database, engine: Any, settings: Any = None, cover_dir: Path | None = None,
              watch_interval: float = 5.0, clock: Any = None, mpris: bool = True,
              home: bool = True) -> AppParts:
    """The window wired to a PlaybackService on engine; nothing is shown or scanned yet."""
    from PySide6.QtWidgets import QSystemTrayIcon

    from player.db.preferences import Preferences
    from player.playback.service import PlaybackService
    from player.qt.cover_loader import CoverLoader
    from player.qt.playback_bridge import PlaybackBridge
    from player.ui.controller import PlaybackController
    from player.ui.library_controller import LibraryController
    from player.ui.main_window import MainWindow
    from player.ui.tray import TrayIcon

    service = PlaybackService(engine, db, clock)
    prefs = Preferences.load(db)
    service.set_replaygain(prefs.replaygain)  # type: ignore[arg-type]
    service.set_crossfade(prefs.crossfade_s)
    service.restore()
    bridge = PlaybackBridge(service)
    covers = CoverLoader(cover_dir)
    window = MainWindow(covers=covers, settings=settings)
    window.page_factories["Playlists"] = lambda: _playlists_page(db, window, bridge)
    window.page_factories["Your year"] = lambda: _recap_page(db)
    window.import_history_requested.connect(lambda: _open_import_dialog(db, window))
    window.settings_requested.connect(lambda: _open_settings(db, window, service))
    playback = PlaybackController(window, bridge, db, covers)
    library = LibraryController(window, db, watch_interval=watch_interval)
    tray = TrayIcon(window)
    _wire_tray(tray, window)
    bridge.state_changed.connect(tray.show_state)
    bridge.track_changed.connect(tray.show_state)
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray.show()
    parts = AppParts(window, bridge, playback, library, covers, tray)
    parts.radio = _wire_discovery(db, window, bridge)
    parts.analysis = _wire_analysis(db, window, library)
    _wire_tag_editor(db, window, library)
    if home:
        window.page_factories["Home"] = lambda: _home_page(db, window, bridge, covers, library)
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
    view.radio_requested.connect(window.intents.radio_seed_requested)
    bridge.track_changed.connect(lambda _state: view.history_changed())
    return view


def _wire_tag_editor(db: Database, window: Any, library: Any) -> None:
    """The context menu's Edit tags / Undo tag edit; the views reload what was written."""
    from player.library.tag_editing import TagEditingService
    from player.ui.tag_editor import TagEditorDialog, undo_last_edit

    service = TagEditingService(db)

    def edit(tracks: list[Any]) -> None:
        dialog = TagEditorDialog(service, [t.id for t in tracks], window)
        dialog.edited.connect(lambda report: library.load() if report.edited else None)
        dialog.open()

    def undo() -> None:
        undo_last_edit(service, window)
        library.load()

    window.intents.edit_tags_requested.connect(edit)
    window.intents.undo_tags_requested.connect(undo)


def _wire_analysis(db: Database, window: Any, library: Any) -> Any:
    """Analyse new music in the background (Settings can switch it off): once the library is
    in the views, at start and after every scan, so it never competes with loading them."""
    from player.ui.analysis_controller import AnalysisController

    controller = AnalysisController(window, db)
    library.tracks_loaded.connect(lambda _count: controller.start())
    return controller


def _wire_discovery(db: Database, window: Any, bridge: Any) -> Any:
    """Start radio, Sounds like this, and autoplay when the queue runs out (a Setting)."""
    from player.db.preferences import Preferences
    from player.ui.radio import RadioStarter, show_similar

    service = bridge.service
    radio = RadioStarter(db, service, window.show_message)
    intents = window.intents
    intents.radio_requested.connect(radio.start)
    intents.radio_seed_requested.connect(radio.start_seed)
    intents.similar_requested.connect(lambda track: show_similar(
        db, track, window, intents.play_requested.emit, window.show_message))

    def autoplay(last_track: Any) -> None:
        if Preferences.load(db).autoplay:
            radio.continue_after(last_track)

    bridge.queue_finished.connect(autoplay)
    return radio


def _home_page(db: Database, window: Any, bridge: Any, covers: Any, library: Any) -> Any:
    """The recommender's Home: Daily Mixes and Right now, refreshed daily and after scans.
    A skip of a Right-now track (however it was skipped) steers the rest of that queue."""
    from PySide6.QtCore import Qt

    from player.db.preferences import Preferences
    from player.services.recommendations import RecommendationService
    from player.ui.home.home_view import HomeView

    service = bridge.service
    share = Preferences.load(db).rediscovery_share / 100
    view = HomeView(RecommendationService(db, rediscovery_share=share), covers=covers)
    view.play_requested.connect(window.intents.play_requested)
    view.right_now_changed.connect(lambda tracks: _replace_upcoming(service, tracks))

    def on_skip(track: Any, source: str) -> None:
        if source == "context queue":
            view.right_now_skipped(track)

    # queued: the queue is changed after the skip's next()/play has finished, not inside it
    bridge.skipped.connect(on_skip, Qt.ConnectionType.QueuedConnection)
    library.scan_done.connect(lambda _report: view.refresh())
    view.load_cached()
    view.start_daily_refresh()
    return view


def _replace_upcoming(service: Any, tracks: list[Any]) -> None:
    state = service.state
    for index in range(len(state.queue) - 1, state.index, -1):
        service.remove_from_queue(index)
    service.add_to_queue(tracks)


def _recap_page(db: Database) -> Any:
    from player.ui.recap.view import RecapView

    return RecapView(db)


def _open_import_dialog(db: Database, window: Any) -> None:
    from player.ui.import_dialog import ImportDialog

    dialog = ImportDialog(db, parent=window)
    dialog.imported.connect(lambda report: window.show_message("Listening history imported"))
    dialog.exec()


def _open_settings(db: Database, window: Any, service: Any) -> None:
    from player.db.preferences import Preferences
    from player.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(db, parent=window)
    dialog.folders_changed.connect(lambda folders: [window.add_folder_requested.emit(f)
                                                    for f in folders])
    def apply(_names: list[str]) -> None:
        prefs = Preferences.load(db)
        service.set_replaygain(prefs.replaygain)
        service.set_crossfade(prefs.crossfade_s)

    dialog.preferences_saved.connect(apply)
    dialog.exec()


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


def play_files(parts: AppParts, db: Database, files: list[str]) -> None:
    """`encore song.flac list.m3u8`, or files handed over by a second start: play them."""
    from player.cli.file_args import expand_file_arguments, tracks_for_paths

    request = expand_file_arguments(files)
    tracks, problems = tracks_for_paths(db, request.paths)
    if tracks:
        parts.bridge.service.play_tracks(tracks, 0, "files", "")
    for problem in [*request.problems, *problems][:3]:
        parts.window.show_message(problem)


def _wire_single_instance(instance: Any, parts: AppParts, db: Database) -> None:
    window = parts.window

    def activate() -> None:
        window.showNormal()
        window.raise_()
        window.activateWindow()

    instance.activate_requested.connect(activate)
    instance.files_received.connect(lambda files: play_files(parts, db, list(files)))


def _saved_output(db: Database) -> str | None:
    """The output device chosen in Settings, unless ENCORE_AUDIO_OUTPUT says otherwise."""
    from player.db.preferences import Preferences

    if os.environ.get("ENCORE_AUDIO_OUTPUT"):
        return None
    return Preferences.load(db).audio_output or None


def _apply_saved_theme(app: Any, db: Database) -> None:
    from player.db.preferences import Preferences
    from player.ui.settings_dialog import apply_theme_choice

    apply_theme_choice(app, Preferences.load(db).theme)


def _choose_folders(db: Database, args: argparse.Namespace) -> list[str]:
    """The library folders. On the very first run: the Music folder when it holds music,
    else ask (a folder of yours, or the demo music)."""
    if args.demo:
        return [str(demo_music_dir())]
    folders = SettingsRepository(db).folders()
    suggested = default_music_folders()
    if folders or os.environ.get("ENCORE_NO_FIRST_RUN"):
        return folders or suggested
    if suggested != [str(demo_music_dir())]:
        return suggested  # the user's own Music folder: nothing to ask
    from player.ui.dialogs import FirstRunDialog

    dialog = FirstRunDialog(suggested[0], str(demo_music_dir()))
    dialog.exec()
    return dialog.folders() or [str(demo_music_dir())]


def run_gui(args: argparse.Namespace, qt_args: list[str]) -> int:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from player.engine import create_engine
    from player.qt.single_instance import SingleInstance, instance_name
    from player.ui.theme import apply_theme

    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Encore")
    app.setOrganizationName("Encore")
    app.setDesktopFileName(os.environ.get("FLATPAK_ID", "encore"))
    files = list(getattr(args, "open_files", []) or [])
    instance = SingleInstance(instance_name(args.db))
    if instance.try_handover(files):
        return 0  # the running Encore raises its window and plays the files
    apply_theme(app)
    try:
        db = open_database(args.db)
        engine = create_engine(args.engine, args.audio_output or _saved_output(db))
    except KnownError as exc:
        print(f"encore: {exc.message}\n  {exc.hint}".rstrip(), file=sys.stderr)
        QMessageBox.critical(None, "Encore", f"{exc.message}\n\n{exc.hint or ''}".strip())
        return 2
    _apply_saved_theme(app, db)
    parts = build_app(db, engine, QSettings())
    _wire_single_instance(instance, parts, db)
    parts.window.restore_layout()
    parts.window.show()
    if os.environ.get("ENCORE_REPORT_SHOWN"):  # benchmarks time start -> window shown
        print("window-shown", flush=True)
        parts.library.tracks_loaded.connect(lambda n: print(f"tracks-loaded {n}", flush=True))
    parts.library.load()
    folders = _choose_folders(db, args)
    parts.library.scan(folders)
    if files:
        play_files(parts, db, files)
    if os.environ.get("ENCORE_QUIT_AFTER_MS"):  # smoke tests: start, scan, quit
        QTimer.singleShot(int(os.environ["ENCORE_QUIT_AFTER_MS"]), app.quit)
    code = app.exec()
    parts.window.save_layout()
    parts.shutdown()
    instance.close()
    db.close()
    return int(code)

