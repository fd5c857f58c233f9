"""Reading tags without loading a huge embedded picture.

mutagen reads a tag whole: a 100 MB cover in an MP3's ID3 tag or an M4A's `covr` atom cost
300-420 MB of memory to scan the file, only to find the picture too big to show. Here the file
is read through `SplicedFile`, a read-only view in which such frames and atoms are left out
(the sizes around them patched), so mutagen sees an ordinary small tag. Only ID3v2.3/2.4 at
the start of a file and MP4 `moov/udta/meta/ilst` items are spliced; anything else (or a
layout this does not follow) is read as it is.
"""

from __future__ import annotations

import io
import os
import struct
from dataclasses import dataclass, field
from typing import BinaryIO

MAX_ITEM_BYTES = 16 << 20  # the cover limit (tags/covers.py): bigger items are never used


@dataclass(slots=True)
class Splice:
    """Byte ranges [start, end) of the file to leave out, and bytes to write over the
    original at given offsets (the size fields of what held them)."""

    cuts: list[tuple[int, int]] = field(default_factory=list)
    patches: dict[int, bytes] = field(default_factory=dict)
    pictures: int = 0  # how many of the cuts were pictures (the file still has a cover)


def find_splice(path: str, limit: int = MAX_ITEM_BYTES) -> Splice | None:
    """What to leave out of the file at path so no tag item over limit is read, or None."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(12)
            if head[:3] == b"ID3":
                return _id3(stream, head, limit)
            if head[4:8] == b"ftyp":
                return _mp4(stream, os.fstat(stream.fileno()).st_size, limit)
    except (OSError, struct.error, ValueError):
        return None
    return None


def _syncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def _to_syncsafe(value: int) -> bytes:
    return bytes(((value >> 21) & 0x7F, (value >> 14) & 0x7F, (value >> 7) & 0x7F, value & 0x7F))


def _id3(stream: BinaryIO, head: bytes, limit: int) -> Splice | None:
    version, flags = head[3], head[5]
    size = _syncsafe(head[6:10])
    if size <= limit or version not in (3, 4) or flags & 0xD0:  # unsync, extended header, footer
        return None
    splice, position, end, kept = Splice(), 10, 10 + size, size
    while position + 10 <= end:
        stream.seek(position)
        frame = stream.read(10)
        if not frame[:4].strip(b"\0") or len(frame) < 10:
            break  # padding
        length = _syncsafe(frame[4:8]) if version == 4 else struct.unpack(">I", frame[4:8])[0]
        if length > limit:
            splice.cuts.append((position, position + 10 + length))
            splice.pictures += frame[:4] == b"APIC"
            kept -= 10 + length
        position += 10 + length
    if not splice.cuts:
        return None
    splice.patches[6] = _to_syncsafe(kept)
    return splice


_CONTAINERS = (b"moov", b"udta", b"meta", b"ilst")


def _mp4(stream: BinaryIO, file_size: int, limit: int) -> Splice | None:
    """moov > udta > meta > ilst: items of ilst over limit are cut, the four sizes patched."""
    parents: list[tuple[int, int]] = []  # (offset, size) of moov, udta, meta, ilst
    start, end, depth = 0, file_size, 0
    while depth < len(_CONTAINERS):
        found = _find_atom(stream, start, end, _CONTAINERS[depth])
        if found is None:
            return None
        offset, size = found
        parents.append(found)
        start = offset + 8 + (4 if _CONTAINERS[depth] == b"meta" else 0)  # meta: version, flags
        end = offset + size
        depth += 1
    splice, position, removed = Splice(), start, 0
    while position + 8 <= end:
        stream.seek(position)
        size = struct.unpack(">I", stream.read(4))[0]
        if size < 8:
            return None  # 64-bit or open-ended sizes: not this simple layout
        if size > limit:
            splice.cuts.append((position, position + size))
            splice.pictures += stream.read(4) == b"covr"
            removed += size
        position += size
    if not splice.cuts:
        return None
    for offset, size in parents:
        splice.patches[offset] = struct.pack(">I", size - removed)
    return splice


def _find_atom(stream: BinaryIO, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    position = start
    while position + 8 <= end:
        stream.seek(position)
        header = stream.read(8)
        size = struct.unpack(">I", header[:4])[0]
        if size < 8:
            return None
        if header[4:8] == kind:
            return position, size
        position += size
    return None


class SplicedFile(io.RawIOBase):
    """The file at path as if the splice's cuts were not there and its patches were."""

    def __init__(self, path: str, splice: Splice) -> None:
        super().__init__()
        self.name = path
        self._file = open(path, "rb")  # noqa: SIM115 - closed with this view
        size = os.fstat(self._file.fileno()).st_size
        # the view as pieces: (view start, file start, length)
        self._pieces: list[tuple[int, int, int]] = []
        view = file_at = 0
        for start, end in sorted(splice.cuts):
            self._pieces.append((view, file_at, start - file_at))
            view += start - file_at
            file_at = end
        self._pieces.append((view, file_at, size - file_at))
        self._size = view + size - file_at
        self._patches = splice.patches
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._position, 2: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        want = self._size - self._position if size is None or size < 0 else size
        chunks: list[bytes] = []
        while want > 0 and self._position < self._size:
            view, file_at, length = next(p for p in self._pieces if p[0] <= self._position < p[0] + p[2])
            inside = self._position - view
            self._file.seek(file_at + inside)
            chunk = self._file.read(min(want, length - inside))
            if not chunk:
                break
            chunks.append(self._patched(file_at + inside, chunk))
            self._position += len(chunk)
            want -= len(chunk)
        return b"".join(chunks)

    def _patched(self, file_at: int, chunk: bytes) -> bytes:
        for offset, patch in self._patches.items():
            if offset + len(patch) > file_at and offset < file_at + len(chunk):
                data = bytearray(chunk)
                for i, byte in enumerate(patch):
                    if 0 <= offset + i - file_at < len(data):
                        data[offset + i - file_at] = byte
                chunk = bytes(data)
        return chunk

    def close(self) -> None:
        self._file.close()
        super().close()
