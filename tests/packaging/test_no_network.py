"""Privacy made visible: Encore's main paths open no network connection.

Each path runs as a real `encore` process under `strace -f -e trace=network` (worker processes
included). Any socket(), connect(), bind() or send to an internet family (AF_INET, AF_INET6,
AF_PACKET) fails the test. AF_UNIX (D-Bus, the single-instance socket) is what a desktop app
uses locally; AF_NETLINK is a kernel-local channel (e.g. a library asking for the interfaces'
state) and is allowed, but listed when seen.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from player.cli import build_parser
from player.cli.file_args import verbs_of

ROOT = Path(__file__).resolve().parents[2]
ENCORE = [sys.executable, "-m", "player"]
DEMO = ROOT / "resources" / "demo"
TSV = ROOT.parent / "shared" / "data" / "listens" / "lastfm1k-user_000001.tsv"
FORBIDDEN = ("AF_INET", "AF_INET6", "AF_PACKET", "PF_INET", "PF_INET6")
_FAMILY = re.compile(r"\b(?:socket\((?P<domain>[AP]F_\w+)|sa_family=(?P<family>[AP]F_\w+))")


def _strace_works(tmp: Path) -> str:
    """'' when strace can trace a child here, else why not."""
    if shutil.which("strace") is None:
        return "strace is not installed (apt-get install strace)"
    log = tmp / "probe.log"
    probe = subprocess.run(["strace", "-f", "-qq", "-e", "trace=network", "-o", str(log),
                            sys.executable, "-c", "import socket; socket.socket(socket.AF_UNIX)"],
                           capture_output=True, text=True)
    if probe.returncode != 0 or "AF_UNIX" not in log.read_text(errors="replace"):
        return f"strace cannot trace in this sandbox: {probe.stderr.strip()[:200]}"
    return ""


def families(log: Path) -> list[tuple[str, str]]:
    """(family, strace line) for every socket family named in the trace."""
    found = []
    for line in log.read_text(errors="replace").splitlines():
        for match in _FAMILY.finditer(line):
            found.append((match.group("domain") or match.group("family"), line.strip()))
    return found


def forbidden(log: Path) -> list[str]:
    return [line for family, line in families(log) if family in FORBIDDEN]


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("no-network")
    why = _strace_works(tmp)
    if why:
        pytest.skip(why)
    home = tmp / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               ENCORE_DB=str(tmp / "encore.db"), QT_QPA_PLATFORM="offscreen",
               ENCORE_AUDIO_OUTPUT="dummy", ENCORE_NO_FIRST_RUN="1", PYTHONPATH=str(ROOT))
    logs: dict[str, Path] = {}

    def run(name: str, *args: str, extra_env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        log = tmp / f"{name}.strace"
        command = ["strace", "-f", "-qq", "-e", "trace=network", "-e", "signal=none",
                   "-o", str(log), *ENCORE, *args]
        if shutil.which("dbus-run-session") and name == "gui":
            command = ["dbus-run-session", "--", *command]  # a private bus: MPRIS registers
        result = subprocess.run(command, capture_output=True, text=True, cwd=tmp, timeout=timeout,
                                env={**env, **(extra_env or {})})
        logs[name] = log
        assert result.returncode == 0, f"{name}: {result.stdout}\n{result.stderr}"
        return result

    return run, logs


def test_cli_paths_open_no_network_socket(traced) -> None:
    run, logs = traced
    verbs = verbs_of(build_parser())
    run("scan", "scan", str(DEMO))
    assert "Vibe Ace" in run("tracks", "tracks").stdout
    if TSV.is_file():
        run("import", "import", str(TSV), "--format", "lastfm1k", "--tz", "Asia/Tokyo")
    if "analyze" in verbs:
        run("analyze", "analyze", "--limit", "2")
    if "mix" in verbs:
        run("mix", "mix")
    if "play" in verbs:  # real libVLC with the dummy output, one short file
        run("play", "play", "--quiet", str(DEMO / "Mihai Sorohan - Solo Trumpet 06.ogg"))
    bad = {name: forbidden(log) for name, log in logs.items()}
    assert not any(bad.values()), f"network sockets opened: {bad}"
    assert {"scan", "tracks"} <= set(logs)


def test_gui_opens_only_local_sockets(traced) -> None:
    run, logs = traced
    run("gui", "--demo", extra_env={"ENCORE_QUIT_AFTER_MS": "3000"})
    seen = families(logs["gui"])
    assert not forbidden(logs["gui"]), forbidden(logs["gui"])
    # The trace really saw the app's sockets: Qt/D-Bus talk over AF_UNIX.
    assert any(family in ("AF_UNIX", "PF_UNIX", "AF_LOCAL") for family, _ in seen), seen[:5]


def test_the_checker_catches_an_internet_socket(tmp_path: Path) -> None:
    """The parser must see what it is meant to catch (so the tests above can fail)."""
    why = _strace_works(tmp_path)
    if why:
        pytest.skip(why)
    log = tmp_path / "inet.log"
    code = ("import socket\n"
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            "s.connect(('127.0.0.1', 9))\n")  # UDP connect sends nothing
    subprocess.run(["strace", "-f", "-qq", "-e", "trace=network", "-o", str(log),
                    sys.executable, "-c", code], check=True, capture_output=True)
    lines = forbidden(log)
    assert any(line.startswith(("socket(", "0")) or "socket(AF_INET" in line for line in lines)
    assert any("connect(" in line for line in lines)
