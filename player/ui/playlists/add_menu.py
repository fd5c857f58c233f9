"""An "Add to playlist" submenu any track view (library, queue, now playing) can reuse."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QInputDialog, QMenu

from player.core.errors import KnownError
from player.services.playlists import PlaylistsService


def add_to_playlist_menu(menu: QMenu, playlists, track_ids: Callable[[], list[int]],
                         done: Callable[[str], None] | None = None) -> QMenu:
    """Adds the submenu to `menu`: Liked Songs, every user playlist, and "New playlist…".

    `track_ids` is called when an entry is chosen (e.g. the selection, or the whole queue for
    "add queue to playlist"); `done` receives a short status text.
    """
    repo = playlists if isinstance(playlists, PlaylistsService) else PlaylistsService(playlists)
    submenu = menu.addMenu("Add to playlist")

    def add(playlist_id: int, name: str) -> None:
        try:
            added = repo.add(playlist_id, track_ids())
        except KnownError as exc:
            text = str(exc)
        else:
            text = f"Added {added} track{'s' if added != 1 else ''} to {name}."
        if done is not None:
            done(text)

    def new_playlist() -> None:
        name, ok = QInputDialog.getText(menu, "New playlist", "Name:")
        if ok and name.strip():
            playlist = repo.create(name)
            add(playlist.id, playlist.name)

    submenu.addAction("New playlist\u2026", new_playlist)
    submenu.addSeparator()
    for playlist in repo.all():
        if playlist.kind in ("user", "liked"):
            submenu.addAction(playlist.name, partial(add, playlist.id, playlist.name))
    return submenu
