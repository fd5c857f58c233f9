"""The real window on a real database, with real libVLC (dummy audio output) or NullEngine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from player.app import AppParts, build_app
from player.db.connection import Database
from player.library.scanner import Scanner
from tests.factories import have_ffmpeg, make_audio, make_db

# libVLC's dummy output ends a track about 1 s of wall time early (it swallows the buffered
# audio at once), so tracks are long enough that what is heard is still over half of each.
SONGS = [  # file name, seconds, title, artist, album
    ("a.ogg", 4.0, "Alpha", "Ann", "First"),
    ("b.ogg", 8.0, "Bravo", "Ben", "First"),
    ("c.ogg", 4.0, "Charlie", "Cat", "Second"),
]


@pytest.fixture
def music(tmp_path: Path) -> Path:
    if not have_ffmpeg():
        pytest.skip("needs ffmpeg")
    folder = tmp_path / "music"
    for i, (name, seconds, title, artist, album) in enumerate(SONGS):
        make_audio(folder / name, seconds, freq=330 + 110 * i,
                   metadata={"title": title, "artist": artist, "album": album})
    return folder


@pytest.fixture
def library_db(tmp_path: Path, music: Path) -> Iterator[Database]:
    db = make_db(tmp_path)
    Scanner(db).scan([str(music)])
    yield db
    db.close()


def make_window(qtbot, tmp_path: Path, db: Database, engine) -> AppParts:
    from player.db.preferences import Preferences

    prefs = Preferences.load(db)
    prefs.autoplay = False  # tests that want autoplay switch it on themselves
    # The fixture's songs are 4-8 s clips: by default Made for you offers nothing under 30 s
    # (issue 14), which would leave Home and radio empty here; these tests are about the window.
    prefs.include_non_music = True
    prefs.save(db)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    parts = build_app(db, engine, settings, cover_dir=tmp_path / "covers", watch_interval=0.2,
                      mpris=False)
    qtbot.addWidget(parts.window)
    parts.window.show()
    parts.library.load()
    qtbot.waitUntil(lambda: parts.window.library.track_model.rowCount() > 0, timeout=5000)
    return parts


@pytest.fixture
def vlc_window(qtbot, tmp_path: Path, library_db: Database) -> Iterator[AppParts]:
    from player.core.errors import KnownError
    from player.engine import create_engine

    try:
        engine = create_engine("vlc", os.environ.get("ENCORE_AUDIO_OUTPUT", "dummy"))
    except KnownError as exc:
        pytest.skip(f"libVLC unavailable: {exc}")
    parts = make_window(qtbot, tmp_path, library_db, engine)
    yield parts
    parts.shutdown()


@pytest.fixture
def null_window(qtbot, tmp_path: Path, library_db: Database) -> Iterator[AppParts]:
    from player.core.clock import FakeClock
    from player.engine.null import NullEngine

    clock = FakeClock()
    parts = make_window(qtbot, tmp_path, library_db, NullEngine(clock=clock))
    parts.clock = clock  # type: ignore[attr-defined]
    yield parts
    parts.shutdown()


# Made for you leaves out anything under 30 s (not a song): these are songs to it
LONG_SONGS = [("a.ogg", "Alpha", "Ann", "First"), ("b.ogg", "Bravo", "Ben", "First"),
              ("c.ogg", "Charlie", "Cat", "Second"), ("d.ogg", "Delta", "Dan", "Second")]


@pytest.fixture
def songs_window(qtbot, tmp_path: Path):
    """The real window on NullEngine + a fake clock over four 31-second songs."""
    from player.core.clock import FakeClock
    from player.engine.null import NullEngine

    if not have_ffmpeg():
        pytest.skip("needs ffmpeg")
    folder = tmp_path / "music"
    for i, (name, title, artist, album) in enumerate(LONG_SONGS):
        make_audio(folder / name, 31.0, freq=330 + 110 * i,
                   metadata={"title": title, "artist": artist, "album": album})
    db = make_db(tmp_path)
    Scanner(db).scan([str(folder)])
    clock = FakeClock()
    parts = make_window(qtbot, tmp_path, db, NullEngine(clock=clock))
    parts.clock = clock  # type: ignore[attr-defined]
    yield parts
    parts.shutdown()
    db.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The offscreen platform says it cannot propagate a window's size hints: not our bug."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore("does not support propagateSizeHints"))


@pytest.fixture(autouse=True)
def _unfreeze_gc() -> Iterator[None]:
    """LibraryController freezes the collector's generations after a load; undo it per test
    so other tests' garbage is still collected."""
    import gc

    yield
    gc.unfreeze()
