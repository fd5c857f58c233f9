"""One album: its cover large, title, artist, year, track count, total time, how often it was
played, and its tracks with their play counts (a track table: play, menus, drag)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from player.core.words import count, times
from player.qt.album_model import AlbumSummary, placeholder_cover
from player.qt.cover_loader import CoverLoader
from player.qt.played_tracks_model import PlayedTracksModel
from player.qt.track_model import NUMBER, format_length
from player.ui.intents import TrackIntents
from player.ui.track_menu import artist_of
from player.ui.track_table import TrackTable

COVER = 200


def plays_text(tracks: Sequence, plays: Mapping[int, int]) -> str:
    """'played 5 times, most: Bravo (3)' or 'never played', from {track id: plays}."""
    total = sum(plays.get(t.id, 0) for t in tracks)
    if not total:
        return "never played"
    top = max(tracks, key=lambda t: plays.get(t.id, 0))
    return f"played {times(total)}, most: {top.title} ({plays.get(top.id, 0)})"


def album_summary_text(album: AlbumSummary, plays: Mapping[int, int]) -> str:
    """'Ann · 2004 · 2 tracks · 12:00 · played 5 times, most: Bravo (3)' from the data."""
    parts = [album.artist] + ([str(album.year)] if album.year else [])
    parts.append(count(len(album.tracks), "track"))
    parts.append(format_length(album.duration))
    parts.append(plays_text(album.tracks, plays))
    return " \u00b7 ".join(parts)


def heading_labels() -> tuple[QLabel, QLabel]:
    """An album's or artist's page heading: its title and the summary line under it."""
    title, summary = QLabel(), QLabel()
    title.setObjectName("pageTitle")
    summary.setObjectName("dimLabel")
    for label in (title, summary):
        label.setWordWrap(True)
    return title, summary


class AlbumPage(QWidget):
    back_requested = Signal()

    def __init__(self, intents: TrackIntents, covers: CoverLoader | None = None, parent=None) -> None:
        super().__init__(parent)
        self.intents = intents
        self.covers = covers
        self.album: AlbumSummary | None = None
        self.cover = QLabel()
        self.cover.setFixedSize(QSize(COVER, COVER))
        self.title, self.summary = heading_labels()
        self.play_button = QPushButton("Play album")
        self.play_button.clicked.connect(self._play)
        back = self.back_button = QPushButton("\u2190 Albums")  # or the artist it came from
        back.clicked.connect(self.back_requested)
        self.artist_button = QPushButton()  # the album artist's page
        self.artist_button.clicked.connect(self._go_to_artist)
        self.model = PlayedTracksModel()
        self.table = TrackTable(self.model, intents, source="album", sortable=False)
        self.model.numbered = True  # the track numbers head the rows ("#"), when tagged
        text = QVBoxLayout()
        text.addStretch(1)
        text.addWidget(self.title)
        text.addWidget(self.summary)
        buttons = QHBoxLayout()
        buttons.addWidget(self.play_button)
        buttons.addWidget(self.artist_button)
        buttons.addWidget(back)
        buttons.addStretch(1)
        text.addLayout(buttons)
        top = QHBoxLayout()
        top.addWidget(self.cover)
        top.addSpacing(16)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        if covers is not None:
            covers.loaded.connect(self._on_cover)

    def show_album(self, album: AlbumSummary, plays: dict[int, int]) -> None:
        self.album = album
        self.title.setText(album.title)
        # "Various artists" is no page: the button shows only for one artist's album
        self.artist_button.setText(f"Go to {album.artist}".replace("&", "&&"))
        self.artist_button.setVisible(any(artist_of(t) == album.artist for t in album.tracks))
        self.summary.setText(album_summary_text(album, plays))
        # the album's name is the page's title; one artist throughout is in the summary
        one_artist = all((t.artist or album.artist) == album.artist for t in album.tracks)
        # the row headers number the tracks: no "#" column besides
        self.table.redundant = {2, 1, NUMBER} if one_artist else {2, NUMBER}
        self.model.set_played_tracks(list(album.tracks), plays)
        self.table.verticalHeader().setVisible(any(t.track_number for t in album.tracks))
        self.table.source_id = album.key
        self.cover.setPixmap(placeholder_cover(COVER))
        if self.covers is not None:
            self.covers.request(f"albumpage:{album.key}", album.tracks[0].path, COVER)

    def _on_cover(self, key: str, size: int, image: QImage) -> None:
        if self.album is not None and key == f"albumpage:{self.album.key}" and not image.isNull():
            self.cover.setPixmap(QPixmap.fromImage(image).scaled(
                COVER, COVER, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))

    def _go_to_artist(self) -> None:
        if self.album is not None:
            self.intents.go_to_artist_requested.emit(artist_of(self.album.tracks[0]))

    def _play(self) -> None:
        if self.album is not None:
            self.intents.play_requested.emit(list(self.album.tracks), 0, "album", self.album.key)
