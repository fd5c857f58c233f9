"""Guess title, artist, album and track number from a file's path when tags are missing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from player.core.paths import display

_TRACK_PREFIX = re.compile(r"^(?:(\d{1,2})[-.])?(\d{1,3})(?:\s*[-._]\s*|\s+)(.+)$")
# librosa-style "name.hq.ogg": a short alphabetic inner suffix is not part of the title.
_INNER_SUFFIX = re.compile(r"\.[A-Za-z]{1,3}$")


@dataclass(frozen=True, slots=True)
class PathGuess:
    title: str
    artist: str = ""
    album: str = ""
    track_number: int | None = None
    disc_number: int | None = None


def _clean(text: str) -> str:
    text = text.replace("_", " ")
    return re.sub(r"\s+", " ", text).strip()


def guess_from_path(path: str, root: str | None = None) -> PathGuess:
    """"Artist - Title.ext", "Artist/Album/07 Title.ext" and plain "Title.ext"."""
    pure = PurePath(display(path))  # undecodable bytes in a name become U+FFFD in the title
    stem = _INNER_SUFFIX.sub("", pure.stem) if "." in pure.stem else pure.stem
    stem = _clean(stem)
    parents = _parents_below_root(pure, root)
    track_no: int | None = None
    disc_no: int | None = None
    numbered = _TRACK_PREFIX.match(stem)
    if numbered and re.search(r"[^\W\d]", numbered.group(3)):  # a title has letters
        disc_no = int(numbered.group(1)) if numbered.group(1) else None
        track_no = int(numbered.group(2))
        stem = numbered.group(3).strip()
    if root is None and track_no is None:
        parents = []  # without a library root, folder names are only trusted for album layouts
    if " - " in stem:
        artist, title = (part.strip() for part in stem.split(" - ", 1))
        album = _clean(parents[-1]) if parents and track_no is not None else ""
        if artist and title:
            return PathGuess(title, artist, album, track_no, disc_no)
    artist = album = ""
    if len(parents) >= 2:
        artist, album = _clean(parents[-2]), _clean(parents[-1])
    elif len(parents) == 1 and track_no is not None:
        album = _clean(parents[-1])
    return PathGuess(stem or pure.name, artist, album, track_no, disc_no)


def _parents_below_root(pure: PurePath, root: str | None) -> list[str]:
    """Folder names between the library root and the file (all of them when no root)."""
    parents = list(pure.parent.parts)
    if root:
        root_parts = PurePath(display(root)).parts
        if tuple(parents[: len(root_parts)]) == tuple(root_parts):
            return parents[len(root_parts) :]
        return []
    return [p for p in parents if p not in ("/", "")][-2:]
