"""Composition root: the one place that builds the database, engine, services and window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from player.core.errors import KnownError
from player.core.events import EventBus
from player.db.connection import Database, open_database
from player.db.settings import SettingsRepository
from player.resources import default_music_folders, demo_music_dir

log = logging.getLogger(__name__)
SHUTDOWN_WAIT_MS = 30_000

if TYPE_CHECKING:
    from player.playback.service import PlaybackService
    from player.qt.cover_loader import CoverLoader
    from player.qt.event_bridge import EventBridge
    from player.qt.mpris import MprisService
    from player.qt.playback_bridge import PlaybackBridge
    from player.qt.recap_loader import RecapService
    from player.services.feedback import FeedbackService
    from player.services.history import HistoryService
    from player.services.library import LibraryService
    from player.services.playlists import PlaylistsService
    from player.services.preferences import PreferencesService
    from player.services.recommendations import RecommendationService
    from player.ui.analysis_controller import AnalysisController
    from player.ui.controller import PlaybackController
    from player.ui.home.home_view import HomeView
    from player.ui.library_controller import LibraryController
    from player.ui.main_window import MainWindow
    from player.ui.playlists.view import PlaylistsView
    from player.ui.radio import RadioStarter
    from player.ui.recap.view import RecapView
    from player.ui.tray import TrayIcon


@dataclass
class Services:
    """The long-lived services, one of each, built once here and handed to what needs them.
    Each publishes what it changes on `bus` (core/events.py)."""

    db: Database
    bus: EventBus
    preferences: PreferencesService
    feedback: FeedbackService
    library: LibraryService
    history: HistoryService
    playlists: PlaylistsService
    recommendations: RecommendationService
    playback: PlaybackService
    recap: RecapService


def build_services(db: Database, engine: Any, clock: Any = None) -> Services:
    """Every service on one database and one event bus (no Qt widgets)."""
    from player.playback.service import PlaybackService
    from player.qt.recap_loader import RecapService
    from player.services.feedback import FeedbackService
    from player.services.history import HistoryService
    from player.services.library import LibraryService
    from player.services.playlists import PlaylistsService
    from player.services.preferences import PreferencesService
    from player.services.recommendations import RecommendationService

    bus = EventBus()
    preferences = PreferencesService(db, bus)
    feedback = FeedbackService(db, bus, clock)
    prefs = preferences.current
    recommendations = RecommendationService(db, clock, rediscovery_share=prefs.rediscovery_share / 100,
                                            bus=bus, feedback=feedback)
    playback = PlaybackService(engine, db, clock, bus=bus, feedback=feedback)
    playback.set_replaygain(prefs.replaygain)  # type: ignore[arg-type]
    playback.set_crossfade(prefs.crossfade_s)
    return Services(db, bus, preferences, feedback, LibraryService(db, bus), HistoryService(db, bus),
                    PlaylistsService(db, bus), recommendations, playback,
                    RecapService(db, recommendations))


@dataclass
class AppParts:
    """Everything run_gui builds, so tests can drive the real window."""

    window: MainWindow
    bridge: PlaybackBridge
    playback: PlaybackController
    library: LibraryController
    covers: CoverLoader
    tray: TrayIcon
    services: Services
    events: EventBridge
    mpris: MprisService | None = None
    radio: RadioStarter | None = None
    analysis: AnalysisController | None = None
    pages: dict[str, Any] = field(default_factory=dict)  # the lazily built pages, once shown

    def shutdown(self) -> None:
        """Close the open listen, stop the watcher and workers (before the db closes).
        Every background job is cancelled first and then waited for: a job still running
        when the window and its Python objects go would emit into deleted objects."""
        from PySide6.QtCore import QThreadPool

        self.bridge.shutdown()
        if self.analysis is not None:
            self.analysis.shutdown()
        self.library.shutdown()
        self.covers.shutdown()
        self.events.close()
        if self.mpris is not None:
            self.mpris.unregister()
        if not QThreadPool.globalInstance().waitForDone(SHUTDOWN_WAIT_MS):
            log.warning("background work still running %d s after quitting", SHUTDOWN_WAIT_MS // 1000)


def build_app(db: Database, engine: Any, settings: Any = None, cover_dir: Path | None = None,
              watch_interval: float = 5.0, clock: Any = None, mpris: bool = True,
              home: bool = True) -> AppParts:
    """The window wired to the services on engine; nothing is shown or scanned yet."""
    from PySide6.QtWidgets import QSystemTrayIcon

    from player.qt.cover_loader import CoverLoader
    from player.qt.event_bridge import EventBridge
    from player.qt.playback_bridge import PlaybackBridge
    from player.ui.controller import PlaybackController
    from player.ui.library_controller import LibraryController
    from player.ui.main_window import MainWindow
    from player.ui.tray import TrayIcon

    services = build_services(db, engine, clock)
    services.playback.restore()
    bridge = PlaybackBridge(services.playback)
    covers = CoverLoader(cover_dir)
    window = MainWindow(covers=covers, settings=settings)
    events = EventBridge(services.bus, window)
    playback = PlaybackController(window, bridge, services.history, services.library, covers)
    library = LibraryController(window, services.library, watch_interval=watch_interval)
    tray = TrayIcon(window)
    _wire_tray(tray, window)
    bridge.state_changed.connect(tray.show_state)
    bridge.track_changed.connect(tray.show_state)
    tray.show_state(bridge.state)  # the track restore() brought back, before any signal
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray.show()
    parts = AppParts(window, bridge, playback, library, covers, tray, services, events)
    window.page_factories["Playlists"] = lambda: _page(parts, "Playlists", _playlists_page(parts))
    window.page_factories["Your year"] = lambda: _page(parts, "Your year", _recap_page(parts))
    window.import_history_requested.connect(lambda: _open_import_dialog(parts))
    window.settings_requested.connect(lambda: _open_settings(parts))
    parts.radio = _wire_discovery(parts)
    parts.analysis = _wire_analysis(parts)
    _wire_events(parts)
    _wire_tag_editor(parts)
    _wire_track_data(parts)
    if home:
        window.page_factories["Home"] = lambda: _page(parts, "Home", _home_page(parts))
    if mpris:
        parts.mpris = _start_mpris(bridge, window)
    bridge.start()
    return parts


def _wire_track_data(parts: AppParts) -> None:
    """What the views may ask about tracks (playlists to add to, play counts, facts for
    Track info), and adding to a playlist from any track menu."""
    from player.services.track_facts import track_facts

    services, window = parts.services, parts.window
    playlists = services.playlists
    intents = window.intents
    intents.playlist_choices = lambda: [(p.id, p.name) for p in playlists.all()
                                        if p.kind in ("user", "liked")]
    intents.track_stats = services.history.track_stats
    intents.track_facts = lambda track_id: track_facts(services.db, track_id)
    window.set_about(services.db.path, None)

    def add_ids(track_ids: list[int], playlist_id: int) -> None:
        """Adds to a playlist (Liked Songs: likes) and says what happened."""
        try:
            playlist = playlists.get(playlist_id)
            added = playlists.add(playlist_id, track_ids)
        except KnownError as exc:
            window.show_message(exc.message)
            return
        noun = "track" if added == 1 else "tracks"
        if playlist is not None and playlist.kind == "liked":
            window.show_message(f"Liked {added} {noun}")
            return
        name = playlist.name if playlist is not None else "the playlist"
        window.show_message(f"Added {added} {noun} to \u201c{name}\u201d")

    def add_to_playlist(tracks: list[Any], playlist_id: int) -> None:
        from PySide6.QtWidgets import QInputDialog

        if playlist_id == 0:
            default = (tracks[0].album or tracks[0].title) if len(tracks) > 1 else tracks[0].title
            name, ok = QInputDialog.getText(window, "New playlist", "Name of the playlist:",
                                            text=default)
            if not ok or not name.strip():
                return
            try:
                playlist_id = playlists.create(name.strip()).id
            except KnownError as exc:
                window.show_message(exc.message)
                return
        add_ids([t.id for t in tracks], playlist_id)

    intents.add_to_playlist_requested.connect(add_to_playlist)
    # the sidebar lists the playlists; tracks dragged from the library drop onto them
    window.tracks_dropped_on_playlist.connect(lambda playlist_id, ids: add_ids(ids, playlist_id))

    def list_playlists(_payload: Any = None) -> None:
        from player.ui.sidebar import SidebarPlaylist

        window.set_playlists([SidebarPlaylist(p.id, p.name, p.kind) for p in playlists.all()])

    playlists.ensure_defaults()  # the ready-made ones, created once (the page does it too)
    list_playlists()
    parts.events.on("playlists_changed", list_playlists)


def _page(parts: AppParts, name: str, page: Any) -> Any:
    parts.pages[name] = page
    return page


def _wire_events(parts: AppParts) -> None:
    """What every view does when the services announce a change (views built later, the
    pages, subscribe where they are built)."""
    events, window, playback = parts.events, parts.window, parts.playback
    # History: a new listen, an import, a deletion
    # (read when shown: page_shown refreshes it too, so a hidden page costs no query)
    events.on("history_changed",
              lambda _p: playback.refresh_history() if window.current_page() == "History" else None)
    # Settings saved: playback settings and the theme apply at once
    events.on("preferences_changed", lambda payload: _apply_preferences(parts, payload))
    # a scan that changed tracks: the analysis looks at the new ones
    events.on("library_changed", lambda _p: parts.analysis.start() if parts.analysis else None)
    window.page_shown.connect(lambda name: playback.refresh_history() if name == "History" else None)


def _apply_preferences(parts: AppParts, payload: dict[str, Any]) -> None:
    from PySide6.QtWidgets import QApplication

    keys = set(payload.get("keys", []))
    prefs = parts.services.preferences.current
    service = parts.services.playback
    service.set_replaygain(prefs.replaygain)  # type: ignore[arg-type]
    service.set_crossfade(prefs.crossfade_s)
    parts.services.recommendations.rediscovery_share = prefs.rediscovery_share / 100
    app = QApplication.instance()
    if "theme" in keys and isinstance(app, QApplication):
        apply_theme_now(app, prefs.theme)
    if "analysis_enabled" in keys and prefs.analysis_enabled and parts.analysis is not None:
        parts.analysis.start()
    if "rediscovery_share" in keys and "Home" in parts.pages:
        parts.pages["Home"].refresh()


def apply_theme_now(app: Any, theme: str) -> None:
    """The theme chosen in Settings, applied to every open window at once."""
    from player.ui.settings_dialog import apply_theme_choice
    from player.ui.theme import restyle

    apply_theme_choice(app, theme)
    restyle(app)  # re-resolve palette() references with the new colours


def _playlists_page(parts: AppParts) -> PlaylistsView:
    """The playlists helper's view in the Playlists page, speaking the window's intents."""
    from player.ui.playlists.view import PlaylistsView

    window = parts.window
    view = PlaylistsView(parts.services.playlists)
    view.play_requested.connect(window.intents.play_requested)
    view.queue_requested.connect(window.intents.add_to_queue_requested)
    view.play_next_requested.connect(window.intents.play_next_requested)
    view.message.connect(window.show_message)
    view.radio_requested.connect(window.intents.radio_seed_requested)
    # smart playlists and Liked Songs follow the history and the likes
    parts.events.on("history_changed", lambda _p: view.history_changed())
    parts.events.on("feedback_changed", lambda _p: view.history_changed())
    parts.events.on("library_changed", lambda _p: view.history_changed())
    # tracks added from elsewhere (menus, drops on the sidebar) show when the page does
    window.page_shown.connect(lambda name: view.refresh() if name == "Playlists" else None)
    return view


def _wire_tag_editor(parts: AppParts) -> None:
    """The track menu's Edit tags / Undo tag edit. The service publishes library_changed
    (reason "tags"); the library views reload then, and Home and the analysis hear it too."""
    from player.library.tag_editing import TagEditingService
    from player.ui.tag_editor import TagEditorDialog, undo_last_edit

    window = parts.window
    service = TagEditingService(parts.services.db, parts.services.bus)

    def edit(tracks: list[Any]) -> None:
        TagEditorDialog(service, [t.id for t in tracks], window).open()

    window.intents.edit_tags_requested.connect(edit)
    window.intents.undo_tags_requested.connect(lambda: undo_last_edit(service, window))
    parts.events.on("library_changed",
                    lambda payload: parts.library.load() if payload.get("reason") == "tags" else None)


def _wire_analysis(parts: AppParts) -> AnalysisController:
    """Analyse new music in the background (Settings can switch it off): once the library is
    in the views, at start and after every scan, so it never competes with loading them."""
    from player.ui.analysis_controller import AnalysisController

    db = parts.services.db

    def make_worker(workers: int) -> Any:
        from player.qt.analysis_worker import AnalysisWorker  # numpy, scipy, av: not at start-up

        return AnalysisWorker(db, workers=workers)

    controller = AnalysisController(parts.window, parts.services.preferences, make_worker,
                                    bus=parts.services.bus,
                                    count_problems=lambda: len(parts.services.library.files_not_read()))
    parts.library.tracks_loaded.connect(lambda _count: controller.start())
    return controller


def _wire_discovery(parts: AppParts) -> RadioStarter:
    """Start radio, Sounds like this, and autoplay when the queue runs out (a Setting), all
    on the app's one RecommendationService."""
    from player.ui.radio import RadioStarter, show_similar

    window, services = parts.window, parts.services
    radio = RadioStarter(services.recommendations, services.playback, window.show_message)
    intents = window.intents
    intents.radio_requested.connect(radio.start)
    intents.radio_seed_requested.connect(radio.start_seed)
    intents.similar_requested.connect(lambda track: show_similar(
        services.recommendations, track, window, intents.play_requested.emit, window.show_message))

    def autoplay(last_track: Any) -> None:
        if services.preferences.current.autoplay:
            radio.continue_after(last_track)

    parts.bridge.queue_finished.connect(autoplay)
    return radio


