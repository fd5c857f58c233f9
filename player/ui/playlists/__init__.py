"""The Playlists screen: playlists, smart playlists and Liked Songs; the smart rule editor."""

from player.ui.playlists.add_menu import add_to_playlist_menu
from player.ui.playlists.smart_editor import SmartPlaylistDialog
from player.ui.playlists.view import PlaylistsView

__all__ = ["PlaylistsView", "SmartPlaylistDialog", "add_to_playlist_menu"]
