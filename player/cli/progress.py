"""Progress bars for long verbs: tqdm on a terminal (count, rate, ETA), nothing otherwise.

tqdm is imported only when a bar is really shown, so `encore` starts as fast as before.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

Progress = Callable[..., None]  # (done, total, note="")


def progress_bar(label: str, enabled: bool = True, unit: str = "file") -> Progress | None:
    """A (done, total) callback drawing a bar on stderr, or None when stderr is not a
    terminal (a pipe, a log file, a test) or the verb prints JSON."""
    if not enabled or not sys.stderr.isatty():
        return None
    return _Bar(label, unit)


def _columns() -> int:
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        return 0


class _Bar:
    def __init__(self, label: str, unit: str) -> None:
        self.label = label
        self.unit = unit
        self.bar: Any = None

    def __call__(self, done: int, total: int, note: str = "") -> None:
        if self.bar is None:
            from tqdm import tqdm

            # A terminal that reports no size (a bare pty) would get no bar at all.
            sized = _columns() > 0
            self.bar = tqdm(total=total, desc=self.label, unit=self.unit, file=sys.stderr,
                            dynamic_ncols=sized, ncols=None if sized else 80,
                            nrows=None if sized else 24, leave=False)
        if total != self.bar.total:
            self.bar.total = total
        if note:
            self.bar.set_postfix_str(note, refresh=False)
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.close()
