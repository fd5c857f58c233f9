"""Quitting must not corrupt memory: a whole session in a child process with glibc's heap
checks on, and nothing on its output but its own last words.

benchmarks/quit_loop.py does the same through `python -m player` fifty times (see
BENCHMARKS.md); this is the suite's short version."""

from __future__ import annotations

import os
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
