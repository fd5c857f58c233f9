"""Playlists as one service: the repository's operations, playlist files, the ready-made
playlists, and playlists_changed announced after every change (the recommender's strongest
"these go together" signal, and what the Playlists page shows)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from player.core.events import EventBus
from player.core.models import Track
from player.db.connection import Database
from player.db.playlists import SORT_KEYS, Playlist, PlaylistError, PlaylistRepository
from player.playlists.defaults import ensure_default_playlists
from player.playlists.files import ImportReport, export_playlist, import_playlist_file

__all__ = ["SORT_KEYS", "ImportReport", "Playlist", "PlaylistError", "PlaylistsService"]


class PlaylistsService:
    def __init__(self, db: Database, bus: EventBus | None = None) -> None:
        self.db = db
        self.bus = bus or EventBus()
        self.repo = PlaylistRepository(db)

    def _changed(self, playlist_id: int | None = None) -> None:
        self.bus.publish("playlists_changed", {"reason": "playlist"})

    # -- reading (smart playlists run SQL: call tracks() off the GUI thread) ---------------
    def all(self, include_deleted: bool = False) -> list[Playlist]:
        return self.repo.all(include_deleted)

    def get(self, playlist_id: int) -> Playlist | None:
        return self.repo.get(playlist_id)

    def tracks(self, playlist_id: int, now: float | None = None) -> list[Track]:
        return self.repo.tracks(playlist_id, now)

    def ensure_defaults(self) -> None:
        ensure_default_playlists(self.db)

    # -- writing ---------------------------------------------------------------------------
    def create(self, name: str, kind: str = "user", rules: str = "") -> Playlist:
        playlist = self.repo.create(name, kind, rules)
        self._changed(playlist.id)
        return playlist

    def set_rules(self, playlist_id: int, rules: str) -> Playlist:
        playlist = self.repo.set_rules(playlist_id, rules)
        self._changed(playlist_id)
        return playlist

    def rename(self, playlist_id: int, name: str) -> Playlist:
        playlist = self.repo.rename(playlist_id, name)
        self._changed(playlist_id)
        return playlist

    def duplicate(self, playlist_id: int, name: str | None = None) -> Playlist:
        playlist = self.repo.duplicate(playlist_id, name)
        self._changed(playlist.id)
        return playlist

    def delete(self, playlist_id: int) -> Playlist:
        playlist = self.repo.delete(playlist_id)
        self._changed(playlist_id)
        return playlist

    def restore(self, playlist_id: int) -> Playlist:
        playlist = self.repo.restore(playlist_id)
        self._changed(playlist_id)
        return playlist

    def add(self, playlist_id: int, track_ids: Iterable[int], position: int | None = None) -> int:
        added = self.repo.add(playlist_id, track_ids, position)
        self._changed(playlist_id)
        if self.repo.get(playlist_id) is not None and self.repo.require(playlist_id).kind == "liked":
            self.bus.publish("feedback_changed", {"reason": "like"})
        return added

    def remove_positions(self, playlist_id: int, positions: Iterable[int]) -> int:
        removed = self.repo.remove_positions(playlist_id, positions)
        self._changed(playlist_id)
        return removed

    def move(self, playlist_id: int, positions: Sequence[int], destination: int) -> list[int]:
        moved = self.repo.move(playlist_id, positions, destination)
        self._changed(playlist_id)
        return moved

    def sort(self, playlist_id: int, key: str, descending: bool = False) -> None:
        self.repo.sort(playlist_id, key, descending)
        self._changed(playlist_id)

    # -- files -----------------------------------------------------------------------------
    def import_file(self, path: str | Path) -> ImportReport:
        report = import_playlist_file(self.db, path)
        self._changed(report.playlist_id)
        return report

    def export(self, playlist: Playlist, path: str | Path, relative_to: str | None = None) -> int:
        return export_playlist(self.db, playlist, path, relative_to)
