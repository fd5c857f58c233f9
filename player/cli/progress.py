"""Progress bars for long verbs: tqdm on a terminal (count, rate, ETA), nothing otherwise.

tqdm is imported only when a bar is really shown, so `encore` starts as fast as before.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

Progress = Callable[[int, int], None]  # (done, total)


def progress_bar(label: str, enabled: bool = True, unit: str = "file") -> Progress | None:
    """A (done, total) callback drawing a bar on stderr, or None when stderr is not a
    terminal (a pipe, a log file, a test) or the verb prints JSON."""
    if not enabled or not sys.stderr.isatty():
        return None
    return _Bar(label, unit)


class _Bar:
    def __init__(self, label: str, unit: str) -> None:
        self.label = label
        self.unit = unit
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=self.label, unit=self.unit, file=sys.stderr,
                            dynamic_ncols=True, leave=False)
        if total != self.bar.total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.close()
