"""Real processes sharing one database: an import during playback, two players at once.

Nothing heard is lost: `encore play` keeps logging every second while `encore import` runs and
while another program holds the write lock longer than the busy timeout, and a second player
leaves the first one's live listen alone.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from player.db.connection import open_database
from player.db.listens import ListenRepository, ListenRow
from tests.factories import LISTENS_TSV, make_audio

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not LISTENS_TSV.exists(), reason="the Last.fm-1K sample is absent")


def encore(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "player", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def encore_listens(db_path: Path) -> list[ListenRow]:
    db = open_database(db_path)
    try:
        return [r for r in reversed(ListenRepository(db).recent(10)) if r.origin == "encore"]
    finally:
        db.close()


def wait_for(check: object, timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def heard_ms(db_path: Path, index: int = 0) -> int:
    rows = encore_listens(db_path) if db_path.exists() else []
    return int(rows[index].ms_played or 0) if len(rows) > index else 0


def big_lastfm1k(path: Path, copies: int) -> Path:
    """The real Last.fm-1K sample repeated with shifted times (every row a new listen)."""
    lines = LISTENS_TSV.read_text(encoding="utf-8").splitlines()
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for line in lines:
                user, when, *rest = line.split("\t")
                moved = datetime.strptime(when, "%Y-%m-%dT%H:%M:%SZ") + timedelta(seconds=copy + 1)
                out.write("\t".join([user, moved.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                     *rest]) + "\n")
    return path


def hold_write_lock(db_path: Path, seconds: float) -> None:
    """Another program keeps the database locked (longer than Encore's busy timeout)."""
    conn = sqlite3.connect(db_path, timeout=60, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def test_an_import_during_playback_keeps_every_second_heard(tmp_path: Path) -> None:
    song = make_audio(tmp_path / "song.ogg", seconds=12, metadata={"title": "Twelve", "artist": "Tones"})
    export = big_lastfm1k(tmp_path / "big.tsv", copies=30)  # 150,000 rows
    db = tmp_path / "e.db"
    open_database(db).close()
    player = encore("--db", str(db), "--audio-output", "dummy", "play", str(song),
                    "--heartbeat", "0.5", "--quiet")
    wait_for(lambda: heard_ms(db) > 0, what="the first heartbeat")
    importer = encore("--db", str(db), "import", str(export), "--tz", "UTC")
    # A swap far longer than any real one: the logger must wait it out, not give up.
    locker = threading.Thread(target=hold_write_lock, args=(db, 7.0))
    time.sleep(0.5)
    locker.start()
    out, err = importer.communicate(timeout=300)
    assert importer.returncode == 0, err
    assert "Imported: 150,000 new listens" in out
    locker.join()
    _out, err = player.communicate(timeout=120)
    assert player.returncode == 0, err
    assert "Traceback" not in err and "deferred listen writes saved" in err
    (listen,) = encore_listens(db)
    assert listen.end_reason == "finished" and listen.is_play
    assert listen.ms_played == pytest.approx(12_000, abs=1_000)  # every second heard, once


def test_play_starts_while_an_import_runs(tmp_path: Path) -> None:
    song = make_audio(tmp_path / "song.ogg", seconds=2, metadata={"title": "Two", "artist": "Tones"})
    export = big_lastfm1k(tmp_path / "big.tsv", copies=40)
    db = tmp_path / "e.db"
    open_database(db).close()
    importer = encore("--db", str(db), "import", str(export), "--tz", "UTC")
    time.sleep(1.0)
    player = encore("--db", str(db), "--audio-output", "dummy", "play", str(song), "--quiet")
    _out, err = player.communicate(timeout=120)
    still_importing = importer.poll() is None
    assert player.returncode == 0, err
    out, err = importer.communicate(timeout=300)
    assert importer.returncode == 0, err
    assert still_importing, "the import ended before play did: make the export bigger"
    (listen,) = encore_listens(db)
    assert listen.end_reason == "finished" and listen.ms_played == pytest.approx(2_000, abs=600)


def test_a_second_player_leaves_the_first_ones_listen_alone(tmp_path: Path) -> None:
    long_song = make_audio(tmp_path / "long.ogg", seconds=120, metadata={"title": "Long", "artist": "Tones"})
    short = make_audio(tmp_path / "short.ogg", seconds=1, metadata={"title": "Short", "artist": "Tones"})
    db = tmp_path / "e.db"
    first = encore("--db", str(db), "--audio-output", "dummy", "play", str(long_song),
                   "--heartbeat", "0.3", "--quiet")
    wait_for(lambda: heard_ms(db) > 1000, what="the first player's heartbeats")
    second = encore("--db", str(db), "--audio-output", "dummy", "play", str(short), "--quiet")
    _out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    a, b = encore_listens(db)
    assert a.title == "Long" and a.end_reason is None  # still live, not crash_recovered
    assert b.title == "Short" and b.end_reason == "finished"
    before = a.ms_played or 0
    wait_for(lambda: heard_ms(db) > before + 1000, what="the first player's later heartbeats")
    first.send_signal(signal.SIGINT)
    _out, err = first.communicate(timeout=120)  # generous: the machine may be very busy
    assert first.returncode == 130, err
    a = encore_listens(db)[0]
    assert a.end_reason == "stopped" and (a.ms_played or 0) > before + 1000


def hidden_rows(db_path: Path) -> int:
    """Listens an import has written but not yet shown (its swap is under way)."""
    if not db_path.exists():
        return 0
    conn = sqlite3.connect(db_path, timeout=10)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM listen WHERE import_run IN "
                                "(SELECT id FROM import_run)").fetchone()[0])
    except sqlite3.OperationalError:  # not migrated yet
        return 0
    finally:
        conn.close()


