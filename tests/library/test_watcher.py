"""The watcher notices added, changed and removed files and rescans."""

from __future__ import annotations

import time
from pathlib import Path

from player.db.connection import Database
from player.db.tracks import TrackRepository
from player.library.scanner import Scanner
from player.library.watcher import LibraryWatcher, changed_paths
from tests.factories import make_audio


def test_changed_paths() -> None:
    before = {"/a": (1, 1.0), "/b": (2, 2.0)}
    after = {"/a": (1, 1.0), "/b": (3, 2.0), "/c": (1, 1.0)}
    assert changed_paths(before, after) == {"/b", "/c"}
    assert changed_paths(after, {"/a": (1, 1.0)}) == {"/b", "/c"}


def test_watcher_rescans_on_add_and_remove(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "watched"
    make_audio(folder / "A - one.mp3")
    scanner = Scanner(db)
    scanner.scan([str(folder)])
    watcher = LibraryWatcher(scanner, [str(folder)])
    watcher.prime()
    assert watcher.poll_once() is None  # nothing changed
    make_audio(folder / "A - two.mp3")
    assert watcher.poll_once() is None  # changed: wait until it holds still
    report = watcher.poll_once()
    assert report is not None and report.added == 1
    assert watcher.poll_once() is None  # scanned already
    (folder / "A - one.mp3").unlink()
    watcher.poll_once()
    report = watcher.poll_once()
    assert report is not None and report.missing == 1
    assert [t.title for t in TrackRepository(db).all()] == ["two"]


def test_a_file_still_being_written_waits(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "copying"
    folder.mkdir()
    watcher = LibraryWatcher(Scanner(db), [str(folder)])
    watcher.prime()
    source = make_audio(tmp_path / "src.mp3", seconds=2).read_bytes()
    target = folder / "C - copied.mp3"
    target.write_bytes(source[: len(source) // 3])  # the copy has begun
    assert watcher.poll_once() is None
    target.write_bytes(source)  # ...and grows until it is done
    assert watcher.poll_once() is None
    report = watcher.poll_once()
    assert report is not None and report.added == 1 and report.issues == 0


def test_watcher_thread_picks_up_a_new_file(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "live"
    folder.mkdir()
    reports: list[object] = []
    watcher = LibraryWatcher(Scanner(db), [str(folder)], interval=0.05, on_rescan=reports.append)
    watcher.start()
    try:
        make_audio(folder / "B - new.mp3")
        deadline = time.monotonic() + 10
        while not reports and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        watcher.stop()
    assert reports and TrackRepository(db).count() == 1
