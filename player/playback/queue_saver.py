"""Saving the queue off the GUI thread: the latest version wins, older ones are skipped.

Turning 100,000 entries into JSON takes a good part of a second; PlaybackService hands the
frozen columns (QueueColumns, taken in microseconds) to this one background thread instead,
and flush()es before it quits so the last queue is always on disk.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from player.core.queue import QueueColumns

log = logging.getLogger(__name__)


class QueueSaver:
    def __init__(self, write: Callable[[QueueColumns], None]) -> None:
        self._write = write
        self._pending: QueueColumns | None = None
        self._busy = False
        self._closed = False
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, columns: QueueColumns) -> None:
        """Save these columns soon (replacing any not yet written)."""
        with self._cond:
            self._pending = columns
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="queue-saver", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until everything submitted is written; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)

    def close(self) -> None:
        self.flush()
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending is not None or self._closed)
                if self._pending is None:
                    return
                columns, self._pending, self._busy = self._pending, None, True
            try:
                self._write(columns)
            except Exception:  # a failed save must not kill the saver: the next one retries
                log.exception("saving the queue failed")
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
