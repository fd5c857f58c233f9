"""Test factories: real audio files made with ffmpeg, databases, tracks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from player.core.models import TrackTags
from player.db.connection import Database, open_database
from player.db.tracks import ScannedFile, TrackRepository

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
LIBROSA = SHARED / "data" / "audio" / "librosa"
LISTENS_TSV = SHARED / "data" / "listens" / "lastfm1k-user_000001.tsv"

# extension -> ffmpeg codec arguments
FORMATS: dict[str, list[str]] = {
    "mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    "flac": ["-c:a", "flac"],
    "ogg": ["-c:a", "libvorbis", "-q:a", "1"],
    "opus": ["-c:a", "libopus", "-b:a", "32k"],
    "m4a": ["-c:a", "aac", "-b:a", "64k"],
    "alac.m4a": ["-c:a", "alac"],
    "wav": ["-c:a", "pcm_s16le"],
    "aiff": ["-c:a", "pcm_s16be", "-write_id3v2", "1"],
    "wma": ["-c:a", "wmav2", "-b:a", "64k"],
    "wv": ["-c:a", "wavpack"],
}
# Formats ffmpeg writes without tags (TrueAudio, AC-3) or at fixed rates (Speex): made by
# make_audio too, but kept out of FORMATS, whose tests check tags and rates.
MORE_FORMATS: dict[str, list[str]] = {
    "spx": ["-c:a", "libspeex", "-ar", "16000"],
    "tta": ["-c:a", "tta"],
    "ac3": ["-c:a", "ac3", "-b:a", "96k"],
}
DSD_RATE = 2_822_400  # DSD64: 64 x 44.1 kHz, one bit per sample


def have_ffmpeg() -> bool:
    return shutil.which("ffmpeg") is not None


def make_audio(path: Path, seconds: float = 1.0, freq: float = 440.0,
               metadata: dict[str, str] | None = None, fmt: str | None = None,
               sample_rate: int = 22050) -> Path:
    """A real sine-tone file in the format its name says (or fmt), tagged by ffmpeg."""
    fmt = fmt or ("alac.m4a" if path.name.endswith(".alac.m4a") else path.suffix.lstrip("."))
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
           f"sine=frequency={freq}:duration={seconds}:sample_rate={sample_rate}", "-ac", "1"]
    for key, value in (metadata or {}).items():
        cmd += ["-metadata", f"{key}={value}"]
    cmd += FORMATS[fmt] if fmt in FORMATS else MORE_FORMATS[fmt]
    if fmt == "alac.m4a":
        cmd += ["-f", "ipod"]
    cmd.append(str(path))
    subprocess.run(cmd, check=True)
    return path


def _dsd_bytes(seconds: float, freq: float, bitorder: str) -> bytes:
    """One channel of DSD64, packed: a sine tone through a first-order sigma-delta modulator
    (a 1 where the running integral of the level steps up), made a second at a time."""
    import numpy as np

    count, step = int(seconds * DSD_RATE), DSD_RATE  # DSD_RATE is a multiple of 8
    carry, out = 0.0, []
    for start in range(0, count, step):
        n = np.arange(start, min(start + step, count))
        level = 0.5 + 0.25 * np.sin(2 * np.pi * freq * n / DSD_RATE)
        running = np.floor(carry + np.cumsum(level))
        bits = np.diff(running, prepend=np.floor(carry)).astype(np.uint8)
        carry += float(level.sum())
        out.append(np.packbits(bits, bitorder=bitorder).tobytes())  # type: ignore[arg-type]
    return b"".join(out)


def make_dsf(path: Path, seconds: float = 1.0, freq: float = 440.0, title: str = "",
             channels: int = 1) -> Path:
    """A real DSD64 .dsf file (no encoder for DSD exists in ffmpeg), laid out as the DSF
    specification says (Sony, 2005): mono, or stereo with the right channel a fifth higher.
    title: an ID3v2 title frame in the file's metadata chunk (how DSF carries tags)."""
    import struct

    block = 4096  # per channel; the channels' blocks alternate
    planes = []
    for channel in range(channels):
        plane = _dsd_bytes(seconds, freq * (1.5 if channel else 1.0), "little")  # first bit lowest
        planes.append(plane + b"\x00" * (-len(plane) % block))
    data = b"".join(plane[i:i + block] for i in range(0, len(planes[0]), block) for plane in planes)
    count = int(seconds * DSD_RATE)
    tag = _id3_title(title) if title else b""
    data_chunk = b"data" + struct.pack("<Q", 12 + len(data)) + data
    kind = {1: 1, 2: 2}[channels]  # the specification's channel type: 1 mono, 2 stereo
    fmt_chunk = b"fmt " + struct.pack("<QIIIIIIQII", 52, 1, 0, kind, channels, DSD_RATE, 1, count,
                                      block, 0)
    size = 28 + len(fmt_chunk) + len(data_chunk) + len(tag)
    header = b"DSD " + struct.pack("<QQQ", 28, size, (size - len(tag)) if tag else 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + fmt_chunk + data_chunk + tag)
    return path