def _home_page(parts: AppParts) -> HomeView:
    """The recommender's Home: Daily Mixes and Right now, refreshed daily, after scans and
    imports, and (from the cache, no refit) after a ban. A skip of a Right-now track
    (however it was skipped) steers the rest of that queue."""
    from PySide6.QtCore import Qt

    from player.ui.home.home_view import HomeView

    service = parts.services.playback
    view = HomeView(parts.services.recommendations, covers=parts.covers)
    view.play_requested.connect(parts.window.intents.play_requested)
    view.right_now_changed.connect(
        lambda tracks: service.replace_upcoming(tracks, "context queue"))

    def on_skip(track: Any, source: str) -> None:
        if source == "context queue":
            view.right_now_skipped(track)

    # queued: the queue is changed after the skip's next()/play has finished, not inside it
    parts.bridge.skipped.connect(on_skip, Qt.ConnectionType.QueuedConnection)
    events = parts.events
    # library, history (not each finished listen), analysis and settings: one debounced rebuild
    events.on("library_changed", lambda p: view.on_event("library_changed", p))
    events.on("history_changed",
              lambda p: view.on_event("history_changed", p) if p.get("reason") != "listen" else None)
    events.on("analysis_progress", lambda p: view.on_event("analysis_progress", p))
    events.on("preferences_changed", lambda p: view.on_event("preferences_changed", p))
    events.on("feedback_changed",
              lambda p: view.refresh(refit=False) if p.get("reason") in ("ban", "unban") else None)
    view.load_cached()
    view.start_daily_refresh()
    return view


