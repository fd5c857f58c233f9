"""The context menu every track list shares."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QMenu, QWidget

from player.ui.intents import TrackIntents


def add_to_playlist_menu(parent: QMenu, intents: TrackIntents, tracks: list) -> QMenu:
    """"Add to playlist" with every playlist tracks can be added to, and a new one."""
    menu = parent.addMenu("Add to playlist")
    menu.addAction("New playlist\u2026", lambda: intents.add_to_playlist_requested.emit(tracks, 0))
    choices = intents.playlist_choices()
    if choices:
        menu.addSeparator()
    for playlist_id, name in choices:
        menu.addAction(name.replace("&", "&&"),
                       partial(intents.add_to_playlist_requested.emit, tracks, playlist_id))
    return menu


def artist_of(track) -> str:
    """The name the Artists list files a track under."""
    return track.album_artist or track.artist or "Unknown artist"


def go_to_actions(menu: QMenu, intents: TrackIntents, track) -> None:
    """Go to the track's artist (the performer: on a compilation, not "Various Artists"),
    to the album artist when that is someone else, and to the album."""
    performer = track.artist or artist_of(track)
    menu.addAction(f"Go to artist: {performer}".replace("&", "&&"),
                   lambda: intents.go_to_artist_requested.emit(performer))
    if artist_of(track) != performer:
        menu.addAction(f"Go to album artist: {artist_of(track)}".replace("&", "&&"),
                       lambda: intents.go_to_artist_requested.emit(artist_of(track)))
    if track.album:
        menu.addAction(f"Go to album: {track.album}".replace("&", "&&"),
                       lambda: intents.go_to_album_requested.emit(track))


def track_menu(parent: QWidget, intents: TrackIntents, tracks: list, play_all: list,
               start: int, source: str = "library", source_id: str = "") -> QMenu:
    """Play / play next / add to queue or a playlist for the selection; like, ban, go to,
    folder, info for one."""
    menu = QMenu(parent)
    first = tracks[0]
    menu.addAction("Play", lambda: intents.play_requested.emit(play_all, start, source, source_id))
    menu.addAction("Play next", lambda: intents.play_next_requested.emit(tracks))
    menu.addAction("Add to queue", lambda: intents.add_to_queue_requested.emit(tracks))
    add_to_playlist_menu(menu, intents, tracks)
    menu.addAction("Start radio", lambda: intents.radio_requested.emit(first))
    menu.addAction("Sounds like this", lambda: intents.similar_requested.emit(first))
    menu.addSeparator()
    menu.addAction("Like", lambda: intents.like_requested.emit(first, True))
    menu.addAction("Don't play this", lambda: intents.ban_requested.emit(first, True))
    menu.addSeparator()
    go_to_actions(menu, intents, first)
    menu.addAction("Show in folder", lambda: intents.show_in_folder_requested.emit(first))
    menu.addAction("Track info", lambda: intents.info_requested.emit(first))
    menu.addAction("Edit tags\u2026" if len(tracks) == 1 else f"Edit tags of {len(tracks)} tracks\u2026",
                   lambda: intents.edit_tags_requested.emit(tracks))
    menu.addAction("Undo tag edit", intents.undo_tags_requested.emit)
    return menu
