"""Where Encore writes its log: a file in the platform's log/state directory that a user can
find (Help > About shows `log_path()`), with warnings and errors of every part, plus
`faulthandler` so that a hard crash (a segfault in a native library) leaves a traceback."""

from __future__ import annotations

import faulthandler
import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

LOG_NAME = "encore.log"
_fault_file: IO[str] | None = None  # kept open: faulthandler writes to its descriptor at crash time


def log_dir() -> Path:
    """ENCORE_LOG_DIR, else the platform's user log directory (~/.local/state/encore/log)."""
    env = os.environ.get("ENCORE_LOG_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_log_dir("encore", appauthor=False))


def log_path() -> Path:
    return log_dir() / LOG_NAME


def install(level: int = logging.WARNING) -> Path | None:
    """Send log records of `level` and above to the log file and turn faulthandler on.
    Returns the file's path, or None when it cannot be written (then logging stays as it was)."""
    global _fault_file
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=2, encoding="utf-8")
    except OSError:
        return None
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path
               for h in root.handlers):
        root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    if _fault_file is None:
        try:
            _fault_file = open(path, "a", encoding="utf-8")  # noqa: SIM115 (open for the process)
            faulthandler.enable(file=_fault_file, all_threads=True)
        except OSError:
            _fault_file = None
    return path