def _recap_page(parts: AppParts) -> RecapView:
    """Your year, with the personalities of the app's one recommender; it follows the history."""
    from player.ui.recap.view import RecapView

    view = RecapView(source=parts.services.recap)
    parts.events.on("history_changed", lambda p: view.refresh() if p.get("reason") != "listen" else None)
    return view


def _open_import_dialog(parts: AppParts) -> None:
    from player.ui.import_dialog import ImportDialog

    window = parts.window
    dialog = ImportDialog(parts.services.history, parent=window)
    dialog.imported.connect(lambda report: window.show_message("Listening history imported"))
    dialog.exec()
    dialog.deleteLater()  # not left as a child of the window until exit (see _tear_down)


def _open_settings(parts: AppParts) -> None:
    from player.ui.settings_dialog import SettingsDialog

    window = parts.window
    dialog = SettingsDialog(parts.services.preferences, parts.services.history, parent=window)

    def scan_folders(folders: list[str]) -> None:
        for folder in folders:
            window.add_folder_requested.emit(folder)

    dialog.folders_changed.connect(scan_folders)
    dialog.exec()
    dialog.deleteLater()  # not left as a child of the window until exit (see _tear_down)


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

    apply_theme_now(app, Preferences.load(db).theme)


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
    dialog.deleteLater()  # not left as a child of the window until exit (see _tear_down)
    return dialog.folders() or [str(demo_music_dir())]


