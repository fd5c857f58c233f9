"""The scanner on real files: adds, rescans, updates, missing and moved files, cancel, workers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from player.db.connection import Database
from player.db.scan_issues import ScanIssueRepository
from player.db.tracks import TrackRepository
from player.library.scanner import Scanner
from tests.factories import LIBROSA, make_audio

UNTAGGED_LIBROSA = {"pibble", "glacier-bay-humpback", "198-209-0000", "3436-172162-0000",
                    "5703-47212-0000"}


@pytest.fixture
def music(tmp_path: Path) -> Path:
    root = tmp_path / "Music"
    make_audio(root / "Artist A" / "Album X" / "01 First.mp3", metadata={"title": "First", "artist": "Artist A", "album": "Album X", "genre": "Jazz"})
    make_audio(root / "Artist A" / "Album X" / "02 Second.flac", freq=550, metadata={"title": "Second", "artist": "Artist A", "album": "Album X"})
    make_audio(root / "Artist B - Untagged Song.ogg", freq=660)
    return root


def test_scans_the_real_librosa_folder_with_names_from_files(db: Database) -> None:
    report = Scanner(db).scan([str(LIBROSA)])
    assert report.added == 15 and report.issues == 0
    tracks = TrackRepository(db).all()
    assert len(tracks) == 15
    titles = {t.title for t in tracks}
    assert titles >= UNTAGGED_LIBROSA
    assert all(t.codec == "vorbis" and t.duration > 1 for t in tracks)


def test_rescan_skips_unchanged_files(db: Database, music: Path) -> None:
    first = Scanner(db).scan([str(music)])
    assert (first.added, first.unchanged) == (3, 0)
    second = Scanner(db).scan([str(music)])
    assert (second.added, second.updated, second.unchanged) == (0, 0, 3)


def test_folder_layout_and_artist_dash_title_fallbacks(db: Database, music: Path) -> None:
    Scanner(db).scan([str(music)])
    repo = TrackRepository(db)
    untagged = repo.by_path(str(music / "Artist B - Untagged Song.ogg"))
    assert untagged is not None
    assert (untagged.artist, untagged.title) == ("Artist B", "Untagged Song")
    first = repo.by_path(str(music / "Artist A" / "Album X" / "01 First.mp3"))
    assert first is not None and (first.artist, first.album, first.genre) == ("Artist A", "Album X", "Jazz")


def test_changed_file_is_reread(db: Database, music: Path) -> None:
    Scanner(db).scan([str(music)])
    target = music / "Artist B - Untagged Song.ogg"
    make_audio(target, freq=700, metadata={"title": "Now Tagged", "artist": "Artist B"}, seconds=2)
    report = Scanner(db).scan([str(music)])
    assert report.updated == 1 and report.unchanged == 2
    track = TrackRepository(db).by_path(str(target))
    assert track is not None and track.title == "Now Tagged"


def test_deleted_file_is_marked_missing_and_keeps_its_history(db: Database, music: Path) -> None:
    Scanner(db).scan([str(music)])
    target = music / "Artist A" / "Album X" / "02 Second.flac"
    track = TrackRepository(db).by_path(str(target))
    assert track is not None
    db.execute("INSERT INTO listen (track_id, started_at) VALUES (?, 1700000000)", (track.id,))
    target.unlink()
    report = Scanner(db).scan([str(music)])
    assert report.missing == 1
    gone = TrackRepository(db).get(track.id)
    assert gone is not None and gone.missing
    assert TrackRepository(db).count() == 2
    assert db.scalar("SELECT count(*) FROM listen WHERE track_id = ?", (track.id,)) == 1


def test_moved_and_renamed_file_keeps_its_id(db: Database, music: Path) -> None:
    Scanner(db).scan([str(music)])
    old = music / "Artist A" / "Album X" / "01 First.mp3"
    track = TrackRepository(db).by_path(str(old))
    assert track is not None
    new = music / "Elsewhere" / "renamed.mp3"
    new.parent.mkdir()
    shutil.move(old, new)
    report = Scanner(db).scan([str(music)])
    assert report.moved == 1 and report.added == 0
    moved = TrackRepository(db).by_path(str(new))
    assert moved is not None and moved.id == track.id and not moved.missing
    assert TrackRepository(db).count() == 3


def test_many_files_go_through_worker_processes(db: Database, tmp_path: Path) -> None:
    source = make_audio(tmp_path / "src.wav", seconds=0.2)
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(80):  # above the in-process threshold
        shutil.copy(source, folder / f"Band - Song {i:03d}.wav")
    report = Scanner(db, workers=2).scan([str(folder)])
    assert report.added == 80 and report.issues == 0
    assert {t.title for t in TrackRepository(db).all()} == {f"Song {i:03d}" for i in range(80)}


def test_cancel_stops_the_scan_and_keeps_what_was_stored(db: Database, tmp_path: Path) -> None:
    source = make_audio(tmp_path / "src.wav", seconds=0.2)
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(30):
        shutil.copy(source, folder / f"Band - Song {i:03d}.wav")
    scanner = Scanner(db, workers=1)
    calls: list[int] = []

    def cancel_early(progress: object) -> None:
        calls.append(1)
        scanner.cancel()

    scanner.progress = cancel_early
    report = scanner.scan([str(folder)])
    assert report.cancelled
    stored = TrackRepository(db).count()
    assert 1 <= stored < 30
    again = Scanner(db).scan([str(folder)])  # finishing later stores the rest, nothing twice
    assert TrackRepository(db).count() == 30 and again.added == 30 - stored


def test_progress_is_reported(db: Database, music: Path) -> None:
    seen: list[tuple[int, int]] = []
    Scanner(db, progress=lambda p: seen.append((p.done, p.total))).scan([str(music)])
    assert seen and seen[-1] == (3, 3)


def test_scan_issues_are_cleared_when_a_file_is_fixed(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "fix"
    folder.mkdir()
    bad = folder / "song.mp3"
    bad.write_bytes(os.urandom(5000))
    Scanner(db).scan([str(folder)])
    assert [i.path for i in ScanIssueRepository(db).all()] == [str(bad)]
    make_audio(bad, seconds=0.5)
    Scanner(db).scan([str(folder)])
    assert ScanIssueRepository(db).all() == []
    assert TrackRepository(db).count() == 1
