"""Playable copies of the files libVLC 3 cannot decode (DSD: .dsf, .dff).

FFmpeg decodes DSD, libVLC 3 does not. The first time such a file is played, VlcEngine asks
this cache (off the owner's thread) for a copy: FFmpeg's decode written as 24-bit FLAC
(analysis/decode.write_flac_copy), saved whole or not at all (core/files.atomic_write) in
Encore's cache folder. The copy's name is a hash of the file's path, size and modification
time, so an edited or replaced file gets a new copy. The folder is kept under `limit_bytes`
by deleting the copies used longest ago (a copy is touched whenever it is played).
The listen is logged against the original track: only the engine sees the copy.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from player.core.errors import KnownError
from player.core.files import atomic_write, os_reason
from player.core.models import PLAYED_THROUGH_COPY
from player.resources import user_cache_dir

log = logging.getLogger(__name__)

# Stereo DSD64 as 88.2 kHz 24-bit FLAC is ~0.38 MB a second: this keeps ~1.5 hours of it.
DEFAULT_LIMIT_BYTES = 2 * 1024**3
_STALE_PART_S = 3600.0  # a half-written copy this old was left by a killed Encore


class PlayableCopyError(KnownError):
    """A copy could not be made (the file cannot be decoded, the cache cannot be written)."""


def default_folder() -> Path:
    return user_cache_dir() / "playable"


class PlayableCopyCache:
    """The engine's PlayableCopies (engine/base.py) for Encore's cache folder."""

    def __init__(self, folder: Path | None = None, limit_bytes: int = DEFAULT_LIMIT_BYTES) -> None:
        self.folder = folder or default_folder()
        self.limit_bytes = limit_bytes

    def needs_copy(self, path: str) -> bool:
        return os.path.splitext(path)[1].lower() in PLAYED_THROUGH_COPY

    def copy_path(self, path: str) -> Path:
        """Where path's copy is (or would be); raises OSError when path cannot be stat'ed."""
        info = os.stat(path)
        key = hashlib.sha1(os.fsencode(path) + f"\0{info.st_size}\0{info.st_mtime_ns}".encode())
        return self.folder / f"{key.hexdigest()}.flac"

    def ready_copy(self, path: str) -> str | None:
        try:
            copy = self.copy_path(path)
            os.utime(copy)  # used now: the last to be pruned
        except OSError:
            return None
        return str(copy)

    def make_copy(self, path: str, wanted: Callable[[], bool]) -> str:
        name = os.path.basename(path)
        try:
            copy = self.copy_path(path)
            self.folder.mkdir(parents=True, exist_ok=True)
        except FileNotFoundError:
            raise PlayableCopyError(f"file not found: {path}") from None
        except OSError as exc:
            raise PlayableCopyError(f"cannot convert {name}: {os_reason(exc)}") from None
        from player.analysis.decode import DecodeError, write_flac_copy  # PyAV: only when needed

        started = time.monotonic()
        try:
            with atomic_write(copy, PlayableCopyError, mode=0o600) as out:
                seconds = write_flac_copy(path, out, wanted)
        except DecodeError as exc:
            raise PlayableCopyError(f"cannot convert {name} for playback: {exc.message}") from None
        log.info("converted %s (%.1f s of audio) in %.1f s", name, seconds,
                 time.monotonic() - started)
        self.prune(keep=copy)
        return str(copy)

    def describe(self, path: str) -> str:
        kind = PLAYED_THROUGH_COPY.get(os.path.splitext(path)[1].lower(), "this format")
        return (f"Converting to play it (libVLC cannot play {kind} audio): "
                f"{os.path.basename(path)} becomes a FLAC copy, made once and kept in the cache…")

    def prune(self, keep: Path | None = None) -> None:
        """Delete the copies used longest ago until the folder is within the limit, and
        half-written ones a killed run left behind."""
        copies: list[tuple[float, int, Path]] = []
        now = time.time()
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if entry.name.endswith(".part"):
                if now - info.st_mtime > _STALE_PART_S:
                    _remove(Path(entry.path))
            elif entry.name.endswith(".flac"):
                copies.append((info.st_mtime, info.st_size, Path(entry.path)))
        total = sum(size for _, size, _ in copies)
        for _, size, copy in sorted(copies):
            if total <= self.limit_bytes:
                break
            if copy != keep and _remove(copy):
                total -= size


def _remove(path: Path) -> bool:
    try:
        path.unlink()
    except OSError:
        return False
    return True