def run_gui(args: argparse.Namespace, qt_args: list[str]) -> int:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from player.engine import create_engine
    from player.playback.playable_copies import PlayableCopyCache
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
    from player.logfile import install as install_log_file

    install_log_file()  # errors to a file the user can find (Help > About), faulthandler on
    try:
        db = open_database(args.db)
        engine = create_engine(args.engine, args.audio_output or _saved_output(db),
                               copies=PlayableCopyCache())
    except KnownError as exc:
        print(f"encore: {exc.message}\n  {exc.hint}".rstrip(), file=sys.stderr)
        QMessageBox.critical(None, "Encore", f"{exc.message}\n\n{exc.hint or ''}".strip())
        return 2
    _apply_saved_theme(app, db)
    log_path = _start_log_file(db.path)
    parts = build_app(db, engine, QSettings())
    parts.window.set_about(db.path, log_path)
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
    if os.environ.get("ENCORE_QUIT_AFTER_MS"):  # smoke tests: start, scan, quit as File > Quit
        QTimer.singleShot(int(os.environ["ENCORE_QUIT_AFTER_MS"]), parts.window.quit_action.trigger)
    _quit_on_signals(parts)
    code = app.exec()
    parts.window.save_layout()
    parts.shutdown()
    instance.close()
    _tear_down(app, parts)
    db.close()
    return int(code)


