"""Real processes: scan and analyze workers die with Encore, and Ctrl+C stops promptly.

Each run is started in its own session (process group), as a terminal would; Ctrl+C is
SIGINT to the whole group. The group must be empty soon after Encore is stopped, whatever
the signal (kill -9 included): no worker process is left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from player.cli import main
from tests.factories import make_audio

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc (Linux)")


def group_members(pgid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                text = stat.read()
        except OSError:
            continue
        fields = text[text.rfind(b")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != b"Z":
            found.append(int(entry))
    return found


def start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "player", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as from a terminal


def wait_for_workers(proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # Encore, the resource tracker, the forkserver and at least one worker
        if len(group_members(proc.pid)) >= 4:
            return
        assert proc.poll() is None, "finished before its workers were seen"
        time.sleep(0.1)
    raise AssertionError("no worker processes started")


def stop_and_measure(proc: subprocess.Popen[bytes], how: str) -> tuple[int, float]:
    """Stop Encore as `how` says; (its exit code, seconds until its whole group is gone)."""
    started = time.monotonic()
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGKILL if how == "kill-9" else signal.SIGTERM)
    try:
        code = proc.wait(timeout=30)
        while group_members(proc.pid) and time.monotonic() - started < 30:
            time.sleep(0.1)
        return code, time.monotonic() - started
    finally:
        for pid in group_members(proc.pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def long_tracks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    source = make_audio(folder / "t0.ogg", seconds=90, freq=330)
    for i in range(1, 12):  # the scanner and the analyser read each path on its own
        os.link(source, folder / f"t{i}.ogg")
    return folder


@pytest.fixture(scope="module")
def many_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    source = make_audio(folder / "f0.ogg", seconds=1, metadata={"title": "T", "artist": "A"})
    for i in range(1, 6000):
        os.link(source, folder / f"f{i}.ogg")
    return folder


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm", "kill-9"])
def test_analysis_workers_die_with_encore(tmp_path: Path, long_tracks: Path, how: str) -> None:
    db = tmp_path / "e.db"
    assert main(["--db", str(db), "scan", str(long_tracks), "--workers", "1"]) == 0
    proc = start("--db", str(db), "analyze", "--workers", "2")
    wait_for_workers(proc)
    code, seconds = stop_and_measure(proc, how)
    assert code == {"ctrl-c": 130, "sigterm": -signal.SIGTERM, "kill-9": -signal.SIGKILL}[how]
    assert not group_members(proc.pid), "worker processes outlived Encore"
    assert seconds < 15


@pytest.mark.parametrize("how", ["ctrl-c", "kill-9"])
def test_scan_stops_promptly_and_leaves_no_workers(tmp_path: Path, many_files: Path, how: str) -> None:
    proc = start("--db", str(tmp_path / "e.db"), "scan", str(many_files), "--workers", "2")
    wait_for_workers(proc)
    code, seconds = stop_and_measure(proc, how)
    assert code == (130 if how == "ctrl-c" else -signal.SIGKILL)
    assert not group_members(proc.pid)
    assert seconds < 15
