"""The database file: WAL, migrations from an old schema, threads, and plain errors."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from player.core.errors import DatabaseError
from player.db.connection import Database, default_database_path, open_database
from player.db.migrations import MIGRATIONS, SCHEMA_VERSION
from player.db.settings import SettingsRepository
from player.db.tracks import TrackRepository
from tests.factories import add_tracks


def test_new_database_is_wal_and_current(db: Database) -> None:
    assert db.scalar("PRAGMA journal_mode") == "wal"
    assert db.schema_version == SCHEMA_VERSION
    assert db.scalar("PRAGMA foreign_keys") == 1


def test_upgrades_a_version_1_database_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    raw = sqlite3.connect(path)
    raw.executescript(MIGRATIONS[0])
    raw.execute("INSERT INTO track (path, title, artist, duration) VALUES ('/m/a.mp3', 'Old', 'Band', 60)")
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    db = open_database(path)
    assert db.schema_version == SCHEMA_VERSION
    track = TrackRepository(db).by_path("/m/a.mp3")
    assert track is not None and track.title == "Old"
    # columns and tables added by later steps are there
    assert db.scalar("SELECT fingerprint FROM track WHERE id = ?", (track.id,)) == ""
    assert db.scalar("SELECT count(*) FROM listen") == 0
    db.close()


def test_refuses_a_database_from_a_newer_encore(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    raw.close()
    with pytest.raises(DatabaseError, match="newer Encore"):
        open_database(path)


def test_damaged_file_is_a_plain_error(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    path.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(DatabaseError, match="damaged"):
        open_database(path)


def test_unopenable_location_is_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseError):
        open_database(blocker / "sub" / "encore.db")  # a file where a folder should be


def test_locked_database_is_a_plain_error(tmp_path: Path) -> None:
    db = open_database(tmp_path / "locked.db")
    db._db.execute_sql("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(tmp_path / "locked.db")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseError, match="locked"):
            SettingsRepository(db).set("volume", 50)
    finally:
        other.rollback()
        other.close()
    SettingsRepository(db).set("volume", 50)  # works again once the other writer is gone
    assert SettingsRepository(db).get("volume") == 50
    db.close()


@pytest.mark.skipif(hasattr(__import__("os"), "geteuid") and __import__("os").geteuid() == 0,
                    reason="root can write read-only files")
def test_read_only_database_is_a_plain_error(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    open_database(path).close()
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(DatabaseError):
            SettingsRepository(open_database(path)).set("x", 1)
    finally:
        tmp_path.chmod(0o755)


def test_each_thread_has_its_own_connection_and_sees_committed_writes(db: Database) -> None:
    add_tracks(db, 10)
    counts: list[int] = []

    def reader() -> None:
        counts.append(TrackRepository(db).count())
        add_tracks(db, 5, root="/other")

    thread = threading.Thread(target=reader)
    thread.start()
    thread.join()
    assert counts == [10]
    assert TrackRepository(db).count() == 15


def test_default_path_follows_encore_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ENCORE_DB", str(tmp_path / "x.db"))
    assert default_database_path() == tmp_path / "x.db"
    monkeypatch.delenv("ENCORE_DB")
    assert default_database_path().name == "library.db"


def test_settings_round_trip(db: Database) -> None:
    settings = SettingsRepository(db)
    assert settings.get("missing", 7) == 7
    settings.set("queue", {"ids": [1, 2], "position_ms": 1500})
    assert settings.get("queue") == {"ids": [1, 2], "position_ms": 1500}


def _open_and_close(path: str) -> None:
    open_database(path).close()


def test_processes_opening_a_new_database_at_once_migrate_it_once(tmp_path: Path) -> None:
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    for trial in range(3):
        path = str(tmp_path / f"race{trial}.db")
        processes = [context.Process(target=_open_and_close, args=(path,)) for _ in range(4)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(60)
        assert [p.exitcode for p in processes] == [0, 0, 0, 0]
        db = open_database(path)
        assert db.schema_version == SCHEMA_VERSION
        db.close()
