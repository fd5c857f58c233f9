"""Reading export files as streams: byte-order marks, cp1252 fallback, JSON without loading it all.

Exports can be hundreds of megabytes (a 2,000,000-row Spotify history), so nothing here reads a
whole file: lines are decoded one at a time and JSON arrays are split record by record with the
C decoder's raw_decode on a sliding buffer.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections import deque
from collections.abc import Iterator
from typing import IO, Any

from player.history.importers.base import Rejected

CHUNK = 1 << 20
MAX_LINE_CHARS = 1 << 20  # no listen needs a longer line; longer ones are rejected, not held
TOO_LONG = "\x00a line longer than 1 MiB\n"
_RECORD_BOUNDARY = re.compile(r"\}\s*,\s*\{")
MAX_RECORD_CHARS = 32 << 20  # one JSON record bigger than this is not a listen


def bom_encoding(head: bytes) -> tuple[str, int]:
    """(encoding, BOM length) from the first bytes; utf-8 when there is no BOM."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith(codecs.BOM_UTF32_LE) or head.startswith(codecs.BOM_UTF32_BE):
        return "utf-32", 0
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", 0
    return "utf-8", 0


def decode_head(head: bytes) -> str:
    """The first bytes of a file as text, for format detection (never raises)."""
    encoding, skip = bom_encoding(head)
    if encoding != "utf-8":
        return head.decode(encoding, errors="replace")
    body = head[skip:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(body) - 3:  # the peek cut a character in two
            return body[: exc.start].decode("utf-8")
        return body.decode("cp1252", errors="replace")


def text_lines(stream: IO[bytes]) -> Iterator[str]:
    """Lines of a text file. Each line is UTF-8 if it can be, else cp1252 (old Windows exports)."""
    head = stream.read(4)
    encoding, skip = bom_encoding(head)
    if encoding != "utf-8":
        wrapper = io.TextIOWrapper(io.BufferedReader(_Prefixed(head, stream)), encoding=encoding, errors="replace", newline="")
        while line := wrapper.readline(MAX_LINE_CHARS):
            if len(line) >= MAX_LINE_CHARS and not line.endswith("\n"):
                while (more := wrapper.readline(MAX_LINE_CHARS)) and not more.endswith("\n"):
                    pass
                line = TOO_LONG
            yield line.lstrip("\ufeff")
        return
    rest = head[skip:]
    first = True
    for raw in _bounded_lines(io.BufferedReader(_Prefixed(rest, stream), CHUNK)):
        if first:
            first = False
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw.decode("cp1252", errors="replace")


def _bounded_lines(reader: io.BufferedReader) -> Iterator[bytes]:
    """Lines of at most MAX_LINE_CHARS bytes; a longer one (a 1 GB line) is read past in
    pieces and replaced by TOO_LONG, which every line reader rejects as a row."""
    while line := reader.readline(MAX_LINE_CHARS):
        if len(line) >= MAX_LINE_CHARS and not line.endswith(b"\n"):
            while (more := reader.readline(MAX_LINE_CHARS)) and not more.endswith(b"\n"):
                pass
            line = TOO_LONG.encode()
        yield line


class _Prefixed(io.RawIOBase):
    """A binary stream with some already-read bytes put back in front."""

    def __init__(self, prefix: bytes, stream: IO[bytes]) -> None:
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = len(buffer)
        if self._prefix:
            data, self._prefix = self._prefix[:size], self._prefix[size:]
        else:
            data = self._stream.read(size)
        buffer[: len(data)] = data
        return len(data)

    def __iter__(self) -> Iterator[bytes]:  # type: ignore[override]
        return iter(io.BufferedReader(self, CHUNK))


class JsonRecords:
    """Yields each element of a top-level JSON array, or each object of JSON lines.

    A damaged or truncated file yields the records before the damage, then one Rejected.
    """

    def __init__(self, stream: IO[bytes], where: str) -> None:
        self._stream = stream
        self._where = where
        self._decoder = json.JSONDecoder()
        self._buf = ""
        self._pos = 0
        self._consumed = 0  # characters dropped from the front of the buffer
        self._eof = False
        self._batch_failures = 0
        head = stream.read(4)
        encoding, skip = bom_encoding(head)
        self._text = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._feed(head[skip:] if encoding == "utf-8" else head)

    def _feed(self, data: bytes) -> None:
        final = not data
        if final:
            self._eof = True
        self._consumed += self._pos
        self._buf = self._buf[self._pos:] + self._text.decode(data, final=final)
        self._pos = 0

    def _fill(self) -> None:
        self._feed(self._stream.read(CHUNK))

    def _skip(self, chars: str) -> str:
        """Skip the given characters; the next one, or '' at the end of the file."""
        while True:
            n = len(self._buf)
            while self._pos < n and self._buf[self._pos] in chars:
                self._pos += 1
            if self._pos < n:
                return self._buf[self._pos]
            if self._eof:
                return ""
            self._fill()

    def _value(self) -> Any:
        """Decode the value at the cursor, reading more when it runs past the buffer."""
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError:
                end = -1
            except RecursionError:
                raise ValueError(f"a JSON record at character {self._consumed + self._pos} is "
                                 "nested too deeply; reading stopped there") from None
            if end >= 0 and (end < len(self._buf) or self._eof):
                self._pos = end
                return value
            if self._eof or len(self._buf) - self._pos > MAX_RECORD_CHARS:
                raise ValueError(self._damage())
            self._fill()

    def _damage(self) -> str:
        at = self._consumed + self._pos
        if self._eof:
            return f"the JSON is truncated or damaged at character {at}; the listens before it were read"
        return f"a JSON record at character {at} is damaged or too big; reading stopped there"

    def __iter__(self) -> Iterator[Any]:
        first = self._skip(" \t\r\n")
        if first == "":
            return
        if first not in "[{":
            yield Rejected("the file is not JSON", self._where)
            return
        try:
            if first == "[":
                self._pos += 1
                yield from self._array()
            else:
                yield from self._lines()
        except ValueError as exc:
            yield Rejected(str(exc), self._where)

    def _array(self) -> Iterator[Any]:
        while True:
            char = self._skip(" \t\r\n,")
            if char == "]":
                return
            if char == "":
                raise ValueError(self._damage())
            if char == "{" and self._batch_failures < 2:
                batch = self._batch()
                if batch is not None:
                    yield from batch
                    continue
            yield self._value()

    def _batch(self) -> list[Any] | None:
        """All whole records left in the buffer, decoded in one C call (3x faster than one by one).

        The batch ends at the buffer's last "}, {" boundary. That may fall inside a record (a
        nested list of objects); then loads fails and records are read one by one; after two
        such misses this file is read one by one only.
        """
        tail = max(self._pos, len(self._buf) - 65536)
        last = deque(_RECORD_BOUNDARY.finditer(self._buf, tail), maxlen=1)
        if not last:
            return None
        end = last[0].start() + 1
        try:
            records = json.loads("[" + self._buf[self._pos:end] + "]")
        except (ValueError, RecursionError):  # damaged, too deep, or an int over 4300 digits
            self._batch_failures += 1
            return None
        self._pos = end
        return list(records)

    def _lines(self) -> Iterator[Any]:
        """JSON lines: a damaged line is rejected alone. A first record spanning lines (one
        pretty-printed object) is read whole."""
        first = True
        while self._skip(" \t\r\n") != "":
            line_end = self._line_end()
            try:
                value, used = self._decoder.raw_decode(self._buf[self._pos:line_end])
                self._pos += used
            except (ValueError, RecursionError):
                if not first:
                    at = self._consumed + self._pos
                    yield Rejected(f"a damaged JSON line at character {at} was skipped", self._where)
                    self._pos = line_end
                    continue
                value = self._value()
            first = False
            if isinstance(value, dict) and isinstance(value.get("payload"), dict):
                yield from value["payload"].get("listens") or []  # ListenBrainz API shape
            else:
                yield value

    def _line_end(self) -> int:
        """Index of the end of the current line in the buffer, reading more as needed."""
        while True:
            end = self._buf.find("\n", self._pos)
            if end >= 0:
                return end
            if self._eof or len(self._buf) - self._pos > MAX_RECORD_CHARS:
                return len(self._buf)
            self._fill()
