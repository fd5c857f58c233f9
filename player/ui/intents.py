"""What a user can ask for on tracks, as signals. Views emit; the controller connects.

One TrackIntents object is handed to every view that shows tracks: a view knows only these
signals, never the playback service or the database.
"""

from __future__ import annotations

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
