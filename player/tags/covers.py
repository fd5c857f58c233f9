"""Cover art for a track: the picture embedded in its tags, or an image file beside it.

mutagen's exceptions never leave this module: a file without a readable picture has no cover.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path
from typing import Any

import mutagen
from mutagen.flac import Picture
from mutagen.id3 import ID3

from player.core.errors import KnownError
from player.core.files import open_regular
from player.tags.oversized import SplicedFile, find_splice

_FRONT_COVER = 3  # the picture type for "Cover (front)" in ID3 and FLAC
# File names beside the audio that are taken as the album's cover, best first.
FOLDER_NAMES = ("cover", "folder", "front", "album", "albumart")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp")
MAX_COVER_BYTES = 16 << 20  # a real cover is under 5 MB; a bigger one is not decoded (memory)


def embedded_cover(path: str) -> bytes | None:
    """The bytes of the front (or first) picture embedded in the file's tags, or None.

    Pictures over MAX_COVER_BYTES are never read (tags/oversized.py): the tag is read without them.
    """
    try:
        splice = find_splice(path, MAX_COVER_BYTES)
        if splice is None:
            audio = mutagen.File(path)
        else:
            with SplicedFile(path, splice) as view:
                audio = mutagen.File(view)
    except (mutagen.MutagenError, OSError, ValueError):
        return None
    if audio is None:
        return None
    pictures = [p for p in _pictures(audio) if len(p[1]) <= MAX_COVER_BYTES]
    if not pictures:
        return None
    pictures.sort(key=lambda p: p[0] != _FRONT_COVER)
    return pictures[0][1] or None


def _pictures(audio: Any) -> list[tuple[int, bytes]]:
    """(picture type, bytes) of every picture of any tag format mutagen gives us."""
    found: list[tuple[int, bytes]] = [(p.type, p.data) for p in getattr(audio, "pictures", [])]
    tags = audio.tags
    if tags is None:
        return found
    if isinstance(tags, ID3):
        found += [(frame.type, frame.data) for frame in tags.getall("APIC")]
        return found
    try:
        covr = tags.get("covr")  # MP4
        blocks = tags.get("metadata_block_picture")  # Vorbis comments (Ogg, Opus)
    except (ValueError, KeyError, TypeError):
        return found
    found += [(_FRONT_COVER, bytes(image)) for image in covr or []]
    for block in blocks or []:
        try:
            picture = Picture(base64.b64decode(block))
        except (binascii.Error, mutagen.MutagenError, ValueError):
            continue
        found.append((picture.type, picture.data))
    return found


def folder_cover(path: str) -> Path | None:
    """cover.jpg, folder.jpg (and the like, any case) in the track's folder, or None."""
    folder = Path(path).parent
    try:
        names = {entry.name.lower(): entry.name for entry in os.scandir(folder) if entry.is_file()}
    except OSError:
        return None
    for stem in FOLDER_NAMES:
        for ext in IMAGE_EXTENSIONS:
            name = names.get(stem + ext)
            if name is not None:
                return folder / name
    return None


def cover_bytes(path: str) -> bytes | None:
    """The track's cover: embedded first, then an image file beside it."""
    data = embedded_cover(path)
    if data:
        return data
    image = folder_cover(path)
    if image is None:
        return None
    try:
        with open_regular(image) as stream:
            data = stream.read(MAX_COVER_BYTES + 1)
    except (OSError, KnownError):
        return None
    return data if len(data) <= MAX_COVER_BYTES else None
