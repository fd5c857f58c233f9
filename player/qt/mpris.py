"""MPRIS2 over QtDBus: the desktop's media controls (and media keys on Linux) drive Encore.

Two adaptors on one object at /org/mpris/MediaPlayer2: org.mpris.MediaPlayer2 (identity,
raise, quit) and org.mpris.MediaPlayer2.Player (transport, seek, metadata, status).
Property changes are announced with org.freedesktop.DBus.Properties.PropertiesChanged.
Without a session bus (a server, some CI) register() returns False and nothing else happens.
"""

# PySide6's stubs do not know ClassInfo(dict) nor type names given as strings (D-Bus
# types such as "qlonglong"), both of which work at run time.
# mypy: disable-error-code="call-arg,operator,arg-type"

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import ClassInfo, Property, QMetaType, QObject, Signal, Slot
from PySide6.QtDBus import (
    QDBusAbstractAdaptor,
    QDBusArgument,
    QDBusConnection,
    QDBusMessage,
    QDBusObjectPath,
)

from player.core.models import Track
from player.playback.state import PlaybackState
from player.qt.playback_bridge import PlaybackBridge

OBJECT_PATH = "/org/mpris/MediaPlayer2"
SERVICE_NAME = "org.mpris.MediaPlayer2.encore"
ROOT_IFACE = "org.mpris.MediaPlayer2"
PLAYER_IFACE = "org.mpris.MediaPlayer2.Player"
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"
LOOP_STATUS = {"off": "None", "all": "Playlist", "one": "Track"}


def track_object_path(track: Track) -> str:
    return f"/org/encore/track/{max(0, track.id)}"


def playback_status(state: PlaybackState) -> str:
    if not state.playing:
        return "Stopped"
    return "Paused" if state.paused else "Playing"


def metadata(state: PlaybackState) -> dict[str, Any]:
    """The MPRIS Metadata map of the current track (times in microseconds)."""
    track = state.current
    if track is None:
        return {"mpris:trackid": QDBusObjectPath(NO_TRACK)}
    data: dict[str, Any] = {
        "mpris:trackid": QDBusObjectPath(track_object_path(track)),
        "mpris:length": int(max(state.duration_ms, int(track.duration * 1000)) * 1000),
        "xesam:title": track.title,
        "xesam:url": "file://" + track.path,
    }
    if track.artist:
        data["xesam:artist"] = [track.artist]
    if track.album:
        data["xesam:album"] = track.album
    if track.album_artist:
        data["xesam:albumArtist"] = [track.album_artist]
    if track.genre:
        data["xesam:genre"] = track.genre.split("; ")
    if track.track_number:
        data["xesam:trackNumber"] = int(track.track_number)
    return data


# The adaptors reach their MprisService through Qt's parent(), never a Python attribute: an
# attribute made a reference cycle, so an unregistered service (no session bus) was freed by
# Python's cyclic GC in whatever thread ran it, and QtDBus, which relays every signal of the
# parent (QObject's destroyed too), warned "cannot relay signals from parent QObject(...)
# unless they are emitted in the object's thread" at start.
class _Adaptor(QDBusAbstractAdaptor):
    @property
    def owner(self) -> MprisService:
        return self.parent()  # type: ignore[return-value]


@ClassInfo({"D-Bus Interface": ROOT_IFACE})
class RootAdaptor(_Adaptor):

    @Slot()
    def Raise(self) -> None:  # noqa: N802 (D-Bus names)
        self.owner.raise_window()

    @Slot()
    def Quit(self) -> None:  # noqa: N802
        self.owner.quit_requested.emit()

    CanQuit = Property(bool, lambda self: True)
    CanRaise = Property(bool, lambda self: True)
    HasTrackList = Property(bool, lambda self: False)
    Identity = Property(str, lambda self: "Encore")
    DesktopEntry = Property(str, lambda self: "encore")
    SupportedUriSchemes = Property("QStringList", lambda self: ["file"])
    SupportedMimeTypes = Property("QStringList", lambda self: ["audio/mpeg", "audio/flac", "audio/ogg"])


