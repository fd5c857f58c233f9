"""`encore play` and `encore history`, in-process and as real processes (Ctrl+C, kill -9)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from player.cli import main
from player.db.connection import open_database
from player.db.listens import ListenRepository
from tests.factories import make_audio

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def songs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("songs")
    return [make_audio(folder / f"{name}.ogg", seconds=1.5, freq=freq,
                       metadata={"title": name.title(), "artist": "Tones"})
            for name, freq in (("low", 440), ("high", 880))]


@pytest.fixture(scope="module")
def long_song(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_audio(tmp_path_factory.mktemp("long") / "long.ogg", seconds=120,
                      metadata={"title": "Long", "artist": "Tones"})


def rows(db_path: Path) -> list:
    db = open_database(db_path)
    try:
        return list(reversed(ListenRepository(db).recent(100)))
    finally:
        db.close()


def encore(*args: str, **kw: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "player", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_play_files_with_libvlc_then_history(tmp_path: Path, songs: list[Path],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "e.db"
    code = main(["--db", str(db), "--audio-output", "dummy", "play", *map(str, songs), "--rate", "4"])
    assert code == 0
    out = capsys.readouterr().out
    assert "Tones - Low" in out and "Tones - High" in out
    listens = rows(db)
    assert [r.title for r in listens] == ["Low", "High"]
    assert all(r.end_reason == "finished" and r.is_play for r in listens)
    assert main(["--db", str(db), "history", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [p["title"] for p in printed] == ["High", "Low"]
    assert {p["mark"] for p in printed} == {"play"}
    assert main(["--db", str(db), "history"]) == 0
    table = capsys.readouterr().out
    assert "finished" in table and "play" in table


def test_play_by_track_id_on_the_null_engine_marks_repeats(tmp_path: Path, songs: list[Path],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "e.db"
    assert main(["--db", str(db), "play", str(songs[0]), "--engine", "null", "--rate", "10"]) == 0
    track_id = rows(db)[0].track_id
    assert main(["--db", str(db), "--engine", "null", "play", str(track_id), "--rate", "10"]) == 0
    assert [r.is_repeat for r in rows(db)] == [False, True]
    capsys.readouterr()
    main(["--db", str(db), "history", "--limit", "1"])
    assert "play, repeat" in capsys.readouterr().out


def test_unknown_items_are_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "e.db"), "play", str(tmp_path / "nope.ogg")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "e.db"), "play", "999"]) == 2
    assert "No track with id 999" in capsys.readouterr().err


def test_history_when_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "e.db"), "history"]) == 0
    assert "No listens yet" in capsys.readouterr().out


def test_missing_libvlc_is_a_message_with_the_install_hint(tmp_path: Path, songs: list[Path]) -> None:
    env = {**os.environ, "PYTHON_VLC_LIB_PATH": str(tmp_path / "libvlc.so.5")}
    proc = encore("--db", str(tmp_path / "e.db"), "play", str(songs[0]), env=env)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    assert "libVLC cannot be loaded" in err
    assert "apt-get install libvlc5 vlc-plugin-base libvlc-bin" in err
    assert "Traceback" not in err


def wait_for_heartbeat(db: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db.exists():
            found = rows(db)
            if found and (found[-1].ms_played or 0) > 0:
                return
        time.sleep(0.1)
    raise AssertionError("no heartbeat written")


def test_ctrl_c_stops_cleanly_closing_the_listen_as_stopped(tmp_path: Path, long_song: Path) -> None:
    db = tmp_path / "e.db"
    proc = encore("--db", str(db), "--engine", "null", "play", str(long_song), "--heartbeat", "0.2")
    wait_for_heartbeat(db)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    (row,) = rows(db)
    assert row.end_reason == "stopped" and row.ms_played > 0


def test_after_kill_9_the_next_start_closes_the_listen_at_its_last_heartbeat(
        tmp_path: Path, long_song: Path, songs: list[Path]) -> None:
    db = tmp_path / "e.db"
    proc = encore("--db", str(db), "--engine", "null", "play", str(long_song), "--heartbeat", "0.2")
    wait_for_heartbeat(db)
    time.sleep(0.5)
    proc.kill()  # SIGKILL: no chance to close anything
    proc.communicate(timeout=30)
    (before,) = rows(db)
    assert before.end_reason is None
    assert main(["--db", str(db), "play", str(songs[0]), "--engine", "null", "--rate", "10",
                 "--quiet"]) == 0
    after = rows(db)[0]
    assert after.end_reason == "crash_recovered"
    assert after.ms_played == before.ms_played and after.heartbeat_at == before.heartbeat_at
    assert after.ms_played >= 200
