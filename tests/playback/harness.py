"""A PlaybackService on NullEngine + FakeClock over a real SQLite file: exact and instant."""

from __future__ import annotations

from pathlib import Path

from player.core.clock import FakeClock
from player.core.models import Track
from player.db.connection import Database
from player.db.listens import ListenRepository, ListenRow
from player.db.tracks import ScannedFile, TrackRepository
from player.engine import NullEngine
from player.playback.service import PlaybackService
from player.playback.state import PlaybackEvent
from tests.factories import make_tags

TICK_S = 0.1


def add_library(db: Database, durations: list[float], artists: list[str] | None = None) -> list[Track]:
    """Tracks (no files) with the given durations in seconds, in that order."""
    files = [
        ScannedFile(f"/music/t{i}.ogg", 1000 + i, 1.0, f"fp{i}",
                    make_tags(title=f"Song {i}", artists=((artists or [])[i:i + 1] or [f"Artist {i}"]),
                              duration=seconds, album="Album"))
        for i, seconds in enumerate(durations)
    ]
    repo = TrackRepository(db)
    repo.write_scanned(files, {})
    by_path = {t.path: t for t in repo.all()}
    return [by_path[f.path] for f in files]


class Harness:
    def __init__(self, db: Database, **service_args: object) -> None:
        self.db = db
        self.clock = FakeClock()
        self.engine = NullEngine(clock=self.clock, check_files=False)
        self.service = PlaybackService(self.engine, db, self.clock, **service_args)  # type: ignore[arg-type]
        self.events: list[PlaybackEvent] = []
        self.service.add_listener(self.events.append)
        self.listens = ListenRepository(db)

    def run(self, seconds: float) -> None:
        """Let seconds pass, ticking like the GUI's timer."""
        steps = int(round(seconds / TICK_S))
        for _ in range(steps):
            self.clock.advance(TICK_S)
            self.service.tick()

    def rows(self) -> list[ListenRow]:
        """Every listen, oldest first."""
        return list(reversed(self.listens.recent(1000)))

    def last(self) -> ListenRow:
        return self.rows()[-1]


def new_harness(tmp_path: Path, name: str = "encore.db", **service_args: object) -> Harness:
    from player.db.connection import open_database

    return Harness(open_database(tmp_path / name), **service_args)
