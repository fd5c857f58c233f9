"""Files to read: a plain file, or the entries of a zip (Spotify sends a zip), with guards.

A zip is opened one level deep only; entries that are archives themselves, absurdly big, or
compressed suspiciously well (zip bombs) are skipped with a reason instead of being inflated.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from player.core.files import open_regular
from player.history.importers.base import ImportFormatError, SkippedFile

MAX_ENTRY_BYTES = 4 << 30  # a 2,000,000-row Spotify history is about 700 MB
MAX_RATIO = 200  # JSON compresses ~10-20x; more than 200x is a bomb
RATIO_MIN_BYTES = 64 << 20  # small entries may compress well without being dangerous
MAX_TOTAL_BYTES = 16 << 30  # all entries of one zip together (many small entries add up)
MAX_ENTRIES = 10_000  # a Spotify zip holds a few dozen files
ZIP_MAGIC = b"PK\x03\x04"
ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz")


@dataclass(frozen=True, slots=True)
class Source:
    """One readable stream of an export: a file or a zip entry."""

    name: str
    open: Callable[[], IO[bytes]]
    size: int
    in_archive: bool = False


def is_zip(path: str | Path) -> bool:
    with open_regular(path, ImportFormatError, "export") as handle:
        return handle.read(4) == ZIP_MAGIC


def open_sources(path: str | Path) -> Iterator[Source | SkippedFile]:
    """The streams inside path: itself, or each acceptable zip entry (the zip stays open)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        zipped = is_zip(path)  # also refuses FIFOs and devices: only regular files are read
    except OSError as exc:
        raise ImportFormatError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if not zipped:
        yield Source(str(path), _file_opener(path), size)
        return
    count = _entry_count(path)
    if count > MAX_ENTRIES:  # checked before zipfile reads the whole directory into memory
        raise ImportFormatError(f"{path} holds {count:,} files; an export has a few dozen.",
                                f"Encore reads zips of at most {MAX_ENTRIES:,} files.")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFormatError(f"{path} is a damaged zip file ({exc}).") from exc
    with archive:
        total = 0
        for info in archive.infolist():
            if info.is_dir():
                continue
            problem = entry_problem(info)
            name = f"{path}!{info.filename}"
            if problem is None:
                total += info.file_size
                if total > MAX_TOTAL_BYTES:
                    yield SkippedFile(f"the zip expands to more than {MAX_TOTAL_BYTES >> 30} GiB in "
                                      "all; this entry and the rest are not read", name)
                    return
            if problem:
                yield SkippedFile(problem, name)
                continue
            yield Source(name, _opener(archive, info), info.file_size, in_archive=True)


def _entry_count(path: Path) -> int:
    """How many entries the zip's end record declares (0 when it cannot be read)."""
    try:
        with open_regular(path, ImportFormatError, "export") as handle:
            end = zipfile._EndRecData(handle)  # type: ignore[attr-defined]
    except (OSError, zipfile.BadZipFile, struct.error):
        return 0
    return int(end[zipfile._ECD_ENTRIES_TOTAL]) if end else 0  # type: ignore[attr-defined]


def entry_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a zip entry must not be inflated, or None."""
    if info.filename.lower().endswith(ARCHIVE_SUFFIXES):
        return "an archive inside the archive is not opened; extract it and import its files"
    if info.file_size > MAX_ENTRY_BYTES:
        return f"entry is too big ({info.file_size / 2**30:.1f} GiB)"
    if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return "entry expands more than 200 times (a zip bomb?)"
    return None


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    def open_file() -> IO[bytes]:
        return open_regular(path, ImportFormatError, "export")

    return open_file


def _opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    # zipfile never inflates past the declared file_size, so the checks above bound the reading.
    return lambda: archive.open(info)