def table_rows(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db_path, timeout=30)
    try:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
                for table in ("listen", "external_track", "track", "import_run")}
    finally:
        conn.close()


def test_play_like_and_scan_work_while_an_import_writes_its_rows(tmp_path: Path) -> None:
    """During the swap (rows being copied into the library): a like from another program
    writes at once, `encore play` of a file new to the library adds it and keeps every
    second heard, and `encore scan` succeeds."""
    from player.db.feedback import FeedbackRepository

    music = tmp_path / "music"
    music.mkdir()
    known = make_audio(music / "known.ogg", seconds=1, metadata={"title": "Known", "artist": "Tones"})
    song = make_audio(tmp_path / "song.ogg", seconds=6, metadata={"title": "Six", "artist": "Tones"})
    export = big_lastfm1k(tmp_path / "big.tsv", copies=40)  # 200,000 rows
    db = tmp_path / "e.db"
    scan = encore("--db", str(db), "scan", str(music))
    assert scan.communicate(timeout=120)[0] is not None and scan.returncode == 0
    importer = encore("--db", str(db), "import", str(export), "--tz", "UTC")
    wait_for(lambda: hidden_rows(db) > 0, timeout=240, what="the import's swap")
    database = open_database(db)
    try:
        track_id = int(database.scalar("SELECT id FROM track WHERE path LIKE ?", (f"%{known.name}",)))
        FeedbackRepository(database).set_liked(track_id, True)  # the default 5 s busy timeout
        assert hidden_rows(db) > 0, "the swap ended before the like: make the export bigger"
    finally:
        database.close()
    player = encore("--db", str(db), "--audio-output", "dummy", "play", str(song),
                    "--heartbeat", "0.5", "--quiet")
    (music / "later.ogg").write_bytes(known.read_bytes())
    scan = encore("--db", str(db), "scan", str(music))
    _out, err = scan.communicate(timeout=120)
    assert scan.returncode == 0, err
    _out, err = player.communicate(timeout=120)
    assert player.returncode == 0, err
    out, err = importer.communicate(timeout=600)
    assert importer.returncode == 0, err
    assert "Imported: 200,000 new listens" in out
    (listen,) = encore_listens(db)
    assert listen.title == "Six" and listen.end_reason == "finished"
    assert listen.ms_played == pytest.approx(6_000, abs=1_000)
    database = open_database(db)
    try:
        assert FeedbackRepository(database).liked_ids() == {track_id}
        assert database.scalar("SELECT COUNT(*) FROM track") == 3  # known, song (by play), later
    finally:
        database.close()


def test_kill_9_while_an_import_writes_leaves_the_history_as_it_was(tmp_path: Path) -> None:
    song = make_audio(tmp_path / "song.ogg", seconds=1, metadata={"title": "One", "artist": "Tones"})
    small = big_lastfm1k(tmp_path / "small.tsv", copies=1)
    db = tmp_path / "e.db"
    first = encore("--db", str(db), "import", str(small), "--tz", "UTC")
    assert first.communicate(timeout=120) and first.returncode == 0
    before = table_rows(db)
    importer = encore("--db", str(db), "import", str(big_lastfm1k(tmp_path / "big.tsv", copies=30)),
                      "--tz", "UTC")
    wait_for(lambda: hidden_rows(db) > 20_000, timeout=240, what="the import's swap")
    importer.kill()  # SIGKILL: no chance to clean anything
    importer.wait(timeout=30)
    assert hidden_rows(db) > 20_000
    database = open_database(db)
    try:  # readers see the history as it was
        assert ListenRepository(database).count() == len(before["listen"]) == 5000
    finally:
        database.close()
    # the next player start removes what the dead import wrote, every row of it
    player = encore("--db", str(db), "--audio-output", "dummy", "play", str(song), "--quiet")
    _out, err = player.communicate(timeout=120)
    assert player.returncode == 0, err
    after = table_rows(db)
    assert after["listen"][:-1] == before["listen"] and after["listen"][-1][0] > 5000  # + the play
    assert after["external_track"] == before["external_track"] and after["import_run"] == []
    # and the same import now goes through whole
    again = encore("--db", str(db), "import", str(tmp_path / "big.tsv"), "--tz", "UTC")
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    # (its first 5,000 rows are the small export's)
    assert "Imported: 145,000 new listens\nAlready imported (a re-import): 5,000" in out
