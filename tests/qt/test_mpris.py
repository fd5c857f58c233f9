"""MPRIS2 on the session bus, driven by dbus-send as a desktop would (run under dbus-run-session)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtDBus import QDBusConnection

from player.core.clock import FakeClock
from player.db.tracks import TrackRepository
from player.engine.null import NullEngine
from player.playback.service import PlaybackService
from player.qt.mpris import OBJECT_PATH, MprisService
from player.qt.playback_bridge import PlaybackBridge
from tests.factories import add_tracks


@pytest.fixture
def mpris(qapp, db):
    if not QDBusConnection.sessionBus().isConnected() or shutil.which("dbus-send") is None:
        pytest.skip("no D-Bus session bus (run under dbus-run-session)")
    add_tracks(db, 3)
    clock = FakeClock()
    service = PlaybackService(NullEngine(clock=clock, check_files=False), db, clock)
    bridge = PlaybackBridge(service)
    mpris = MprisService(bridge)
    assert mpris.register()
    yield mpris, service, clock
    mpris.unregister()
    bridge.shutdown()


def dbus_send(qtbot, mpris: MprisService, *args: str) -> str:
    """Runs dbus-send while the Qt loop keeps answering, returns its printed reply."""
    proc = subprocess.Popen(
        ["dbus-send", "--session", "--print-reply", f"--dest={mpris.service_name}", OBJECT_PATH, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=5000)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    return out


def get(qtbot, mpris: MprisService, name: str, iface: str = "org.mpris.MediaPlayer2.Player") -> str:
    return dbus_send(qtbot, mpris, "org.freedesktop.DBus.Properties.Get", f"string:{iface}",
                     f"string:{name}")


def test_status_metadata_and_transport_over_dbus(qtbot, mpris) -> None:
    mp, service, clock = mpris
    assert 'string "Stopped"' in get(qtbot, mp, "PlaybackStatus")
    assert 'string "Encore"' in get(qtbot, mp, "Identity", "org.mpris.MediaPlayer2")
    tracks = TrackRepository(service.db).all()
    service.play_tracks(tracks, 0)
    assert 'string "Playing"' in get(qtbot, mp, "PlaybackStatus")
    meta = get(qtbot, mp, "Metadata")
    assert f'string "{tracks[0].title}"' in meta and "mpris:length" in meta
    assert f'object path "/org/encore/track/{tracks[0].id}"' in meta
    dbus_send(qtbot, mp, "org.mpris.MediaPlayer2.Player.PlayPause")
    assert service.state.paused
    assert 'string "Paused"' in get(qtbot, mp, "PlaybackStatus")
    dbus_send(qtbot, mp, "org.mpris.MediaPlayer2.Player.Play")
    assert not service.state.paused
    dbus_send(qtbot, mp, "org.mpris.MediaPlayer2.Player.Next")
    assert service.state.current == tracks[1]
    dbus_send(qtbot, mp, "org.mpris.MediaPlayer2.Player.Seek", "int64:20000000")
    assert service.state.position_ms == 20000
    assert "int64 20000000" in get(qtbot, mp, "Position")
    dbus_send(qtbot, mp, "org.mpris.MediaPlayer2.Player.SetPosition",
              f"objpath:/org/encore/track/{tracks[1].id}", "int64:5000000")
    assert service.state.position_ms == 5000
    dbus_send(qtbot, mp, "org.mpris.MediaPlayer2.Player.SetPosition",
              f"objpath:/org/encore/track/{tracks[0].id}", "int64:9000000")  # stale id: ignored
    assert service.state.position_ms == 5000
    dbus_send(qtbot, mp, "org.mpris.MediaPlayer2.Player.Previous")
    assert service.state.current == tracks[1]  # more than 3 s in: restarts the track
    dbus_send(qtbot, mp, "org.mpris.MediaPlayer2.Player.Stop")
    assert not service.state.playing


def test_introspection_lists_both_interfaces(qtbot, mpris) -> None:
    mp, _, _ = mpris
    xml = dbus_send(qtbot, mp, "org.freedesktop.DBus.Introspectable.Introspect")
    for name in ('interface name="org.mpris.MediaPlayer2"', 'interface name="org.mpris.MediaPlayer2.Player"',
                 'method name="PlayPause"', 'method name="SetPosition"', 'property name="Metadata" type="a{sv}"'):
        assert name in xml


def test_no_session_bus_means_no_mpris(qapp, db) -> None:
    clock = FakeClock()
    bridge = PlaybackBridge(PlaybackService(NullEngine(clock=clock), db, clock))
    unconnected = QDBusConnection("encore-test-not-connected")
    assert not MprisService(bridge, bus=unconnected).register()


def test_properties_changed_is_announced_with_the_right_signature(qtbot, mpris, tmp_path) -> None:
    if shutil.which("dbus-monitor") is None:
        pytest.skip("needs dbus-monitor")
    mp, service, _ = mpris
    capture = tmp_path / "bus.pcap"
    with capture.open("wb") as out:
        monitor = subprocess.Popen(["dbus-monitor", "--session", "--pcap",
                                    "member=PropertiesChanged"], stdout=out, stderr=subprocess.DEVNULL)
        get(qtbot, mp, "PlaybackStatus")  # the monitor is attached once a round trip is done
        qtbot.wait(300)
        service.play_tracks(TrackRepository(service.db).all(), 0)
        qtbot.waitUntil(lambda: b"Playing" in capture.read_bytes(), timeout=5000)
        monitor.terminate()
        monitor.wait()
    data = capture.read_bytes()
    assert b"sa{sv}as" in data and b"sa{sv}av" not in data
    assert b"org.mpris.MediaPlayer2.Player" in data
