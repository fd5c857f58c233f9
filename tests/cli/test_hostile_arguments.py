"""Hostile command lines: each gets a plain message naming the option, no traceback, no hang."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from player.cli import main
from tests.factories import LISTENS_TSV

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse refuses with exit code 2
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv,option", [
    (["play", "x.ogg", "--rate", "0"], "--rate"),
    (["play", "x.ogg", "--rate", "-2"], "--rate"),
    (["play", "x.ogg", "--rate", "nan"], "--rate"),
    (["play", "x.ogg", "--rate", "inf"], "--rate"),
    (["play", "x.ogg", "--heartbeat", "0"], "--heartbeat"),
    (["history", "--limit", "99999999999999999999"], "--limit"),
    (["tracks", "--limit", "-1"], "--limit"),
    (["radio", "x", "--count", "100000000000000000000"], "--count"),
    (["analyze", "--limit", "99999999999999999999"], "--limit"),
    (["scan", "--workers", "0"], "--workers"),
    (["recap", "9999"], "YEAR"),
    (["recap", "-5"], "YEAR"),
    (["playlist", "smart", "S", "--limit", "99999999999999999999"], "--limit"),
    (["playlist", "smart", "S", "--days", "nan"], "--days"),
])
def test_impossible_option_values_are_refused_naming_the_option(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], option: str) -> None:
    db = tmp_path / "e.db"
    code, _, err = run(capsys, "--db", str(db), *argv)
    assert code == 2
    assert option in err and "Traceback" not in err
    assert not db.exists()  # refused before anything was opened or written


def test_the_last_supported_recap_year_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(tmp_path / "e.db"), "recap", "9998", "--json", "--no-mixes")
    assert code == 0, err


@pytest.mark.parametrize("argv", [["playlist", "create", "\udcff\udcfe"], ["tracks", "--search", "a\udcff"]])
def test_text_that_is_not_utf8_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            argv: list[str]) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "e.db"), *argv)
    assert code == 2 and "not UTF-8" in err


def test_a_folder_named_like_a_verb_does_not_turn_the_verb_into_a_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    if not LISTENS_TSV.exists():
        pytest.skip("the Last.fm-1K sample is absent")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "import").mkdir()
    code, out, err = run(capsys, "--db", str(tmp_path / "e.db"), "import", str(LISTENS_TSV), "--tz", "UTC")
    assert code == 0, err
    assert "Imported: 5,000 new listens" in out


def test_playing_a_device_is_refused_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "e.db"), "--engine", "null", "play", "/dev/zero")
    assert code == 2 and "not a regular file" in err and "device" in err


@pytest.mark.parametrize("verb", [["import"], ["playlist", "import"], ["play", "--engine", "null"]])
def test_a_fifo_is_refused_without_hanging(tmp_path: Path, verb: list[str]) -> None:
    fifo = tmp_path / ("list.m3u" if "playlist" in verb else "history.json")
    os.mkfifo(fifo)  # nobody ever writes: a blocking open or read would wait forever
    proc = subprocess.run([sys.executable, "-m", "player", "--db", str(tmp_path / "e.db"), *verb,
                           str(fifo)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "pipe" in proc.stderr and "Traceback" not in proc.stderr
