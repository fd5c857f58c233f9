"""Reading and writing user-named files safely: the one home of these rules.

Writes (exports, recap cards, playlist files) go to a fresh temporary file created with
O_EXCL in the target's folder (never a fixed name a symlink could be planted at), are flushed
to disk, then renamed over the target: the target is whole or untouched. A target that exists
but is not a regular file (a device such as /dev/full, a FIFO, a folder) is refused, so a
device is never replaced by a file.

Reads of audio, playlists and exports accept regular files only: a FIFO would block forever,
/dev/zero would never end. open_regular() opens without blocking, checks, then reads.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from player.core.errors import KnownError


class FileAccessError(KnownError):
    """A file Encore was asked to read or write cannot be (not a regular file, disk full...)."""


def os_reason(exc: OSError) -> str:
    """An OSError in plain words; a full disk says so."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    return exc.strerror or str(exc)


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_write_target(path: str | Path, error: type[KnownError] = FileAccessError) -> None:
    """Refuse a target that exists and is not a regular file (after following symlinks)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise error(f"Cannot write {path}: {os_reason(exc)}.") from None
    if not stat.S_ISREG(mode):
        raise error(f"Cannot write {path}: it is {kind_of(mode)}, not a regular file.",
                    "Choose a file name in a folder you can write to.")


@contextmanager
def atomic_write(path: str | Path, error: type[KnownError] = FileAccessError,
                 mode: int = 0o666) -> Iterator[IO[bytes]]:
    """Write path whole or not at all: yields a binary file; renamed over path on success.

    mode: permissions of a new file (minus the umask); an existing target keeps its own.
    A symlink at path is replaced by the new file; its target is never written.
    """
    target = Path(path)
    check_write_target(target, error)
    folder = target.parent
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise error(f"Cannot write to {folder}: {os_reason(exc)}.") from None
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        try:
            existing = os.stat(target).st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            existing = mode & ~umask
        os.chmod(temp, existing)
        os.replace(temp, target)
    except OSError as exc:
        _remove(temp)
        raise error(f"Cannot write {target}: {os_reason(exc)}.") from None
    except BaseException:
        _remove(temp)
        raise


def write_bytes_atomic(path: str | Path, data: bytes, error: type[KnownError] = FileAccessError) -> None:
    with atomic_write(path, error) as out:
        out.write(data)


def _remove(path: str) -> None:
    with suppress(OSError):
        os.unlink(path)


def regular_file_problem(path: str | Path) -> str | None:
    """Why path cannot be read as a file ("it is a pipe (FIFO)", ...), None when it can."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return os_reason(exc)
    if not stat.S_ISREG(mode):
        return f"it is {kind_of(mode)}, not a regular file"
    return None


def open_regular(path: str | Path, error: type[KnownError] = FileAccessError,
                 what: str = "file") -> IO[bytes]:
    """Open a regular file for reading; anything else (FIFO, device, folder) is refused.

    Opened with O_NONBLOCK first, so a FIFO with no writer cannot hang the open.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise error(f"Cannot read the {what} {path}: {os_reason(exc)}.") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise error(f"Cannot read the {what} {path}: it is {kind_of(mode)}, not a regular file.")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | Path, limit: int, error: type[KnownError] = FileAccessError,
                 what: str = "file") -> bytes:
    """The whole of a regular file of at most limit bytes (a bound on memory)."""
    with open_regular(path, error, what) as stream:
        try:
            data = stream.read(limit + 1)
        except OSError as exc:
            raise error(f"Cannot read the {what} {path}: {os_reason(exc)}.") from None
    if len(data) > limit:
        raise error(f"Cannot read the {what} {path}: it is over {limit // (1 << 20)} MB.")
    return data

