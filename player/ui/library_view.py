"""The library: Artists, Albums, Tracks and Genres over one track list, with a live filter."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from player.qt.album_model import AlbumGridModel, AlbumSummary
from player.qt.cover_loader import CoverLoader
from player.qt.library_index import build_index
from player.qt.name_model import NameCountModel, artist_counts, genre_counts, genre_names
from player.qt.track_model import TrackTableModel
from player.ui.album_page import AlbumPage
from player.ui.artist_page import ArtistPage
from player.ui.intents import TrackIntents
from player.ui.track_menu import add_to_playlist_menu, artist_of
from player.ui.track_table import TrackTable

SECTIONS = ("Artists", "Albums", "Tracks", "Genres")


class NameBrowser(QSplitter):
    """A list of names (artists or genres) and the tracks of the selected one. Names drag
    (their tracks) onto a playlist; double-click or Enter on a name emits open_requested."""

    open_requested = Signal(str)

    def __init__(self, kind: str, intents: TrackIntents, parent=None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName(f"{kind}Splitter")
        self.kind = kind
        self.names = NameCountModel()
        self.tracks = TrackTableModel()
        self._all: list = []
        self._all_counts: list = []
        self._filtered = False
        self.list = QListView()
        self.list.setObjectName("browseList")
        self.list.setModel(self.names)
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.names.tracks_of = self.tracks_of
        self.list.setDragEnabled(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.list.activated.connect(lambda index: self.open_requested.emit(
            self.names.item_at(index.row()).name))
        self.table = TrackTable(self.tracks, intents, source=kind)
        self.addWidget(self.list)
        self.addWidget(self.table)
        self.setStretchFactor(1, 1)
        self.setSizes([240, 800])
        self.list.selectionModel().currentChanged.connect(self._on_current)
        self.intents = intents
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_menu)

    def _on_menu(self, pos) -> None:
        index = self.list.indexAt(pos)
        if not index.isValid():
            return
        name = self.names.item_at(index.row()).name
        tracks = self.tracks_of(name)
        menu = QMenu(self)
        menu.addAction("Play", lambda: self.intents.play_requested.emit(tracks, 0, self.kind, name))
        menu.addAction("Add to queue", lambda: self.intents.add_to_queue_requested.emit(tracks))
        add_to_playlist_menu(menu, self.intents, tracks)
        if self.kind == "artist":
            menu.addAction("Open artist", lambda: self.open_requested.emit(name))
            menu.addAction("Start radio", lambda: self.intents.radio_seed_requested.emit(
                f"artist:{self.radio_artist(name)}", name))
        menu.popup(self.list.viewport().mapToGlobal(pos))

    def tracks_of(self, name: str) -> list:
        if self.kind == "artist":
            return [t for t in self._all if artist_of(t) == name]
        return [t for t in self._all if name in genre_names(t)]

    def select_name(self, name: str) -> bool:
        """Selects name in the list (clearing a filter that hides it); False if absent."""
        rows = [r for r in range(self.names.rowCount()) if self.names.item_at(r).name == name]
        if not rows:
            return False
        self.list.setCurrentIndex(self.names.index(rows[0], 0))
        self.list.scrollTo(self.names.index(rows[0], 0))
        return True

    def radio_artist(self, name: str) -> str:
        """The track artist heard most under this name ("Various Artists" is no artist)."""
        credits = [t.artist for t in self._all
                   if (t.album_artist or t.artist or "Unknown artist") == name and t.artist]
        return max(set(credits), key=credits.count) if credits else name

    def set_tracks(self, tracks: list, counts=None) -> None:
        self._all = tracks
        if counts is None:
            counts = self._counts(tracks)
        self._all_counts = counts
        self._filtered = False
        self._show_names(counts)

    def _counts(self, tracks: list) -> list:
        return artist_counts(tracks) if self.kind == "artist" else genre_counts(tracks)

    def _show_names(self, counts) -> None:
        """Shows these names, keeping the selected one when it is still there."""
        current = self.list.currentIndex()
        keep = self.names.item_at(current.row()).name if current.isValid() else None
        self.names.set_items(counts)
        self.tracks.set_tracks([])
        rows = [i for i in range(self.names.rowCount()) if self.names.item_at(i).name == keep]
        if self.names.rowCount():
            self.list.setCurrentIndex(self.names.index(rows[0] if rows else 0, 0))

    def set_filter(self, text: str, matching: list | None = None) -> None:
        """The names of the tracks the filter lets through (matching), counting only those:
        "maxstack" lists the genres of Maxstack's songs, not the genres named "maxstack"."""
        if matching is None or not text.split():
            if self._filtered:
                self._filtered = False
                self._show_names(self._all_counts)
            self.tracks.set_filter("")
            return
        self._filtered = True
        self.tracks.set_filter(text)
        self._show_names(self._counts(matching))

    def _on_current(self, index) -> None:
        if not index.isValid():
            return
        name = self.names.item_at(index.row()).name
        self.table.source_id = name
        self.tracks.set_tracks(self.tracks_of(name))


