"""Hostile file-system targets: planted symlinks, devices, FIFOs, odd --db values, foreign files."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from player.cli import main
from player.core.errors import DatabaseError, KnownError
from player.core.files import atomic_write, open_regular, write_bytes_atomic
from player.db.connection import Database, open_database
from player.db.history_admin import HistoryAdmin
from player.playlists.files import read_playlist_file
from tests.playlists.helpers import add_named


def test_a_symlink_planted_where_the_temporary_used_to_be_is_never_followed(db: Database, tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    add_named(db, [("/m/a.mp3", "Miles", "So What", "Jazz")])
    assert main(["--db", db.path, "playlist", "create", "Mix"]) == 0
    assert main(["--db", db.path, "playlist", "add", "Mix", "--search", "jazz"]) == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    target = tmp_path / "mix.m3u8"
    (tmp_path / "mix.m3u8.part").symlink_to(victim)  # the old fixed temporary name
    assert main(["--db", db.path, "playlist", "export", "Mix", str(target)]) == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert "So What" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part") and not p.is_symlink()] == []


def test_a_symlink_target_is_replaced_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = tmp_path / "out.html"
    link.symlink_to(victim)
    write_bytes_atomic(link, b"new")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not link.is_symlink() and link.read_bytes() == b"new"


@pytest.mark.parametrize("device", ["/dev/full", "/dev/null"])
def test_devices_are_refused_as_export_targets(device: str, tmp_path: Path, db: Database) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    before = os.stat(device)
    with pytest.raises(KnownError, match="not a regular file"):
        write_bytes_atomic(device, b"x")
    with pytest.raises(KnownError, match="not a regular file"):
        HistoryAdmin(db).export(device, "json")
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_a_fifo_target_and_a_folder_target_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(KnownError, match="pipe"):
        write_bytes_atomic(fifo, b"x")
    with pytest.raises(KnownError, match="folder"):
        write_bytes_atomic(tmp_path, b"x")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "keep.txt"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_write(target) as out:
        out.write(b"half")
        raise RuntimeError("crash")
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_a_full_disk_says_the_disk_is_full(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"

    class Full:
        def write(self, _data: bytes) -> int:
            raise OSError(28, "No space left on device")

    with pytest.raises(KnownError, match="the disk is full"), atomic_write(target) as out:
        out.write(b"start")
        Full().write(b"x" * 10)
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_reading_a_fifo_or_a_device_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "list.m3u"
    os.mkfifo(fifo)  # nobody writes: a blocking open would hang forever
    with pytest.raises(KnownError, match="pipe"):
        read_playlist_file(fifo)
    with pytest.raises(KnownError, match="device"):
        open_regular("/dev/zero")


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_db_path_is_refused(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", value, "history"]) == 2
    assert "database path is empty" in capsys.readouterr().err


def test_dev_null_as_the_database_is_refused_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="not a regular file"):
        open_database("/dev/null")
    assert not os.path.exists("/dev/null-journal") and not os.path.exists("/dev/null-wal")
    with pytest.raises(DatabaseError, match="not a regular file"):
        open_database(tmp_path)


def test_tilde_means_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    open_database("~/sub/e.db").close()
    assert (tmp_path / "sub" / "e.db").is_file() and not (tmp_path / "~").exists()


def test_a_new_database_is_private(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.db")
    db.close()
    assert stat.S_IMODE(os.stat(tmp_path / "new.db").st_mode) == 0o600


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "firefox.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(DatabaseError, match="another program's database"):
        open_database(other)
    assert other.read_bytes() == before  # still rollback-journal mode, not switched to WAL
    conn = sqlite3.connect(other)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["firefox.sqlite"]


def test_a_full_disk_is_named_as_such_not_as_a_failed_rollback(db: Database) -> None:
    page_size = int(db.scalar("PRAGMA page_count"))
    db.execute(f"PRAGMA max_page_count = {page_size + 2}")  # the "disk" fills up at once
    with pytest.raises(DatabaseError, match="the disk is full"), db.transaction():
        for i in range(2000):
            db.execute("INSERT INTO setting (key, value) VALUES (?, ?)", (f"k{i}", "x" * 500))


def test_a_huge_folder_cover_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from player.tags import covers

    song = tmp_path / "a.ogg"
    song.write_bytes(b"not audio")
    (tmp_path / "cover.jpg").write_bytes(b"\xff\xd8" + b"\0" * 5000)
    assert covers.cover_bytes(str(song)) is not None
    monkeypatch.setattr(covers, "MAX_COVER_BYTES", 1000)  # 16 MB in real use
    assert covers.cover_bytes(str(song)) is None
    (tmp_path / "cover.jpg").unlink()
    os.mkfifo(tmp_path / "cover.jpg")  # never hangs on a FIFO named like a cover
    assert covers.cover_bytes(str(song)) is None
