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
    def __init__(self, write: Callable[[QueueColumns], None], delay_s: float = 1.0) -> None:
        """delay_s: wait this long after the last change before writing (debounced: a burst of
        changes is one write, and the write never competes with the call that made it)."""
        self._write = write
        self._delay = delay_s
        self._flushing = False
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
        """Write what is pending now and wait for it; False on timeout."""
        with self._cond:
            self._flushing = True
            self._cond.notify_all()
            try:
                return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)
            finally:
                self._flushing = False

    def discard(self) -> None:
        """Forget what is pending (a newer queue was saved another way); waits out a write
        already running, so an older queue can never land after the newer one."""
        with self._cond:
            self._pending = None
            self._cond.wait_for(lambda: not self._busy)

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
                # debounce: until no newer queue came for delay_s (or a flush asks now)
                while not (self._flushing or self._closed):
                    seen = self._pending
                    self._cond.wait(self._delay)
                    if self._pending is seen:
                        break
                columns, self._pending, self._busy = self._pending, None, True
            try:
                self._write(columns)
            except Exception:  # a failed save must not kill the saver: the next one retries
                log.exception("saving the queue failed")
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
