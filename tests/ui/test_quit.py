"""Quitting must not corrupt memory: a whole session in a child process with glibc's heap
checks on, and nothing on its output but its own last words.

benchmarks/quit_loop.py does the same through `python -m player` fifty times (see
BENCHMARKS.md); this is the suite's short version."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.quit_loop import BAD_WORDS, MALLOC_DEBUG, problems_in

ROOT = Path(__file__).resolve().parents[2]


def test_bad_words_are_caught() -> None:
    assert problems_in("QObject: shared QObject was deleted directly. The program is malformed")
    assert problems_in("malloc_consolidate(): unaligned fastbin chunk detected")
    assert not problems_in("quit cleanly")
    assert "malformed" in BAD_WORDS


def test_a_session_with_playback_dialogs_and_a_theme_switch_quits_cleanly(music: Path) -> None:
    vlc = pytest.importorskip("vlc")
    if vlc.Instance("--aout=dummy") is None:
        pytest.skip("libVLC unavailable")
    env = dict(os.environ, PYTHONPATH=str(ROOT), MALLOC_CHECK_="3", MALLOC_PERTURB_="165",
               PYTHONFAULTHANDLER="1", QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    if MALLOC_DEBUG.exists():
        env["LD_PRELOAD"] = str(MALLOC_DEBUG)
    for _ in range(2):
        result = subprocess.run([sys.executable, "-m", "tests.ui.quit_session", str(music)],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert "quit cleanly" in output
        assert not problems_in(output), output


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_ctrl_c_or_kill_quits_the_window_like_file_quit(music: Path, tmp_path: Path,
                                                        signal_name: str) -> None:
    """`encore song.ogg` from a terminal, then Ctrl+C (or `kill`): the window quits as File >
    Quit does, exit 0, no traceback, and the open listen is closed as app_quit."""
    import select
    import signal
    import time

    from player.db.connection import open_database
    from player.db.listens import ListenRepository

    env = {**os.environ, "PYTHONPATH": str(ROOT), "ENCORE_REPORT_SHOWN": "1",
           "ENCORE_NO_FIRST_RUN": "1", "QT_QPA_PLATFORM": "offscreen",
           "ENCORE_AUDIO_OUTPUT": "dummy", "ENCORE_CACHE_DIR": str(tmp_path / "cache")}
    db_path = tmp_path / "encore.db"
    proc = subprocess.Popen([sys.executable, "-m", "player", "--db", str(db_path),
                             str(music / "b.ogg")], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    try:
        deadline = time.monotonic() + 60
        seen = ""
        while "tracks-loaded" not in seen:
            assert time.monotonic() < deadline and proc.poll() is None, seen
            if select.select([proc.stdout], [], [], 0.5)[0]:
                seen += proc.stdout.readline()
        time.sleep(1.5)  # b.ogg is 8 s long: still playing
        proc.send_signal(getattr(signal, signal_name))
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()  # a hung window must not outlive the test
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    db = open_database(str(db_path))
    try:
        [listen] = ListenRepository(db).recent(5)
    finally:
        db.close()
    assert listen.title == "Bravo" and listen.end_reason == "app_quit"


@pytest.mark.skipif(not shutil.which("Xvfb"), reason="needs Xvfb (packaging/setup-env installs it)")
def test_kill_as_the_display_dies_leaves_no_error(music: Path, tmp_path: Path) -> None:
    """A session ending (`timeout`, a logout) sends SIGTERM while the X server goes away: the
    quit it requests finds the window already deleted, and must say nothing on stderr (it
    printed "Internal C++ object (PySide6.QtGui.QAction) already deleted")."""
    import select
    import signal
    import time

    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "800x600x24", "-nolisten", "tcp"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert xvfb.stdout is not None
    display = ":" + xvfb.stdout.readline().strip()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ENCORE_REPORT_SHOWN": "1",
           "ENCORE_NO_FIRST_RUN": "1", "QT_QPA_PLATFORM": "xcb", "DISPLAY": display,
           "ENCORE_AUDIO_OUTPUT": "dummy", "ENCORE_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "player", "--db", str(tmp_path / "encore.db"),
                             str(music / "b.ogg")], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    try:
        deadline = time.monotonic() + 60
        seen = ""
        while "tracks-loaded" not in seen:
            assert time.monotonic() < deadline and proc.poll() is None, seen
            if select.select([proc.stdout], [], [], 0.5)[0]:
                seen += proc.stdout.readline()
        time.sleep(1.0)
        proc.send_signal(signal.SIGTERM)
        xvfb.kill()
        _out, err = proc.communicate(timeout=30)
    finally:
        for p in (proc, xvfb):
            if p.poll() is None:
                p.kill()
                p.communicate()
    assert "already deleted" not in err and "Traceback" not in err, err
