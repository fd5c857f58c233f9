"""Albums grouped from the track list, shown as a grid of covers."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from player.core.models import Track
from player.qt.cover_loader import CoverLoader
from player.qt.playlist_mime import TrackDragSource
from player.qt.word_filter import filter_words, rows_matching

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class AlbumSummary:
    """One album of the library: its tracks in disc and track order."""

    title: str
    artist: str
    year: int | None
    tracks: tuple[Track, ...]

    @property
    def key(self) -> str:
        return f"{self.artist}\x1f{self.title}\x1f{self.tracks[0].path}"

    @property
    def duration(self) -> float:
        return sum(t.duration for t in self.tracks)


def _album_key(track: Track) -> tuple[str, str]:
    """Tracks with an album artist group by it; others by folder, so a compilation without
    album artist tags stays one album instead of one per track artist."""
    if track.album_artist:
        return ("artist:" + track.album_artist.casefold(), track.album.casefold())
    return ("folder:" + os.path.dirname(track.path), track.album.casefold())


def group_albums(tracks: Sequence[Track]) -> list[AlbumSummary]:
    """Albums of the tracks; tracks without an album are left out."""
    groups: dict[tuple[str, str], list[Track]] = {}
    for track in tracks:
        if track.album:
            groups.setdefault(_album_key(track), []).append(track)
    albums = []
    for members in groups.values():
        members.sort(key=lambda t: (t.disc_number or 0, t.track_number or 0, t.title.casefold()))
        artists = {t.album_artist or t.artist for t in members}
        artist = artists.pop() if len(artists) == 1 else "Various artists"
        year = next((t.year for t in members if t.year), None)
        albums.append(AlbumSummary(members[0].album, artist, year, tuple(members)))
    albums.sort(key=lambda a: (a.artist.casefold(), a.title.casefold()))
    return albums


def album_search_texts(albums: Sequence[AlbumSummary]) -> list[str]:
    """What the filter looks in per album: its title, artists and genres, lower-cased."""
    texts = []
    for album in albums:
        names = {album.title, album.artist}
        names.update(t.artist for t in album.tracks)
        names.update(t.genre for t in album.tracks)
        texts.append("\n".join(sorted(names)).casefold())
    return texts


def placeholder_cover(size: int, text: str = "\u266a") -> QPixmap:
    """A plain square in the palette's colours with a note, for albums without a cover."""
    palette = QApplication.palette()
    pixmap = QPixmap(size, size)
    pixmap.fill(palette.color(QPalette.ColorRole.Mid))
    painter = QPainter(pixmap)
    font = QFont()
    font.setPixelSize(size // 2)
    painter.setFont(font)
    painter.setPen(QColor(palette.color(QPalette.ColorRole.Light)))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap


class AlbumGridModel(TrackDragSource, QAbstractListModel):
    """UserRole returns the AlbumSummary. Covers are asked for when a row is first painted."""

    def __init__(self, covers: CoverLoader | None = None, cover_size: int = 160) -> None:
        super().__init__()
        self._all: list[AlbumSummary] = []
        self._albums: list[AlbumSummary] = []
        self._search: list[str] = []
        self._words: list[str] = []
        self.cover_size = cover_size
        self._covers = covers
        self._icons: dict[str, QIcon] = {}
        self._placeholder: QIcon | None = None
        if covers is not None:
            covers.loaded.connect(self._on_cover)

    def set_tracks(self, tracks: Sequence[Track]) -> None:
        self.set_albums(group_albums(tracks))

    def set_albums(self, albums: Sequence[AlbumSummary], search: list[str] | None = None) -> None:
        """albums from group_albums; search from album_search_texts (both any thread)."""
        self.beginResetModel()
        self._all = list(albums)
        self._search = search if search is not None else album_search_texts(self._all)
        self._albums = self._matching()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        words = filter_words(text)
        if words == self._words:
            return
        self.beginResetModel()
        self._words = words
        self._albums = self._matching()
        self.endResetModel()

    def _matching(self) -> list[AlbumSummary]:
        rows = rows_matching(self._search, self._words, range(len(self._all)))
        return [self._all[i] for i in rows]

    def row_of_track(self, track_id: int) -> int:
        """The row of the album holding the track, -1 when it is not shown."""
        for row, album in enumerate(self._albums):
            if any(t.id == track_id for t in album.tracks):
                return row
        return -1

    def album_of_track(self, track_id: int) -> AlbumSummary | None:
        return next((a for a in self._all if any(t.id == track_id for t in a.tracks)), None)

    def all_albums(self) -> list[AlbumSummary]:
        """Every album, shown or filtered out."""
        return list(self._all)

    def album_at(self, row: int) -> AlbumSummary:
        return self._albums[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._albums)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._albums):
            return None
        album = self._albums[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{album.title}\n{album.artist}"
        if role == Qt.ItemDataRole.UserRole:
            return album
        if role == Qt.ItemDataRole.ToolTipRole:
            year = f" ({album.year})" if album.year else ""
            return f"{album.title}{year}\n{album.artist}\n{len(album.tracks)} tracks"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(album)
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(self.cover_size + 24, self.cover_size + 52)
        return None

    def dragged_track_ids(self, rows: list[int]) -> Iterable[int]:
        """The albums' tracks, album after album, each in its order."""
        return (t.id for r in rows for t in self._albums[r].tracks)

    def _icon(self, album: AlbumSummary) -> QIcon:
        icon = self._icons.get(album.key)
        if icon is not None:
            return icon
        if self._covers is not None:
            self._covers.request(album.key, album.tracks[0].path, self.cover_size)
        if self._placeholder is None:
            self._placeholder = QIcon(placeholder_cover(self.cover_size))
        return self._placeholder

    def _on_cover(self, key: str, size: int, image: QImage) -> None:
        if size != self.cover_size:
            return
        pixmap = QPixmap.fromImage(image) if not image.isNull() else None
        if pixmap is None:
            if self._placeholder is None:
                self._placeholder = QIcon(placeholder_cover(self.cover_size))
            self._icons[key] = self._placeholder
        else:
            self._icons[key] = QIcon(pixmap)
        for row, album in enumerate(self._albums):
            if album.key == key:
                index = self.index(row, 0)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
                break
