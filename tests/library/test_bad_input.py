"""Bad input: the scan goes on, every file is stored or listed as an issue with its reason."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import player.library.scanner as scanner_module
from player.db.connection import Database
from player.db.scan_issues import ScanIssueRepository
from player.db.tracks import TrackRepository
from player.library.scanner import Scanner
from player.library.walker import walk_audio
from player.tags import read_tags
from tests.factories import make_audio
from tests.library.corpus import add_huge_picture, make_bad_corpus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def good_mp3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_audio(tmp_path_factory.mktemp("good") / "good.mp3", seconds=1.0)


def test_corrupt_corpus_scans_to_the_end(db: Database, tmp_path: Path, good_mp3: Path) -> None:
    folder = tmp_path / "bad"
    expected = make_bad_corpus(folder, good_mp3)
    report = Scanner(db).scan([str(folder)])
    stored = {Path(t.path).name for t in TrackRepository(db).all()}
    issues = {Path(i.path).name: i.reason for i in ScanIssueRepository(db).all()}
    assert report.seen == len(expected)
    for name, outcome in expected.items():
        assert (name in stored) != (name in issues), f"{name}: stored and issue must be exclusive"
        if outcome == "stored":
            assert name in stored, f"{name} should be stored, issue: {issues.get(name)}"
        elif outcome == "issue":
            assert name in issues and issues[name], f"{name} should be a scan issue"
    assert issues["zero.mp3"] == "empty file"


def test_broken_text_encodings_are_kept_readable(tmp_path: Path, good_mp3: Path) -> None:
    make_bad_corpus(tmp_path, good_mp3)
    mixed = read_tags(str(tmp_path / "mixed-encodings.mp3"))
    assert mixed.title == "Ünïcödé"
    assert mixed.artists == ("Motörhead",)
    assert mixed.album == "日本"
    bad = read_tags(str(tmp_path / "bad-utf8.mp3"))
    assert bad.title  # decoded with replacement or taken from the file name, never empty
    bad.title.encode("utf-8")  # always storable


def test_non_utf8_and_very_long_file_names(db: Database, tmp_path: Path, good_mp3: Path) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    latin1 = os.fsdecode(b"caf\xe9 - chanson.mp3")
    shutil.copy(good_mp3, folder / latin1)
    long_name = "Long Artist - " + "x" * 230 + ".mp3"
    shutil.copy(good_mp3, folder / long_name)
    report = Scanner(db).scan([str(folder)])
    assert report.added == 2 and report.issues == 0
    repo = TrackRepository(db)
    track = repo.by_path(str(folder / latin1))
    assert track is not None and track.path == str(folder / latin1)
    assert os.path.exists(track.path)  # the stored path opens the real file
    assert track.artist == "caf\ufffd"
    assert Scanner(db).scan([str(folder)]).unchanged == 2  # and is recognised next time


def test_symlink_loop_is_reported_not_followed(db: Database, tmp_path: Path, good_mp3: Path) -> None:
    folder = tmp_path / "loop"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(good_mp3, folder / "sub" / "A - B.mp3")
    os.symlink(folder, folder / "sub" / "back-to-top")
    report = Scanner(db).scan([str(folder)])
    assert report.added == 1
    reasons = [i.reason for i in ScanIssueRepository(db).all()]
    assert any("loop" in r for r in reasons)


def test_unreadable_folder_is_reported(db: Database, tmp_path: Path, good_mp3: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "music"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(good_mp3, folder / "A - ok.mp3")
    shutil.copy(good_mp3, folder / "locked" / "A - hidden.mp3")
    locked = str(folder / "locked")
    real_scandir = os.scandir

    def scandir(path: str) -> object:  # root ignores permissions, so deny it here
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.setattr("player.library.walker.os.scandir", scandir)
    report = Scanner(db).scan([str(folder)])
    assert report.added == 1
    issues = ScanIssueRepository(db).all()
    assert [(i.path, i.kind) for i in issues] == [(locked, "folder")]
    assert "Permission denied" in issues[0].reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their mode")
def test_unreadable_folder_for_real(db: Database, tmp_path: Path, good_mp3: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    shutil.copy(good_mp3, locked / "A - B.mp3")
    locked.chmod(0)
    try:
        Scanner(db).scan([str(tmp_path)])
    finally:
        locked.chmod(0o755)
    assert any(i.kind == "folder" for i in ScanIssueRepository(db).all())


def test_file_deleted_during_the_scan(db: Database, tmp_path: Path, good_mp3: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "vanishing"
    folder.mkdir()
    for name in ("A - one.mp3", "A - two.mp3", "A - three.mp3"):
        shutil.copy(good_mp3, folder / name)

    def walk_then_delete(root: str, issues: list) -> object:
        found = list(walk_audio(root, issues))
        (folder / "A - two.mp3").unlink()  # gone between the walk and the tag read
        return iter(found)

    monkeypatch.setattr(scanner_module, "walk_audio", walk_then_delete)
    report = Scanner(db).scan([str(folder)])
    assert report.added == 2
    assert ScanIssueRepository(db).all() == []


def _scan_peak_mb(folder: Path, db_path: Path) -> float:
    """Peak memory of a process that scans folder (in-process reading: few files)."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the (large) forking parent.
    code = (
        "from player.cli import main\n"
        f"main(['--db', {str(db_path)!r}, 'scan', {str(folder)!r}, '--json'])\n"
        "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print('PEAK', hwm)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert '"issues": 0' in result.stdout, result.stdout
    return int(result.stdout.rsplit("PEAK", 1)[1]) / 1024


def test_huge_embedded_pictures_keep_memory_flat(tmp_path: Path) -> None:
    one, three = tmp_path / "one", tmp_path / "three"
    for folder, count in ((one, 1), (three, 3)):
        for i in range(count):
            path = make_audio(folder / f"Big - Picture {i}.mp3", seconds=0.5)
            add_huge_picture(path, megabytes=50)
    peak_one = _scan_peak_mb(one, tmp_path / "one.db")
    peak_three = _scan_peak_mb(three, tmp_path / "three.db")
    # Each 50 MB picture is read and dropped: three of them cost no more than one.
    assert peak_three < peak_one + 25, f"one file: {peak_one:.0f} MB, three: {peak_three:.0f} MB"
    # mutagen holds a few copies of a picture while parsing it (~4x): transient, per file.
    assert peak_one < 450, f"one 50 MB picture: {peak_one:.0f} MB"
