"""What a user can ask for on tracks, as signals. Views emit; the controller connects.

One TrackIntents object is handed to every view that shows tracks: a view knows only these
signals, never the playback service or the database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal


class TrackIntents(QObject):
    play_requested = Signal(list, int, str, str)  # tracks, start index, source, source id
    play_next_requested = Signal(list)  # tracks
    add_to_queue_requested = Signal(list)  # tracks
    like_requested = Signal(object, bool)  # Track, liked
    ban_requested = Signal(object, bool)  # Track, banned ("don't play this")
    show_in_folder_requested = Signal(object)  # Track
    info_requested = Signal(object)  # Track
    radio_requested = Signal(object)  # Track: endless radio seeded by it
    radio_seed_requested = Signal(str, str)  # seed ("artist:NAME", "album:NAME", ...), label
    similar_requested = Signal(object)  # Track: "Sounds like this" (audio analysis)
    edit_tags_requested = Signal(list)  # tracks: the tag editor (a batch editor for several)
    undo_tags_requested = Signal()  # put back what the last tag edit replaced
    add_to_playlist_requested = Signal(list, int)  # tracks, playlist id (0: a new playlist)
    go_to_artist_requested = Signal(str)  # the artist's name as the Artists list shows it
    go_to_album_requested = Signal(object)  # Track: its album

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # (id, name) of the playlists tracks can be added to; app.py sets the real source
        self.playlist_choices: Callable[[], list[tuple[int, str]]] = list
        # what Encore knows of a track (services.track_facts.TrackFacts); None: nothing
        self.track_facts: Callable[[int], Any] = lambda _track_id: None
        # {track id: TrackStats (plays, skips, last played)} of those ever listened to
        self.track_stats: Callable[[list[int]], dict[int, Any]] = lambda _ids: {}
