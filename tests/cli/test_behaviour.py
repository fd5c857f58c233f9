"""The command line as scripts and terminals use it: closed pipes, progress bars, --help."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from player.cli import build_parser
from tests.factories import LIBROSA, add_tracks, make_db

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """2,000 tracks: their listing is far bigger than a pipe's 64 kB buffer."""
    path = tmp_path_factory.mktemp("big") / "encore.db"
    db = make_db(path.parent, path.name)
    add_tracks(db, 2000)
    db.close()
    return str(path)


@pytest.mark.parametrize("verb", [["tracks", "--json"], ["tracks"], ["--help"], ["tag", "--help"]])
def test_a_reader_closing_the_pipe_ends_the_verb_quietly(big_db: str, verb: list[str]) -> None:
    """`encore tracks --json | head -1`: one line read, then the pipe closed."""
    proc = subprocess.Popen([sys.executable, "-m", "player", "--db", big_db, *verb], cwd=ROOT,
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    error = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert first.strip()
    assert error == ""  # no BrokenPipeError traceback, no "Exception ignored"


def test_every_verb_has_an_example_and_the_exit_status() -> None:
    parser = build_parser()
    verbs = next(a for a in parser._actions if isinstance(a, __import__("argparse")._SubParsersAction))
    for name, sub in verbs.choices.items():
        text = sub.format_help()
        assert "example" in text and "exit status" in text, name
        assert f"encore {sub.prog.split()[-1]}" in text.split("example", 1)[1], name  # an alias shows its verb's
    assert "1 some items failed" in parser.format_help()


def test_scan_shows_no_progress_when_stderr_is_a_pipe(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "player", "--db", str(tmp_path / "e.db"),
                             "scan", str(LIBROSA)], cwd=ROOT, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""


def test_scan_shows_a_bar_with_rate_and_eta_on_a_terminal(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "player", "--db", str(tmp_path / "e.db"),
                             "scan", str(LIBROSA)], cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    assert proc.wait(timeout=60) == 0
    os.close(leader)
    text = shown.decode("utf-8", "replace")
    assert "scanning" in text and "file/s" in text  # the rate
    assert "<" in text  # tqdm's "elapsed<remaining" (the ETA)


@pytest.mark.parametrize("typed, suggestion", [("scna", "scan"), ("issues", "scan-issues"),
                                               ("trakcs", "tracks"), ("zzz", "")])
def test_a_mistyped_verb_is_a_usage_error_not_a_window(tmp_path: Path, capsys, monkeypatch,
                                                       typed: str, suggestion: str) -> None:
    from player.cli import main

    monkeypatch.chdir(tmp_path)  # no file of that name here
    with pytest.raises(SystemExit) as exited:
        main(["--db", str(tmp_path / "e.db"), typed])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert f"'{typed}' is neither a verb nor a file" in error
    assert (f"did you mean '{suggestion}'?" if suggestion else "see encore --help") in error
    assert not (tmp_path / "e.db").exists()


def test_a_bare_word_naming_a_file_is_still_a_file(tmp_path: Path, monkeypatch) -> None:
    from player.cli.file_args import unknown_verb

    monkeypatch.chdir(tmp_path)
    assert unknown_verb(["scna"], {"scan"}) != ""
    (tmp_path / "scna").write_bytes(b"")
    assert unknown_verb(["scna"], {"scan"}) == ""  # it exists: a file to open
    assert unknown_verb(["song.flac"], {"scan"}) == ""  # a missing file is reported by the player
    assert unknown_verb([], {"scan"}) == ""
