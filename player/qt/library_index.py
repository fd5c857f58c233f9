"""Everything the library views compute from the track list, built off the GUI thread.

Grouping 100,000 tracks into albums, counting artists and genres, lower-casing search strings
and sorting take most of a second: LoadTracksWorker does it in a pool thread, and the views
only swap the results in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt

from player.core.models import Track
from player.qt.album_model import AlbumSummary, album_search_texts, group_albums
from player.qt.name_model import NameCount, artist_counts, genre_counts
from player.qt.track_model import PreparedTracks, prepare_tracks


@dataclass
class LibraryIndex:
    tracks: list[Track]
    prepared: PreparedTracks
    albums: list[AlbumSummary]
    album_search: list[str]
    artists: list[NameCount]
    genres: list[NameCount]
    scan_issues: int = 0


def build_index(tracks: Sequence[Track], sort: tuple[int, Qt.SortOrder] | None,
                scan_issues: int = 0) -> LibraryIndex:
    albums = group_albums(tracks)
    return LibraryIndex(list(tracks), prepare_tracks(tracks, sort), albums,
                        album_search_texts(albums), artist_counts(tracks), genre_counts(tracks),
                        scan_issues)
