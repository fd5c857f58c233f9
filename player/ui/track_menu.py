"""The context menu every track list shares."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QWidget

from player.ui.intents import TrackIntents


def track_menu(parent: QWidget, intents: TrackIntents, tracks: list, play_all: list,
               start: int, source: str = "library", source_id: str = "") -> QMenu:
    """Play / play next / add to queue for the selection; like, ban, folder, info for one."""
    menu = QMenu(parent)
    first = tracks[0]
    menu.addAction("Play", lambda: intents.play_requested.emit(play_all, start, source, source_id))
    menu.addAction("Play next", lambda: intents.play_next_requested.emit(tracks))
    menu.addAction("Add to queue", lambda: intents.add_to_queue_requested.emit(tracks))
    menu.addAction("Start radio", lambda: intents.radio_requested.emit(first))
    menu.addAction("Sounds like this", lambda: intents.similar_requested.emit(first))
    menu.addSeparator()
    menu.addAction("Like", lambda: intents.like_requested.emit(first, True))
    menu.addAction("Don't play this", lambda: intents.ban_requested.emit(first, True))
    menu.addSeparator()
    menu.addAction("Show in folder", lambda: intents.show_in_folder_requested.emit(first))
    menu.addAction("Track info", lambda: intents.info_requested.emit(first))
    menu.addAction("Edit tags\u2026" if len(tracks) == 1 else f"Edit tags of {len(tracks)} tracks\u2026",
                   lambda: intents.edit_tags_requested.emit(tracks))
    menu.addAction("Undo tag edit", intents.undo_tags_requested.emit)
    return menu
