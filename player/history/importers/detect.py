"""Recognising an export from its content (never its file name) and choosing its reader."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from player.core.files import open_regular
from player.history.importers import (
    lastexport,
    lastfm1k,
    lastfm_csv,
    listenbrainz,
    scrobbler_log,
    spotify_account,
    spotify_extended,
)
from player.history.importers.base import ImportFormatError, Row
from player.history.importers.context import ReadContext
from player.history.importers.sources import ZIP_MAGIC
from player.history.importers.textio import JsonRecords, decode_head, text_lines

HEAD_BYTES = 64 << 10

Reader = Callable[[IO[bytes], ReadContext], Iterator[Row]]

# Line formats, most specific first: (name, looks_like(first lines), read(lines, ctx)).
_LINE_FORMATS: list[tuple[str, Callable[[list[str]], bool], Callable[..., Iterator[Row]]]] = [
    (scrobbler_log.NAME, scrobbler_log.looks_like, scrobbler_log.read),
    (lastfm1k.NAME, lastfm1k.looks_like, lastfm1k.read),
    (lastexport.NAME, lastexport.looks_like, lastexport.read),
    (lastfm_csv.NAME, lastfm_csv.looks_like, lastfm_csv.read),
]
# JSON formats: (name, looks_like(first record), read(records, ctx)).
_JSON_FORMATS: list[tuple[str, Callable[[dict[str, Any]], bool], Callable[..., Iterator[Row]]]] = [
    (spotify_extended.NAME, spotify_extended.looks_like, spotify_extended.read),
    (spotify_account.NAME, spotify_account.looks_like, spotify_account.read),
    (listenbrainz.NAME, listenbrainz.looks_like, listenbrainz.read),
]

FORMATS: tuple[str, ...] = tuple(name for name, _, _ in _JSON_FORMATS) + tuple(
    name for name, _, _ in _LINE_FORMATS
)


def detect_path(path: str | Path) -> str:
    try:
        with open_regular(path, ImportFormatError, "export") as stream:
            if stream.read(4) == ZIP_MAGIC:
                return "zip"
            stream.seek(0)
            return detect_stream(stream, str(path))
    except OSError as exc:
        raise ImportFormatError(f"Cannot read {path}: {exc.strerror or exc}.") from exc


def detect_stream(stream: IO[bytes], name: str) -> str:
    """A format name, "empty" (nothing to read) or "unknown"."""
    text = decode_head(stream.read(HEAD_BYTES))
    body = text.lstrip("\ufeff \t\r\n")
    if not body:
        return "empty"
    if body[0] in "[{":
        return _detect_json(body.encode("utf-8"), name)
    lines = [line for line in body.splitlines()[:5] if line.strip()]
    for format_name, looks_like, _ in _LINE_FORMATS:
        if looks_like(lines):
            return format_name
    return "unknown"


def _detect_json(head: bytes, name: str) -> str:
    for record in JsonRecords(io.BytesIO(head), name):
        if not isinstance(record, dict):
            return "unknown"
        for format_name, looks_like, _ in _JSON_FORMATS:
            if looks_like(record):
                return format_name
        return "unknown"
    return "empty"


def compatible(found: str, forced: str) -> bool:
    """Whether a file detected as `found` may be read as `forced` (same layout family)."""
    return found == forced


def reader(format_name: str) -> Reader:
    for name, _, read in _LINE_FORMATS:
        if name == format_name:
            return lambda stream, ctx, read=read: read(text_lines(stream), ctx)  # type: ignore[misc]
    for name, _, read in _JSON_FORMATS:
        if name == format_name:
            return lambda stream, ctx, read=read: read(JsonRecords(stream, ctx.name), ctx)  # type: ignore[misc]
    raise ImportFormatError(f"Unknown format {format_name!r}.")