@ClassInfo({"D-Bus Interface": PLAYER_IFACE})
class PlayerAdaptor(_Adaptor):
    Seeked = Signal("qlonglong")

    def __init__(self, owner: MprisService) -> None:
        super().__init__(owner)
        self.service = owner.bridge.service

    def _state(self) -> PlaybackState:
        return self.owner.bridge.state

    @Slot()
    def Play(self) -> None:  # noqa: N802
        self.service.play()

    @Slot()
    def Pause(self) -> None:  # noqa: N802
        self.service.pause()

    @Slot()
    def PlayPause(self) -> None:  # noqa: N802
        self.service.toggle_pause()

    @Slot()
    def Stop(self) -> None:  # noqa: N802
        self.service.stop()

    @Slot()
    def Next(self) -> None:  # noqa: N802
        self.service.next()

    @Slot()
    def Previous(self) -> None:  # noqa: N802
        self.service.previous()

    @Slot("qlonglong")
    def Seek(self, offset_us: int) -> None:  # noqa: N802
        state = self._state()
        if state.current is not None:
            self.service.seek(max(0, state.position_ms + int(offset_us) // 1000))
            self.Seeked.emit(self._state().position_ms * 1000)

    @Slot(QDBusObjectPath, "qlonglong")
    def SetPosition(self, track_id: QDBusObjectPath, position_us: int) -> None:  # noqa: N802
        state = self._state()
        if state.current is None or track_id.path() != track_object_path(state.current):
            return  # the spec: ignore a stale track id
        if 0 <= position_us <= state.duration_ms * 1000:
            self.service.seek(int(position_us) // 1000)
            self.Seeked.emit(self._state().position_ms * 1000)

    PlaybackStatus = Property(str, lambda self: playback_status(self._state()))
    LoopStatus = Property(str, lambda self: LOOP_STATUS[self._state().repeat])
    Shuffle = Property(bool, lambda self: self._state().shuffle)
    Metadata = Property("QVariantMap", lambda self: metadata(self._state()))
    Volume = Property(float, lambda self: self._state().volume / 100.0)
    Position = Property("qlonglong", lambda self: self._state().position_ms * 1000)
    Rate = Property(float, lambda self: 1.0)
    MinimumRate = Property(float, lambda self: 1.0)
    MaximumRate = Property(float, lambda self: 1.0)
    CanGoNext = Property(bool, lambda self: True)
    CanGoPrevious = Property(bool, lambda self: True)
    CanPlay = Property(bool, lambda self: len(self._state().queue) > 0)
    CanPause = Property(bool, lambda self: True)
    CanSeek = Property(bool, lambda self: self._state().current is not None)
    CanControl = Property(bool, lambda self: True)


class MprisService(QObject):
    quit_requested = Signal()

    def __init__(self, bridge: PlaybackBridge, raise_window: Callable[[], Any] | None = None,
                 bus: QDBusConnection | None = None) -> None:
        super().__init__()
        self.bridge = bridge
        self.raise_window = raise_window or (lambda: None)
        self.bus = bus or QDBusConnection.sessionBus()
        RootAdaptor(self)  # owned by self (their Qt parent): see _Adaptor
        PlayerAdaptor(self)
        self.service_name = ""
        self._last: dict[str, Any] = {}

    def register(self) -> bool:
        """Claims the bus name and exports the object; False when there is no session bus."""
        if not self.bus.isConnected():
            return False
        if not self.bus.registerObject(OBJECT_PATH, self):
            return False
        for name in (SERVICE_NAME, f"{SERVICE_NAME}.instance{os.getpid()}"):
            if self.bus.registerService(name):
                self.service_name = name
                break
        if not self.service_name:
            self.bus.unregisterObject(OBJECT_PATH)
            return False
        for signal in (self.bridge.track_changed, self.bridge.state_changed, self.bridge.queue_changed):
            signal.connect(self._announce)
        self._last = self._properties(self.bridge.state)
        return True

    def unregister(self) -> None:
        if self.service_name:
            self.bus.unregisterService(self.service_name)
            self.bus.unregisterObject(OBJECT_PATH)
            self.service_name = ""

    @staticmethod
    def _properties(state: PlaybackState) -> dict[str, Any]:
        return {
            "PlaybackStatus": playback_status(state), "LoopStatus": LOOP_STATUS[state.repeat],
            "Shuffle": state.shuffle, "Metadata": metadata(state), "Volume": state.volume / 100.0,
            "CanPlay": len(state.queue) > 0, "CanSeek": state.current is not None,
        }

    def _announce(self, state: PlaybackState) -> None:
        """PropertiesChanged with the properties that differ from the last announcement."""
        now = self._properties(state)
        changed = {k: v for k, v in now.items() if _differs(self._last.get(k), v)}
        self._last = now
        if not changed:
            return
        message = QDBusMessage.createSignal(OBJECT_PATH, "org.freedesktop.DBus.Properties",
                                            "PropertiesChanged")
        message.setArguments([PLAYER_IFACE, changed, _empty_string_array()])
        self.bus.send(message)


def _empty_string_array() -> QDBusArgument:
    """An empty D-Bus "as" (a Python [] would go out as "av", which clients reject)."""
    argument = QDBusArgument()
    argument.beginArray(QMetaType(QMetaType.Type.QString))
    argument.endArray()
    return argument


def _differs(old: Any, new: Any) -> bool:
    if isinstance(new, dict) and isinstance(old, dict):
        return {k: _plain(v) for k, v in old.items()} != {k: _plain(v) for k, v in new.items()}
    return bool(old != new)


def _plain(value: Any) -> Any:
    return value.path() if isinstance(value, QDBusObjectPath) else value
