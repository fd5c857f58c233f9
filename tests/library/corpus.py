"""A corpus of broken and awkward files, each a real file on disk."""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

from mutagen.id3 import APIC, ID3

from tests.factories import make_audio


def _syncsafe(n: int) -> bytes:
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def id3v24(frames: list[tuple[bytes, bytes]]) -> bytes:
    body = b"".join(fid + _syncsafe(len(data)) + b"\x00\x00" + data for fid, data in frames)
    return b"ID3\x04\x00\x00" + _syncsafe(len(body)) + body


def make_bad_corpus(folder: Path, good: Path) -> dict[str, str]:
    """Writes the corpus; returns file name -> what it is. `good` is a valid MP3 to build on."""
    folder.mkdir(parents=True, exist_ok=True)
    audio = good.read_bytes()
    frame_start = audio.index(b"\xff\xfb") if b"\xff\xfb" in audio else 0
    plain_mp3 = audio[frame_start:]
    made = {
        "zero.mp3": b"",
        "random.mp3": os.urandom(40_000),
        "text.flac": b"This is a text file, not a FLAC stream.\n" * 50,
        "truncated.flac": b"",  # filled below
        "broken-frames.mp3": b"ID3\x03\x00\x00\x00\x00\x10\x00TIT2\x7f\xff\xff\xffjunk" + plain_mp3,
        "bad-utf8.mp3": id3v24([(b"TIT2", b"\x03Caf\xc3 \xff\xfe bad"), (b"TPE1", b"\x00Beyonc\xe9")]) + plain_mp3,
        "mixed-encodings.mp3": id3v24([
            (b"TIT2", b"\x01" + "Ünïcödé".encode("utf-16")),
            (b"TPE1", b"\x00Mot\xf6rhead"),
            (b"TALB", b"\x03\xe6\x97\xa5\xe6\x9c\xac"),
        ]) + plain_mp3,
    }
    for name, data in made.items():
        (folder / name).write_bytes(data)
    flac = make_audio(folder / "tmp-good.flac", seconds=1.0)
    (folder / "truncated.flac").write_bytes(flac.read_bytes()[:300])
    flac.unlink()
    shutil.copy(good, folder / "wrong-extension.ogg")  # an MP3 named .ogg: content decides
    return {
        "zero.mp3": "issue", "random.mp3": "issue", "text.flac": "issue",
        "truncated.flac": "issue", "broken-frames.mp3": "either", "bad-utf8.mp3": "stored",
        "mixed-encodings.mp3": "stored", "wrong-extension.ogg": "stored",
    }


def add_huge_picture(path: Path, megabytes: int = 50) -> None:
    """Embed a front-cover picture of `megabytes` MB in an MP3 file (FLAC blocks stop at 16 MB)."""
    tags = ID3()
    data = b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + os.urandom(megabytes * 1024 * 1024)
    tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="cover", data=data))
    tags.save(path)
