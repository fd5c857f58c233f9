"""Reading one file's tags and fingerprint; runs inside worker processes."""

from __future__ import annotations

import contextlib
import hashlib
import os

from player.core.errors import KnownError
from player.core.models import ScanIssue
from player.db.tracks import ScannedFile
from player.tags import read_tags

_FINGERPRINT_BYTES = 8192


def fingerprint(path: str, size: int) -> str:
    """Size plus a hash of a block from the middle of the file (the audio, not the tags)."""
    with open(path, "rb") as handle:
        handle.seek(max(0, size // 2 - _FINGERPRINT_BYTES // 2))
        block = handle.read(_FINGERPRINT_BYTES)
    return f"{size}:{hashlib.sha1(block).hexdigest()[:20]}"


def read_file(job: tuple[str, str]) -> ScannedFile | ScanIssue | None:
    """Tags, stat and fingerprint of one file; an issue when unreadable; None when it vanished."""
    path, root = job
    try:
        st = os.stat(path)
        tags = read_tags(path, root)
        return ScannedFile(path, st.st_size, st.st_mtime, fingerprint(path, st.st_size), tags)
    except FileNotFoundError:
        return None
    except KnownError as exc:
        return ScanIssue(path, exc.message)
    except OSError as exc:
        return ScanIssue(path, f"cannot read file: {exc.strerror or exc}")
    except MemoryError:
        return ScanIssue(path, "file too large to read its tags")
    except Exception as exc:  # a tag reader bug must not stop the scan: report it as an issue
        return ScanIssue(path, f"unexpected error reading tags: {type(exc).__name__}: {exc}")


def lower_priority() -> None:
    """Worker initialiser: scanning is background work."""
    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)
