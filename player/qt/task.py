"""Run one function off the GUI thread; its result or error comes back as a queued signal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from player.core.errors import KnownError

log = logging.getLogger(__name__)
_RUNNING: set[Task] = set()  # keeps each task (and its signals) alive until it reported


class TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(str)


class Task(QRunnable):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = TaskSignals()

    def run(self) -> None:
        try:
            result = self.work()
        except KnownError as exc:
            self.signals.failed.emit(str(exc))
            return
        except Exception as exc:  # a bug: logged, and the caller still hears back
            log.exception("background task failed")
            self.signals.failed.emit(f"Something went wrong: {exc}")
            return
        self.signals.done.emit(result)


def run_task(work: Callable[[], Any], on_done: Callable[[Any], None],
             on_failed: Callable[[str], None], pool: QThreadPool | None = None) -> Task:
    task = Task(work)
    task.setAutoDelete(False)
    _RUNNING.add(task)
    task.signals.done.connect(on_done)
    task.signals.failed.connect(on_failed)
    task.signals.done.connect(lambda _result: _RUNNING.discard(task))
    task.signals.failed.connect(lambda _message: _RUNNING.discard(task))
    (pool or QThreadPool.globalInstance()).start(task)
    return task