class AlbumGrid(QListView):
    """Album covers in a grid; double-click plays the album, right-click for more; albums
    (one or several) drag onto a playlist."""

    open_requested = Signal(object)  # AlbumSummary

    def __init__(self, model: AlbumGridModel, intents: TrackIntents, parent=None) -> None:
        super().__init__(parent)
        self.intents = intents
        self.album_model = model
        self.setModel(model)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setWordWrap(True)
        self.setSpacing(8)
        self.setIconSize(QSize(model.cover_size, model.cover_size))
        self.setGridSize(QSize(model.cover_size + 32, model.cover_size + 56))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)  # after setMovement(Static), which switches dragging off
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_menu)
        self.activated.connect(lambda index: self._play(self.album_model.album_at(index.row())))

    def _play(self, album: AlbumSummary) -> None:
        self.intents.play_requested.emit(list(album.tracks), 0, "album", album.key)

    def _on_menu(self, pos) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            return
        album = self.album_model.album_at(index.row())
        tracks = list(album.tracks)
        menu = QMenu(self)
        menu.addAction("Play album", lambda: self._play(album))
        menu.addAction("Open album", lambda: self.open_requested.emit(album))
        menu.addAction("Play next", lambda: self.intents.play_next_requested.emit(tracks))
        menu.addAction("Add to queue", lambda: self.intents.add_to_queue_requested.emit(tracks))
        add_to_playlist_menu(menu, self.intents, tracks)
        menu.addAction("Start radio", lambda: self.intents.radio_seed_requested.emit(
            f"album:{album.title}", album.title))
        menu.addAction(f"Go to artist: {album.artist}".replace("&", "&&"),
                       lambda: self.intents.go_to_artist_requested.emit(artist_of(tracks[0])))
        menu.addAction("Show in folder",
                       lambda: self.intents.show_in_folder_requested.emit(tracks[0]))
        menu.popup(self.viewport().mapToGlobal(pos))