def make_dff(path: Path, seconds: float = 1.0, freq: float = 440.0, title: str = "") -> Path:
    """A real mono DSD64 .dff (DSDIFF 1.5, Philips) file, uncompressed: big-endian chunks
    FRM8/DSD  > FVER, PROP/SND  (FS, CHNL, CMPR), DSD  (bits, first bit highest), ID3 ."""
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return kind + struct.pack(">Q", len(body)) + body + b"\x00" * (len(body) % 2)

    data = _dsd_bytes(seconds, freq, "big")
    prop = b"SND " + chunk(b"FS  ", struct.pack(">I", DSD_RATE)) \
        + chunk(b"CHNL", struct.pack(">H", 1) + b"C   ") \
        + chunk(b"CMPR", b"DSD " + bytes([14]) + b"not compressed")
    body = b"DSD " + chunk(b"FVER", struct.pack(">I", 0x01050000)) + chunk(b"PROP", prop) \
        + chunk(b"DSD ", data) + (chunk(b"ID3 ", _id3_title(title)) if title else b"")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(chunk(b"FRM8", body))
    return path


def _id3_title(title: str) -> bytes:
    text = b"\x03" + title.encode("utf-8")  # encoding byte 3: UTF-8
    frame = b"TIT2" + len(text).to_bytes(4, "big") + b"\x00\x00" + text
    size = len(frame)
    synchsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x04\x00\x00" + synchsafe + frame


def make_db(tmp_path: Path, name: str = "encore.db") -> Database:
    return open_database(tmp_path / name)


def make_tags(**values: object) -> TrackTags:
    defaults: dict[str, object] = {"title": "Song", "artists": ("Artist",), "duration": 180.0}
    defaults.update(values)
    return TrackTags(**defaults)  # type: ignore[arg-type]


def add_tracks(db: Database, count: int, root: str = "/music") -> list[int]:
    """Insert `count` synthetic tracks directly (no files); returns their ids."""
    repo = TrackRepository(db)
    files = [
        ScannedFile(f"{root}/a{i % 50}/t{i}.mp3", 1000 + i, 1.0, f"fp{i}",
                    make_tags(title=f"Title {i}", artists=(f"Artist {i % 50}",),
                              album=f"Album {i % 200}", genres=("Jazz" if i % 2 else "Rock",)))
        for i in range(count)
    ]
    repo.write_scanned(files, {})
    return [t.id for t in repo.all()]


def embed_cover(path: Path, size: int) -> Path:
    """Embed a `size`-byte front cover (random bytes behind a JPEG signature) in an MP3, Ogg
    Vorbis/Opus or M4A file, the way taggers do: APIC, METADATA_BLOCK_PICTURE, covr."""
    import base64
    import os

    from mutagen.flac import Picture
    from mutagen.id3 import APIC, ID3
    from mutagen.mp4 import MP4, MP4Cover
    from mutagen.oggopus import OggOpus
    from mutagen.oggvorbis import OggVorbis

    data = b"\xff\xd8\xff\xe0" + os.urandom(size - 4)
    suffix = path.suffix.lower()
    if suffix == ".mp3":
        tags = ID3(path)
        tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="cover", data=data))
        tags.save(path)
    elif suffix in (".ogg", ".opus"):
        audio = (OggVorbis if suffix == ".ogg" else OggOpus)(path)
        picture = Picture()
        picture.type, picture.mime, picture.data = 3, "image/jpeg", data
        audio["metadata_block_picture"] = [base64.b64encode(picture.write()).decode("ascii")]
        audio.save()
    elif suffix == ".m4a":
        audio = MP4(path)
        audio["covr"] = [MP4Cover(data, imageformat=MP4Cover.FORMAT_JPEG)]
        audio.save()
    else:
        raise ValueError(f"no cover embedding for {suffix}")
    return path
