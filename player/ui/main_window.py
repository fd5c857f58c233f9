"""The main window: a sidebar of pages, the page stack, the now-playing bar, a status bar.

Pages come from a dict of name -> factory, made on first visit, so a page another part of
Encore provides later (Home, Playlists, Your year) replaces its placeholder with one line:
`window.page_factories["Home"] = lambda: HomeView(...)` before the page is first shown.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from player.qt.cover_loader import CoverLoader
from player.ui.file_dialogs import start_folder
from player.ui.history_view import HistoryPage
from player.ui.intents import TrackIntents
from player.ui.library_view import SECTIONS, LibraryPage
from player.ui.now_playing import NowPlayingBar
from player.ui.placeholder import PlaceholderPage
from player.ui.queue_view import QueuePage
from player.ui.sidebar import Sidebar, SidebarPlaylist
from player.ui.track_menu import add_to_playlist_menu, go_to_actions

PageFactory = Callable[[], QWidget]
PAGES = ("Home", "Library", "Queue", "History", "Playlists", "Your year")
SEEK_STEP_MS = 10_000
VOLUME_STEP = 5


def placeholder_factories() -> dict[str, PageFactory]:
    return {
        "Home": lambda: PlaceholderPage(
            "Made for you", "Daily Mixes, Rediscover and Fresh in your library will appear "
            "here once Encore has heard you play a few songs. Everything is computed on this "
            "computer; nothing leaves it."),
        "Playlists": lambda: PlaceholderPage(
            "Playlists", "Your own playlists and smart playlists will live here."),
        "Your year": lambda: PlaceholderPage(
            "Your year", "Your top artists and songs, listening hours and how your taste "
            "moved through the year: the recap appears here."),
    }


class MainWindow(QMainWindow):
    play_pause_requested = Signal()
    next_requested = Signal()
    previous_requested = Signal()
    stop_requested = Signal()
    seek_by_requested = Signal(int)  # ms, + or -
    volume_by_requested = Signal(int)  # + or -
    add_folder_requested = Signal(str)
    use_demo_requested = Signal()
    rescan_requested = Signal()
    scan_issues_requested = Signal()
    import_history_requested = Signal()
    settings_requested = Signal()
    page_shown = Signal(str)
    # track ids dropped on a playlist in the sidebar: playlist id, track ids
    tracks_dropped_on_playlist = Signal(int, list)

    def __init__(self, intents: TrackIntents | None = None, covers: CoverLoader | None = None,
                 settings: QSettings | None = None,
                 page_factories: dict[str, PageFactory] | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Encore")
        self.resize(1180, 740)
        self.intents = intents or TrackIntents(self)
        self.settings = settings
        self._about: tuple[str, str | None] = ("", None)
        self.library = LibraryPage(self.intents, covers)
        self.queue_page = QueuePage(self.intents)
        self.history_page = HistoryPage()
        self.page_factories: dict[str, PageFactory] = placeholder_factories()
        self.page_factories.update(page_factories or {})
        self.pages: dict[str, QWidget] = {
            "Library": self.library, "Queue": self.queue_page, "History": self.history_page}
        self.stack = QStackedWidget()
        for page in self.pages.values():
            self.stack.addWidget(page)
        self.sidebar = self._make_sidebar()
        self.now_playing = NowPlayingBar()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([190, 990])
        self.splitter.setCollapsible(1, False)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.now_playing)
        self.setCentralWidget(central)
        self.now_playing.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.now_playing.customContextMenuRequested.connect(self._now_playing_menu)
        self.intents.go_to_artist_requested.connect(self.go_to_artist)
        self.intents.go_to_album_requested.connect(self.go_to_album)
        self._make_status_bar()
        self._make_menus()
        self._make_shortcuts()
        self.show_page("Library", "Tracks")

    # -- building --------------------------------------------------------------------------
    def _make_sidebar(self) -> Sidebar:
        entries: list[tuple[str, str, str]] = [("Home", "Home", "")]
        entries.append(("Library", "", ""))
        entries += [(f"    {s}", "Library", s) for s in SECTIONS]
        entries += [(name, name, "") for name in ("Queue", "History", "Playlists", "Your year")]
        sidebar = Sidebar(entries)
        sidebar.setMinimumWidth(150)
        sidebar.setMaximumWidth(320)
        sidebar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # long playlist names are elided, never scrolled sideways
        sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        sidebar.setTextElideMode(Qt.TextElideMode.ElideRight)
        sidebar.currentItemChanged.connect(self._on_sidebar)
        sidebar.tracks_dropped.connect(self.tracks_dropped_on_playlist)
        sidebar.drop_refused.connect(self.show_message)
        sidebar.playlist_menu_requested.connect(self._sidebar_menu)
        return sidebar

    def set_playlists(self, playlists: list[SidebarPlaylist]) -> None:
        """The playlists listed in the sidebar (app.py keeps them current)."""
        self.sidebar.set_playlists(playlists)

    def _make_status_bar(self) -> None:
        self.scan_progress = QProgressBar()
        self.scan_progress.setMaximumWidth(200)
        self.scan_progress.setMaximumHeight(16)
        self.scan_progress.hide()
        self.issues_button = QPushButton()
        self.issues_button.setFlat(True)
        self.issues_button.clicked.connect(self.scan_issues_requested)
        self.issues_button.hide()
        self.status_label = QLabel()
        bar = self.statusBar()
        bar.addPermanentWidget(self.issues_button)
        bar.addPermanentWidget(self.scan_progress)
        bar.addPermanentWidget(self.status_label)

    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction("Add music folder\u2026", self._choose_folder)
        file_menu.addAction("Use the demo music").triggered.connect(self.use_demo_requested)
        file_menu.addAction("Rescan library").triggered.connect(self.rescan_requested)
        file_menu.addAction("Files that could not be read\u2026").triggered.connect(
            self.scan_issues_requested)
        file_menu.addSeparator()
        file_menu.addAction("Import listening history\u2026").triggered.connect(
            self.import_history_requested)
        settings_action = file_menu.addAction("Settings\u2026")
        settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        settings_action.triggered.connect(self.settings_requested)
        self.analysis_menu = file_menu.addMenu("Audio analysis")
        file_menu.addSeparator()
        self.quit_action = file_menu.addAction("Quit", self.close)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        play = self.menuBar().addMenu("&Playback")
        self.play_action = self._action(play, "Play/Pause", "Space", self.play_pause_requested)
        self._action(play, "Next", "Ctrl+Right", self.next_requested)
        self._action(play, "Previous", "Ctrl+Left", self.previous_requested)
        self._action(play, "Stop", "Ctrl+.", self.stop_requested)
        play.addSeparator()
        self._action(play, "Forward 10 s", "Shift+Right",
                     lambda: self.seek_by_requested.emit(SEEK_STEP_MS))
        self._action(play, "Back 10 s", "Shift+Left",
                     lambda: self.seek_by_requested.emit(-SEEK_STEP_MS))
        self._action(play, "Volume up", "Ctrl+Up", lambda: self.volume_by_requested.emit(VOLUME_STEP))
        self._action(play, "Volume down", "Ctrl+Down",
                     lambda: self.volume_by_requested.emit(-VOLUME_STEP))
        view = self.menuBar().addMenu("&View")
        self._action(view, "Find in library", "Ctrl+F", self.focus_filter)
        for number, name in enumerate(PAGES, start=1):
            # triggered(bool) would land in a defaulted argument: bind the name, not a default
            self._action(view, name, f"Ctrl+{number}", partial(self.show_page, name))
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "Keyboard shortcuts", "F1", self.show_shortcuts)
        help_menu.addAction("About Encore").triggered.connect(self.show_about)

    def _action(self, menu, text: str, keys: str, slot) -> QAction:
        action = menu.addAction(text)
        action.setShortcut(QKeySequence(keys))
        # a signal drops triggered's bool; a callable gets called with nothing
        action.triggered.connect(slot if hasattr(slot, "emit") else lambda _checked=False: slot())
        return action

    # -- help ------------------------------------------------------------------------------
    def shortcut_rows(self) -> list[tuple[str, str]]:
        """Every key the window answers to, from the actions themselves (so the list cannot
        drift from what works), then the keys of the views and the media keys."""
        rows = []
        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            if not isinstance(menu, QMenu):
                continue
            for action in menu.actions():
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                if keys:
                    rows.append((keys, f"{menu.title().replace('&', '')} \u2192 {action.text()}"))
        rows += [("Enter", "Play the selected track (in a track list)"),
                 ("Delete", "Remove the selected tracks from the queue (Queue page)"),
                 ("Media keys", "Play/Pause, Next, Previous, Stop (also through the desktop)")]
        return rows

    def set_about(self, database_path: str, log_path: str | None) -> None:
        self._about = (database_path, log_path)

    def show_shortcuts(self) -> None:
        from player.ui.help_dialogs import ShortcutsDialog

        ShortcutsDialog(self.shortcut_rows(), self).open()

    def show_about(self) -> None:
        from player.ui.help_dialogs import AboutDialog

        AboutDialog(*self._about, parent=self).open()

    def _make_shortcuts(self) -> None:
        keys = {
            Qt.Key.Key_MediaPlay: self.play_pause_requested,
            Qt.Key.Key_MediaPause: self.play_pause_requested,
            Qt.Key.Key_MediaTogglePlayPause: self.play_pause_requested,
            Qt.Key.Key_MediaNext: self.next_requested,
            Qt.Key.Key_MediaPrevious: self.previous_requested,
            Qt.Key.Key_MediaStop: self.stop_requested,
        }
        self.media_shortcuts = []
        for key, signal in keys.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(signal)
            self.media_shortcuts.append(shortcut)

    # -- pages -----------------------------------------------------------------------------
    def page(self, name: str) -> QWidget:
        """The page called name, made from its factory on first use."""
        if name not in self.pages:
            widget = self.page_factories[name]()
            self.pages[name] = widget
            self.stack.addWidget(widget)
        return self.pages[name]

    def show_page(self, name: str, section: str = "") -> None:
        if name == "Library" and not section:
            section = self.library.current_section()
        self.stack.setCurrentWidget(self.page(name))
        if section:
            self.library.show_section(section)
        self._select_sidebar(name, section)
        self.page_shown.emit(name)

    def current_page(self) -> str:
        current = self.stack.currentWidget()
        return next((n for n, w in self.pages.items() if w is current), "")

    def _select_sidebar(self, name: str, section: str) -> None:
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == (name, section, 0):
                self.sidebar.blockSignals(True)
                self.sidebar.setCurrentRow(row)
                self.sidebar.blockSignals(False)
                return

    def _on_sidebar(self, item, _previous) -> None:
        if item is None:
            return
        page, section, playlist_id = item.data(Qt.ItemDataRole.UserRole)
        if playlist_id:
            self.open_playlist(playlist_id)
        elif page:
            self.show_page(page, section)

    def open_playlist(self, playlist_id: int) -> None:
        """The Playlists page showing this playlist, its sidebar entry selected."""
        self.show_page("Playlists")
        page = self.page("Playlists")
        if hasattr(page, "select_playlist"):  # the placeholder has no playlists
            page.select_playlist(playlist_id)
        row = self.sidebar.playlist_rows().get(playlist_id)
        if row is not None:
            self.sidebar.blockSignals(True)
            self.sidebar.setCurrentRow(row)
            self.sidebar.blockSignals(False)

    def sidebar_menu(self, playlist_id: int) -> QMenu | None:
        """A right-click on a playlist in the sidebar: it opens (so a Delete's Undo, a
        rename, a smart playlist's tracks show), and the menu is the Playlists page's own."""
        self.open_playlist(playlist_id)
        page = self.page("Playlists")
        if not (hasattr(page, "current_playlist") and hasattr(page, "playlist_menu")):
            return None  # the placeholder has no playlists
        playlist = page.current_playlist()
        if playlist is None or playlist.id != playlist_id:
            return None
        menu: QMenu = page.playlist_menu(playlist)
        return menu

    def _sidebar_menu(self, playlist_id: int, where: QPoint) -> None:
        menu = self.sidebar_menu(playlist_id)
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per right-click
            menu.popup(where)

    def go_to_artist(self, name: str) -> None:
        self.show_page("Library", "Artists")
        self.library.go_to_artist(name)

    def go_to_album(self, track) -> None:
        self.show_page("Library", "Albums")
        self.library.go_to_album(track)

    def now_playing_menu(self) -> QMenu | None:
        """Add to playlist, go to artist or album, info: for the track in the player bar."""
        track = self.now_playing.current_track
        if track is None:
            return None
        menu = QMenu(self)
        add_to_playlist_menu(menu, self.intents, [track])
        menu.addAction("Add to queue", lambda: self.intents.add_to_queue_requested.emit([track]))
        menu.addSeparator()
        go_to_actions(menu, self.intents, track)
        menu.addAction("Show in folder", lambda: self.intents.show_in_folder_requested.emit(track))
        menu.addAction("Track info", lambda: self.intents.info_requested.emit(track))
        return menu

    def _now_playing_menu(self, pos) -> None:
        menu = self.now_playing_menu()
        if menu is not None:
            menu.popup(self.now_playing.mapToGlobal(pos))

    def focus_filter(self) -> None:
        if self.current_page() != "Library":
            self.show_page("Library")
        self.library.focus_filter()

    # -- status ----------------------------------------------------------------------------
    def show_track_count(self, count: int) -> None:
        self.status_label.setText(f"{count:,} tracks")

    def show_scan_progress(self, done: int, total: int, current: str) -> None:
        self.scan_progress.show()
        self.scan_progress.setRange(0, max(total, 1))
        self.scan_progress.setValue(done)
        self.statusBar().showMessage(f"Scanning {done:,} of {total:,} files")

    def scan_finished(self, text: str) -> None:
        self.scan_progress.hide()
        self.show_message(text)

    def set_scan_issue_count(self, count: int) -> None:
        noun = "file" if count == 1 else "files"
        self.issues_button.setText(f"{count} {noun} could not be read")
        self.issues_button.setVisible(count > 0)

    def show_message(self, text: str, ms: int = 8000) -> None:
        """In the status bar for ms (0: until another message or clear_message(text))."""
        self.statusBar().showMessage(text, ms)

    def clear_message(self, text: str) -> None:
        """Remove text from the status bar if it is still what the bar shows."""
        if self.statusBar().currentMessage() == text:
            self.statusBar().clearMessage()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a music folder", start_folder())
        if folder:
            self.add_folder_requested.emit(folder)

    # -- layout remembered -----------------------------------------------------------------
    def _splitters(self) -> dict[str, QSplitter]:
        return {"main": self.splitter, "artists": self.library.artists,
                "genres": self.library.genres}

    def restore_layout(self) -> None:
        if self.settings is None:
            return
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        for name, splitter in self._splitters().items():
            state = self.settings.value(f"window/splitter/{name}")
            if state is not None:
                splitter.restoreState(state)
        page = self.settings.value("window/page", "Library")
        section = self.settings.value("window/section", "Tracks")
        if page in PAGES:
            self.show_page(str(page), str(section) if section in SECTIONS else "")

    def save_layout(self) -> None:
        if self.settings is None:
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        for name, splitter in self._splitters().items():
            self.settings.setValue(f"window/splitter/{name}", splitter.saveState())
        self.settings.setValue("window/page", self.current_page())
        self.settings.setValue("window/section", self.library.current_section())
        self.settings.sync()

    def closeEvent(self, event) -> None:
        self.save_layout()
        super().closeEvent(event)
