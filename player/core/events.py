"""Domain events: services announce what changed, views subscribe and refresh themselves.

Pure Python (no Qt): publishers call `EventBus.publish` from any thread; subscribers are called
synchronously on the publishing thread. The Qt side (`qt/event_bridge.py`) re-emits them as
queued signals so that widgets only ever hear them on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Literal, TypedDict

EventName = Literal[
    "library_changed",  # tracks added, removed, moved or re-tagged
    "history_changed",  # listens written (import, delete, a finished listen)
    "feedback_changed",  # likes, bans ("don't play this")
    "preferences_changed",  # settings saved
    "analysis_progress",  # audio analysis stored results (done / total)
    "playlists_changed",  # playlists created, edited, deleted or imported
]
EVENT_NAMES: tuple[EventName, ...] = (
    "library_changed", "history_changed", "feedback_changed", "preferences_changed",
    "analysis_progress", "playlists_changed",
)


class EventPayload(TypedDict, total=False):
    track_ids: list[int]  # the tracks concerned, when known (empty/missing = possibly all)
    keys: list[str]  # preferences_changed: the keys saved
    done: int  # analysis_progress
    total: int  # analysis_progress
    reason: str  # a short word on why (e.g. "import", "scan", "ban")


Subscriber = Callable[[EventName, EventPayload], None]

log = logging.getLogger(__name__)


class EventBus:
    """A tiny publish/subscribe hub; one per application (built in the composition root)."""

    def __init__(self) -> None:
        self._subscribers: dict[EventName, list[Subscriber]] = {name: [] for name in EVENT_NAMES}
        self._lock = threading.Lock()

    def subscribe(self, name: EventName, callback: Subscriber) -> Callable[[], None]:
        """Calls `callback(name, payload)` on every `publish(name, ...)`; returns unsubscribe."""
        with self._lock:
            self._subscribers[name].append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers[name]:
                    self._subscribers[name].remove(callback)

        return unsubscribe

    def publish(self, name: EventName, payload: EventPayload | None = None) -> None:
        """Calls every subscriber; one that raises is logged and does not stop the others."""
        with self._lock:
            callbacks = list(self._subscribers[name])
        for callback in callbacks:
            try:
                callback(name, payload or {})
            except Exception:  # a broken view must not break the service that published
                log.exception("subscriber of %s failed", name)
