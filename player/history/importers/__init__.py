"""Reading other services' listening histories. Pure parsing, streaming, no database.

`read_listens(path)` yields ImportedListen one at a time (a 2,000,000-row export never sits in
memory); `read_rows(path)` also yields the rows it could not use (Rejected) and the files it
skipped (SkippedFile), so a report can account for every row.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from player.history.importers import detect
from player.history.importers.base import (
    ImportedListen,
    ImportFormatError,
    OffsetCache,
    Rejected,
    Row,
    SkippedFile,
    resolve_zone,
)
from player.history.importers.context import ReadContext
from player.history.importers.detect import FORMATS
from player.history.importers.sources import Source, open_sources

__all__ = [
    "FORMATS", "ImportFormatError", "ImportedListen", "Rejected", "Row", "SkippedFile",
    "detect_format", "read_listens", "read_rows",
]


def detect_format(path: str | Path) -> str:
    """The format of a file from its content: one of FORMATS, "zip", or "empty"."""
    return detect.detect_path(path)


def read_rows(path: str | Path, format: str = "auto", tz: str | None = None) -> Iterator[Row]:
    """Every row of an export (a file or a zip of files): listens, rejected rows, skipped files."""
    if format != "auto" and format not in FORMATS:
        raise ImportFormatError(f"Unknown format {format!r}.", f"Choose one of: auto, {', '.join(FORMATS)}.")
    offsets = OffsetCache(resolve_zone(tz))
    for source in open_sources(path):
        if isinstance(source, SkippedFile):
            yield source
            continue
        try:
            yield from _read_source(source, format, ReadContext(offsets, source.name))
        except _STREAM_ERRORS as exc:
            # The bytes themselves are damaged (a zip CRC error, corrupt deflate data, a read
            # error): rows already read may be wrong too, so the whole import stops cleanly.
            raise ImportFormatError(f"{source.name} is damaged and cannot be read ({exc}).",
                                    "Nothing was imported. Download the export again.") from None


_STREAM_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError)


def read_listens(path: str | Path, format: str = "auto", tz: str | None = None) -> Iterator[ImportedListen]:
    """The listens of an export, oldest or newest first as the file has them. Streaming."""
    for row in read_rows(path, format, tz):
        if isinstance(row, ImportedListen):
            yield row


def _read_source(source: Source, format: str, ctx: ReadContext) -> Iterator[Row]:
    with source.open() as stream:
        found = detect.detect_stream(stream, source.name)
    if found == "empty":
        yield SkippedFile("the file is empty (no listens in it)", source.name)
        return
    if found == "unknown" and format != "auto" and not source.in_archive:
        found = format  # the user says what it is; rows that do not fit are rejected
    if found == "unknown":
        if source.in_archive:  # a zip holds read-me files and other data next to the history
            yield SkippedFile("not a listening history", source.name)
            return
        raise ImportFormatError(
            f"{source.name} is not a listening history Encore knows.",
            f"Supported: {', '.join(FORMATS)}.",
        )
    if format != "auto" and found != format:
        if source.in_archive:
            yield SkippedFile(f"looks like {found}, not {format}", source.name)
            return
        if not detect.compatible(found, format):
            raise ImportFormatError(
                f"{source.name} looks like {found}, not {format}.",
                "Use --format auto, or the format that matches the file.",
            )
        found = format
    with source.open() as stream:
        yield from detect.reader(found)(stream, ctx)
