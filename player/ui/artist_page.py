"""One artist: name, how many albums and tracks, total time, how often they were played
(the track played most too), the albums as covers (open one for its album page), and the
tracks with their play counts (a track table: play, menus, drag onto a playlist).

The counts come from TrackIntents.track_stats (HistoryService, the stored is_play flags that
core/rules.py set); this page only shows them."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from player.core.words import count
from player.qt.album_model import AlbumGridModel, AlbumSummary
from player.qt.cover_loader import CoverLoader
from player.qt.played_tracks_model import PlayedTracksModel
from player.qt.track_model import format_length
from player.ui.album_page import heading_labels, plays_text
from player.ui.intents import TrackIntents
from player.ui.track_table import TrackTable

COVER = 96


def artist_summary_text(albums: Sequence[AlbumSummary], tracks: Sequence, plays: Mapping[int, int]) -> str:
    """'2 albums · 14 tracks · 48:10 · played 9 times, most: Bravo (4)' from the data."""
    parts = [count(len(albums), "album")] if albums else []
    parts.append(count(len(tracks), "track"))
    parts.append(format_length(sum(t.duration for t in tracks)))
    parts.append(plays_text(tracks, plays))
    return " \u00b7 ".join(parts)


class ArtistPage(QWidget):
    back_requested = Signal(str)  # the artist's name: the Artists list selects it
    album_requested = Signal(object)  # AlbumSummary: open its page

    def __init__(self, intents: TrackIntents, covers: CoverLoader | None = None, parent=None) -> None:
        super().__init__(parent)
        self.intents = intents
        self.name = ""
        self.title, self.summary = heading_labels()
        self.play_button = QPushButton("\u25b6 Play")
        self.play_button.clicked.connect(lambda: self.play())
        self.shuffle_button = QPushButton("\u21c4 Shuffle")
        self.shuffle_button.clicked.connect(lambda: self.play(shuffle=True))
        self.radio_button = QPushButton("Start radio")
        self.radio_artist = ""  # the track artist heard most under the name (set by the library)
        self.radio_button.clicked.connect(lambda: intents.radio_seed_requested.emit(
            f"artist:{self.radio_artist or self.name}", self.name))
        back = QPushButton("\u2190 Artists")
        back.clicked.connect(lambda: self.back_requested.emit(self.name))
        buttons = QHBoxLayout()
        for button in (self.play_button, self.shuffle_button, self.radio_button, back):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.albums_label = QLabel("Albums")
        self.albums_label.setStyleSheet("font-weight: 600")
        self.album_model = AlbumGridModel(covers, cover_size=COVER)
        self.albums = QListView()
        self.albums.setObjectName("artistAlbums")
        self.albums.setModel(self.album_model)
        self.albums.setViewMode(QListView.ViewMode.IconMode)
        self.albums.setFlow(QListView.Flow.LeftToRight)
        self.albums.setWrapping(False)  # one row, scrolled sideways when there are many
        self.albums.setMovement(QListView.Movement.Static)
        self.albums.setUniformItemSizes(True)
        self.albums.setWordWrap(True)
        self.albums.setIconSize(QSize(COVER, COVER))
        self.albums.setGridSize(QSize(COVER + 32, COVER + 56))
        self.albums.setFixedHeight(COVER + 56 + 24)  # a row of covers and a scroll bar
        self.albums.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.albums.setDragEnabled(True)
        self.albums.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.albums.activated.connect(
            lambda index: self.album_requested.emit(self.album_model.album_at(index.row())))
        self.tracks_label = QLabel("Tracks")
        self.tracks_label.setStyleSheet("font-weight: 600")
        self.model = PlayedTracksModel()
        self.table = TrackTable(self.model, intents, source="artist")
        self.table.redundant = {1}  # the artist is the page's title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.albums_label)
        layout.addWidget(self.albums)
        layout.addWidget(self.tracks_label)
        layout.addWidget(self.table, 1)

    def show_artist(self, name: str, tracks: Sequence, albums: Sequence[AlbumSummary],
                    plays: Mapping[int, int]) -> None:
        """name's tracks and albums, with {track id: plays} (never played: absent)."""
        self.name = name
        self.title.setText(name)
        self.summary.setText(artist_summary_text(albums, tracks, plays))
        self.album_model.set_albums(list(albums))
        self.albums_label.setVisible(bool(albums))
        self.albums.setVisible(bool(albums))
        self.model.set_played_tracks(list(tracks), plays)
        self.table.source_id = name
        for button in (self.play_button, self.shuffle_button, self.radio_button):
            button.setEnabled(bool(tracks))

    def play(self, shuffle: bool = False) -> None:
        tracks = self.model.tracks()
        if tracks:
            if shuffle:
                tracks = random.sample(tracks, len(tracks))
            self.intents.play_requested.emit(tracks, 0, "artist", self.name)