class LibraryPage(QWidget):
    """filter_changed is emitted after the views have been filtered (for measuring)."""

    filter_changed = Signal(str)

    def __init__(self, intents: TrackIntents, covers: CoverLoader | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryPage")
        self.title = QLabel("Tracks")
        self.title.setObjectName("pageTitle")
        self.count_label = QLabel()
        self.count_label.setObjectName("dimLabel")
        self.filter_edit = QLineEdit(placeholderText="Filter by title, artist, album or genre  (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self._filter_text = ""
        self.filter_edit.setMinimumWidth(320)
        self.filter_edit.textChanged.connect(self.set_filter)
        self.track_model = TrackTableModel()
        self.album_model = AlbumGridModel(covers)
        self.tracks_table = TrackTable(self.track_model, intents)
        self.albums = AlbumGrid(self.album_model, intents)
        self.albums.open_requested.connect(self.open_album)
        self.artists = NameBrowser("artist", intents)
        self.genres = NameBrowser("genre", intents)
        self.stack = QStackedWidget()
        self.views = {"Artists": self.artists, "Albums": self.albums,
                      "Tracks": self.tracks_table, "Genres": self.genres}
        for name in SECTIONS:
            self.stack.addWidget(self.views[name])
        self.album_page = AlbumPage(intents, covers)  # opened from an album or a track
        self.album_page.back_requested.connect(self._back_from_album)
        self._album_from_artist = False  # the album page was opened from the artist page
        self.stack.addWidget(self.album_page)
        self.artist_page = ArtistPage(intents, covers)  # opened from an artist or a track
        self.artist_page.back_requested.connect(self._back_to_artists)
        self.artist_page.album_requested.connect(self.open_album)
        self.artists.open_requested.connect(self.open_artist)
        self.stack.addWidget(self.artist_page)
        self.intents = intents
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addWidget(self.filter_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        self.show_section("Tracks")

    def show_section(self, name: str) -> None:
        self.title.setText(name)
        self._filter_view(name)
        self.stack.setCurrentWidget(self.views[name])

    def current_section(self) -> str:
        current = self.stack.currentWidget()
        if current is self.album_page:
            return "Albums"
        if current is self.artist_page:
            return "Artists"
        return next((n for n, w in self.views.items() if w is current), "Tracks")

    def set_tracks(self, tracks: list) -> None:
        self.set_index(build_index(tracks, self.track_model.sort_state))

    def set_index(self, index) -> None:
        """Shows a LibraryIndex (player.qt.library_index), built off the GUI thread."""
        self.track_model.set_tracks(index.tracks, index.prepared)
        self.album_model.set_albums(index.albums, index.album_search)
        self.artists.set_tracks(index.tracks, index.artists)
        self.genres.set_tracks(index.tracks, index.genres)
        self._filter_view(self.current_section())
        self._update_count()

    def set_filter(self, text: str) -> None:
        """Filters the section on screen now; the others when they are shown (keystrokes stay
        fast at 100,000 tracks). The track count always follows the filter."""
        self._filter_text = text
        self.track_model.set_filter(text)
        self._filter_view(self.current_section())
        self._update_count()
        self.filter_changed.emit(text)

    def _filter_view(self, name: str) -> None:
        text = self._filter_text
        if name == "Albums":
            self.album_model.set_filter(text)
        elif name == "Artists":
            self.artists.set_filter(text, self.track_model.shown_tracks())
        elif name == "Genres":
            self.genres.set_filter(text, self.track_model.shown_tracks())

    def go_to_artist(self, name: str) -> None:
        """The artist's page (what Go to artist opens)."""
        self.open_artist(name)

    def _back_to_artists(self, name: str) -> None:
        """The Artists section with name selected (the filter cleared if it hid it)."""
        self.show_section("Artists")
        if not self.artists.select_name(name) and self._filter_text:
            self.filter_edit.clear()
            self.artists.select_name(name)

    def artist_tracks(self, name: str) -> list:
        """The tracks filed under name in Artists, and those name performs on other
        artists' albums (a compilation), in the library's order."""
        return [t for t in self.track_model.all_tracks() if artist_of(t) == name or t.artist == name]

    def open_artist(self, name: str) -> None:
        tracks = self.artist_tracks(name)
        ids = {t.id for t in tracks}
        albums = [a for a in self.album_model.all_albums() if any(t.id in ids for t in a.tracks)]
        plays = {i: s.plays for i, s in self.intents.track_stats(sorted(ids)).items()}
        self.artist_page.radio_artist = self.artists.radio_artist(name)
        self.artist_page.show_artist(name, tracks, albums, plays)
        self.title.setText("Artist")
        self.stack.setCurrentWidget(self.artist_page)

    def go_to_album(self, track) -> None:
        """The album page of the track's album."""
        album = self.album_model.album_of_track(track.id)
        if album is not None:
            self.open_album(album)

    def _back_from_album(self) -> None:
        if self._album_from_artist:
            self.title.setText("Artist")
            self.stack.setCurrentWidget(self.artist_page)
        else:
            self.show_section("Albums")

    def open_album(self, album) -> None:
        self._album_from_artist = self.stack.currentWidget() is self.artist_page
        back = self.artist_page.name if self._album_from_artist else "Albums"
        self.album_page.back_button.setText(f"\u2190 {back}".replace("&", "&&"))
        self.album_page.show_album(album, {i: s.plays for i, s in
                                           self.intents.track_stats([t.id for t in album.tracks]).items()})
        self.title.setText("Album")
        self.stack.setCurrentWidget(self.album_page)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def set_current_track(self, track_id: int | None) -> None:
        self.track_model.set_current(track_id)
        self.artists.tracks.set_current(track_id)
        self.genres.tracks.set_current(track_id)

    def _update_count(self) -> None:
        shown = self.track_model.rowCount()
        total = self.track_model.total()
        text = f"{total:,} tracks" if shown == total else f"{shown:,} of {total:,} tracks"
        self.count_label.setText(text)
