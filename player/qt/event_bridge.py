"""The domain events (core/events.py) as Qt signals, always delivered on the GUI thread.

Services publish from whatever thread did the work (a scan, an import, the analysis); the
bridge, created on the GUI thread, re-emits each event as a signal of its own. Qt queues a
signal emitted from another thread to the receiver's thread, so a view's slot runs on the GUI
thread and may touch widgets. Views call `on(name, slot)` and refresh themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from player.core.events import EVENT_NAMES, EventBus, EventName, EventPayload


class EventBridge(QObject):
    relayed = Signal(str, object)  # name, payload (dict)
    library_changed = Signal(object)
    history_changed = Signal(object)
    feedback_changed = Signal(object)
    preferences_changed = Signal(object)
    analysis_progress = Signal(object)
    playlists_changed = Signal(object)

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bus = bus
        self._unsubscribe = [bus.subscribe(name, self._relay) for name in EVENT_NAMES]
        # one hop to the GUI thread, then the per-name signals (direct, already there)
        self.relayed.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)

    def _relay(self, name: EventName, payload: EventPayload) -> None:
        self.relayed.emit(name, dict(payload))

    def _dispatch(self, name: str, payload: dict[str, Any]) -> None:
        getattr(self, name).emit(payload)

    def on(self, name: EventName, slot: Callable[[dict[str, Any]], Any]) -> None:
        """Call slot(payload) on the GUI thread after every `name` event."""
        getattr(self, name).connect(slot)

    def close(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
