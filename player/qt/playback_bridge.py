"""PlaybackService on the Qt event loop: a QTimer drives tick(), events become Qt signals.

The service runs on the GUI thread (its tick() is short: drain engine events, read the
position, maybe a heartbeat), so listener calls arrive on the GUI thread and are re-emitted
directly. Widgets connect to these signals and never hold the service.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from player.playback.service import PlaybackService
from player.playback.state import PlaybackEvent, PlaybackState

TICK_MS = 150


class PlaybackBridge(QObject):
    track_changed = Signal(object)  # PlaybackState (state.current may be None)
    state_changed = Signal(object)  # PlaybackState
    queue_changed = Signal(object)  # PlaybackState
    position_changed = Signal(int, int)  # position ms, duration ms
    error = Signal(str)
    notice = Signal(str)  # not an error: e.g. "Converting … for playback"
    queue_finished = Signal(object)  # the last Track played (the queue ran out by itself)
    skipped = Signal(object, str)  # Track, source of its listen (see PlaybackEvent)

    def __init__(self, service: PlaybackService, interval_ms: int = TICK_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        service.add_listener(self._on_event)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.service.tick)
        self._closed = False

    def start(self) -> None:
        self.timer.start()

    @property
    def state(self) -> PlaybackState:
        return self.service.state

    def _on_event(self, event: PlaybackEvent) -> None:
        if self._closed:
            return
        state = event.state
        if event.kind == "position":
            self.position_changed.emit(state.position_ms, state.duration_ms)
        elif event.kind == "track_changed":
            self.track_changed.emit(state)
            self.position_changed.emit(state.position_ms, state.duration_ms)
        elif event.kind == "state_changed":
            self.state_changed.emit(state)
        elif event.kind == "queue_changed":
            self.queue_changed.emit(state)
        elif event.kind == "skipped" and event.track is not None:
            self.skipped.emit(event.track, event.source)
        elif event.kind == "queue_finished" and event.track is not None:
            self.queue_finished.emit(event.track)
        elif event.kind == "notice":
            self.notice.emit(event.message)
        elif event.kind == "error":
            name = event.track.title if event.track else "a track"
            self.error.emit(f"Could not play {name}: {event.message}")

    def shutdown(self) -> None:
        """Stop ticking and close the open listen ("app quit")."""
        self.timer.stop()
        self._closed = True
        self.service.remove_listener(self._on_event)
        self.service.shutdown()
