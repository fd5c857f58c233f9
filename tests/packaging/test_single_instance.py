"""Single instance: a second start hands its files over instead of opening the database again."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket

from player.qt.single_instance import (
    SingleInstance,
    decode_message,
    encode_message,
    instance_name,
)


@pytest.fixture
def name(tmp_path: Path) -> str:
    return str(tmp_path / f"si-{uuid.uuid4().hex[:8]}")


def test_first_instance_listens_second_hands_over(qtbot, name: str, tmp_path: Path) -> None:
    first = SingleInstance(name)
    assert first.try_handover([]) is False
    assert first.listening
    second = SingleInstance(name)
    song = tmp_path / "song.flac"
    events: list[object] = []
    first.activate_requested.connect(lambda: events.append("activate"))
    first.files_received.connect(events.append)
    with qtbot.waitSignals([first.activate_requested, first.files_received]):
        assert second.try_handover([str(song), "https://example.invalid/x.ogg"]) is True
    assert events == ["activate", [str(song), "https://example.invalid/x.ogg"]]
    assert not second.listening
    first.close()


def test_relative_paths_become_absolute_in_the_sender(qtbot, name: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    first = SingleInstance(name)
    first.try_handover([])
    monkeypatch.chdir(tmp_path)
    with qtbot.waitSignal(first.files_received) as blocker:
        assert SingleInstance(name).try_handover(["a b.mp3"]) is True
    assert blocker.args[0] == [str(tmp_path / "a b.mp3")]
    first.close()


def test_no_files_only_activates(qtbot, name: str) -> None:
    first = SingleInstance(name)
    first.try_handover([])
    received: list[list[str]] = []
    first.files_received.connect(received.append)
    with qtbot.waitSignal(first.activate_requested):
        assert SingleInstance(name).try_handover([]) is True
    assert received == []
    first.close()


@pytest.mark.skipif(sys.platform == "win32", reason="Unix socket files")
def test_stale_socket_is_taken_over(name: str) -> None:
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(name)  # a socket file nobody accepts on, as after a crash
    stale.close()
    assert os.path.exists(name)
    instance = SingleInstance(name)
    assert instance.try_handover(["x.mp3"], timeout_ms=500) is False
    assert instance.listening
    instance.close()


def test_garbage_message_is_ignored_and_the_server_keeps_working(qtbot, name: str) -> None:
    first = SingleInstance(name)
    first.try_handover([])
    received: list[list[str]] = []
    first.files_received.connect(received.append)
    raw = QLocalSocket()
    raw.connectToServer(name)
    assert raw.waitForConnected(1000)
    raw.write(b"{not json\n")
    raw.flush()
    qtbot.waitUntil(lambda: raw.state() == QLocalSocket.LocalSocketState.UnconnectedState)
    assert received == []
    with qtbot.waitSignal(first.files_received):
        assert SingleInstance(name).try_handover(["/a.ogg"]) is True
    first.close()


def test_message_round_trip_and_rejects() -> None:
    assert decode_message(encode_message(["/a", "/b"]).rstrip(b"\n")) == (True, ["/a", "/b"])
    for bad in (b"[1]", b'{"files": [1]}', b'{"files": "x"}', b"\xff"):
        with pytest.raises(ValueError):
            decode_message(bad)


def test_instance_name_depends_on_the_database(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    a, b = instance_name(tmp_path / "a.db"), instance_name(tmp_path / "b.db")
    assert a != b and a.startswith("encore-")
    assert instance_name(tmp_path / "a.db") == a


@pytest.mark.skipif(sys.platform == "win32", reason="XDG runtime directory")
def test_instance_socket_lives_in_the_private_runtime_dir(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.delenv("FLATPAK_ID", raising=False)
    assert os.path.dirname(instance_name(tmp_path / "a.db")) == str(tmp_path)
    (tmp_path / "app" / "org.encore.Encore").mkdir(parents=True)
    monkeypatch.setenv("FLATPAK_ID", "org.encore.Encore")
    assert os.path.dirname(instance_name(tmp_path / "a.db")) == str(tmp_path / "app" /
                                                                     "org.encore.Encore")


def test_a_second_process_hands_files_to_the_first(qtbot, name: str, tmp_path: Path) -> None:
    """Two real processes: the first listens, this test process is the second start."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    first = subprocess.Popen([sys.executable, "-m", "player.qt.single_instance", name],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert first.stdout is not None
        assert first.stdout.readline().strip() == "listening"
        song = str(tmp_path / "song.flac")
        assert SingleInstance(name).try_handover([song]) is True
        out, _ = first.communicate(timeout=15)
        lines = out.splitlines()
        assert lines[0] == "activate"
        assert json.loads(lines[1].removeprefix("files ")) == [song]
        assert first.returncode == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
