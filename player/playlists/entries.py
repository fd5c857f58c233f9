"""What a playlist file says, before anything is looked up in the library."""

from __future__ import annotations

from dataclasses import dataclass, field

from player.core.errors import KnownError


class PlaylistFileError(KnownError):
    """A playlist file that cannot be read or written; nothing was imported."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One entry: its location as written (path or URL) and any artist/title/duration given."""

    location: str
    artist: str = ""
    title: str = ""
    duration: float | None = None
    line: int = 0  # line (M3U, PLS) or 1-based track number (XSPF), for reports


@dataclass(slots=True)
class ParsedPlaylist:
    format: str  # m3u | pls | xspf
    entries: list[FileEntry] = field(default_factory=list)
    title: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One track as a playlist file will show it."""

    location: str
    artist: str = ""
    title: str = ""
    album: str = ""
    duration: float = 0.0


def split_artist_title(text: str) -> tuple[str, str]:
    """'Artist - Title' (the usual EXTINF and PLS convention) -> (artist, title)."""
    artist, sep, title = text.partition(" - ")
    return (artist.strip(), title.strip()) if sep else ("", text.strip())