def _quit_on_signals(parts: AppParts) -> None:
    """Ctrl+C in the terminal that started Encore, or a plain `kill`: quit as File > Quit does
    (the listen closes as app_quit, everything is saved) instead of a KeyboardInterrupt
    traceback inside a Qt slot. Python runs the handler when Qt next calls into Python (the
    playback tick, every 150 ms)."""
    import signal

    from PySide6.QtCore import QTimer

    def request_quit(_signum: int, _frame: Any) -> None:
        QTimer.singleShot(0, quit_now)

    def quit_now() -> None:
        try:
            parts.window.quit_action.trigger()
        except RuntimeError:  # the window is already gone (the X server died with us): done
            log.info("quit requested after the window was deleted")

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, request_quit)


def _start_log_file(db_path: str) -> str | None:
    """Warnings and errors also go to encore.log beside the database (Help > About says
    where), kept to two files of 1 MB."""
    from logging.handlers import RotatingFileHandler

    if db_path == ":memory:":
        return None
    path = Path(db_path).parent / "encore.log"
    try:
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=1, encoding="utf-8")
    except OSError as exc:
        log.warning("no log file: %s", exc)
        return None
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    return str(path)


def _tear_down(app: Any, parts: AppParts) -> None:
    """Delete the window (and with it the tray, controllers and pages) and then the
    application, in that order and while every Python object they call is alive. Left to
    Python's exit, the QApplication could go before its widgets (the "shared QObject was
    deleted directly" warning, then heap corruption)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    parts.window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    app.processEvents()
    app.shutdown()

