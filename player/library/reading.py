"""Reading one file's tags and fingerprint; runs inside worker processes."""

from __future__ import annotations

import hashlib
import os

from player.core.errors import KnownError
from player.core.models import ScanIssue, TrackTags
from player.db.tracks import ScannedFile
from player.tags import read_tags


def fingerprint(size: int, tags: TrackTags) -> str:
    """What a file keeps when it is moved or renamed: its size, stream and tags.

    Computed from what the tag reader already read, so it costs no extra I/O. Names guessed
    from the path are left out: a rename changes them.
    """
    parts = [str(size), f"{tags.duration:.3f}", str(tags.bitrate), str(tags.sample_rate),
             str(tags.channels), tags.codec]
    if not tags.title_from_path:
        parts += [tags.title, tags.artist, tags.album, str(tags.track_number)]
    key = "\x1f".join(parts)
    return hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()[:24]


def read_file(job: tuple[str, str, int, float]) -> ScannedFile | ScanIssue | None:
    """Tags and fingerprint of one walked file; an issue when unreadable; None when it vanished."""
    path, root, size, mtime = job
    try:
        tags = read_tags(path, root)
        return ScannedFile(path, size, mtime, fingerprint(size, tags), tags)
    except FileNotFoundError:
        return None
    except KnownError as exc:
        if not os.path.lexists(path):
            return None  # deleted while the scan ran: nothing to report
        return ScanIssue(path, exc.message)
    except OSError as exc:
        return ScanIssue(path, f"cannot read file: {exc.strerror or exc}")
    except MemoryError:
        return ScanIssue(path, "file too large to read its tags")
    except Exception as exc:  # a tag reader bug must not stop the scan: report it as an issue
        return ScanIssue(path, f"unexpected error reading tags: {type(exc).__name__}: {exc}")
