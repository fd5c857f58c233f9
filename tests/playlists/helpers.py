"""Shared builders for playlist tests: listens and tracks written straight into SQLite."""

from __future__ import annotations

from player.db.connection import Database
from player.db.tracks import ScannedFile, TrackRepository
from tests.factories import make_tags

DAY = 86400.0
NOW = 1_800_000_000.0


def add_listens(db: Database, track_id: int, plays: int = 0, skips: int = 0,
                days_ago: float = 1.0) -> None:
    rows = [(track_id, NOW - days_ago * DAY - i, 1, 0) for i in range(plays)]
    rows += [(track_id, NOW - days_ago * DAY - 1000 - i, 0, 1) for i in range(skips)]
    db.executemany("INSERT INTO listen (track_id, started_at, is_play, is_skip) VALUES (?, ?, ?, ?)",
                   rows)


def add_named(db: Database, specs: list[tuple[str, str, str, str]]) -> dict[str, int]:
    """(path, artist, title, genre) -> {title: id}."""
    repo = TrackRepository(db)
    files = [ScannedFile(path, 1, 1.0, f"fp-{n}",
                         make_tags(title=title, artists=(artist,), genres=tuple(genre.split("; ")) if genre else ()))
             for n, (path, artist, title, genre) in enumerate(specs)]
    repo.write_scanned(files, {})
    return {t.title: t.id for t in repo.all()}
