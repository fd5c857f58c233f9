"""The playlists every library starts with: Liked Songs and the ready-made smart ones."""

from __future__ import annotations

from player.db.connection import Database
from player.db.playlists import PlaylistRepository
from player.db.settings import SettingsRepository
from player.playlists.rules import READY_MADE

_CREATED_KEY = "playlists.ready_made_created"


def ensure_default_playlists(db: Database) -> None:
    """Create them once; a ready-made playlist the user deleted does not come back."""
    repo = PlaylistRepository(db)
    repo.liked()
    settings = SettingsRepository(db)
    if settings.get(_CREATED_KEY, False):
        return
    with db.transaction():
        for name, rules in READY_MADE.items():
            repo.create(name, "smart", rules.to_json())
        settings.set(_CREATED_KEY, True)
