"""Importing and exporting playlist files (M3U, M3U8, PLS, XSPF) against the library."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from player.core.files import read_regular, write_bytes_atomic
from player.core.models import Track
from player.db.connection import Database
from player.db.playlists import Playlist, PlaylistRepository
from player.playlists.entries import ExportItem, ParsedPlaylist, PlaylistFileError
from player.playlists.m3u import parse_m3u, write_m3u
from player.playlists.pls import parse_pls, write_pls
from player.playlists.resolve import LibraryIndex, Resolution
from player.playlists.text_decode import decode_playlist
from player.playlists.xspf import parse_xspf, write_xspf

FORMATS = ("m3u", "m3u8", "pls", "xspf")
MAX_FILE_BYTES = 256 * 1024 * 1024
_EXTENSIONS = {".m3u": "m3u", ".m3u8": "m3u8", ".pls": "pls", ".xspf": "xspf"}


@dataclass(slots=True)
class Unresolved:
    line: int
    location: str
    label: str  # "Artist - Title" when the file gave one
    reason: str  # url | missing | ambiguous


@dataclass(slots=True)
class ImportReport:
    file: str
    format: str
    encoding: str
    entries: int
    resolved: int
    by_path: int = 0
    by_moved_path: int = 0
    by_tags: int = 0
    duplicates: int = 0
    playlist_id: int | None = None
    name: str = ""
    unresolved: list[Unresolved] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def format_of(path: str | Path, text: str = "") -> str:
    """m3u/m3u8/pls/xspf from the file name, else from the content."""
    by_name = _EXTENSIONS.get(Path(path).suffix.lower())
    if by_name:
        return by_name
    head = text.lstrip()[:200].lower()
    if head.startswith("[playlist]"):
        return "pls"
    if head.startswith("<?xml") or head.startswith("<playlist"):
        return "xspf"
    return "m3u"


def read_playlist_file(path: str | Path) -> tuple[ParsedPlaylist, str]:
    """(parsed playlist, encoding). Raises PlaylistFileError for unreadable/empty/invalid files."""
    file = Path(path)
    # regular files only (a FIFO would hang, a device never end), bounded in size
    data = read_regular(file, MAX_FILE_BYTES, PlaylistFileError, "playlist")
    text, encoding = decode_playlist(data)
    if not text.strip():
        raise PlaylistFileError(f"The playlist {file} is empty; nothing was imported.")
    kind = format_of(file, text)
    parser = {"m3u": parse_m3u, "m3u8": parse_m3u, "pls": parse_pls, "xspf": parse_xspf}[kind]
    parsed = parser(text)
    parsed.format = kind  # m3u8 stays m3u8 in reports
    if not parsed.entries:
        raise PlaylistFileError(f"The playlist {file} has no entries; nothing was imported.",
                                "; ".join(parsed.warnings))
    return parsed, encoding


def resolve_file(db: Database, path: str | Path) -> tuple[ParsedPlaylist, str, list[Resolution]]:
    parsed, encoding = read_playlist_file(path)
    base_dir = os.path.dirname(os.path.abspath(path))
    index = LibraryIndex(db)
    return parsed, encoding, [index.resolve(e, base_dir) for e in parsed.entries]


def import_playlist_file(db: Database, path: str | Path, name: str | None = None,
                         skip_duplicates: bool = False, dry_run: bool = False) -> ImportReport:
    """Create a user playlist from a file; entries that match no track are reported."""
    parsed, encoding, resolutions = resolve_file(db, path)
    report = ImportReport(str(path), parsed.format, encoding, len(parsed.entries), 0,
                          warnings=list(parsed.warnings))
    ids: list[int] = []
    seen: set[int] = set()
    for res in resolutions:
        if res.track_id is None:
            label = f"{res.entry.artist} - {res.entry.title}" if res.entry.artist else res.entry.title
            report.unresolved.append(Unresolved(res.entry.line, res.entry.location, label, res.how))
            continue
        report.resolved += 1
        report.by_path += res.how == "path"
        report.by_moved_path += res.how == "moved"
        report.by_tags += res.how == "tags"
        if res.track_id in seen:
            report.duplicates += 1
            if skip_duplicates:
                continue
        seen.add(res.track_id)
        ids.append(res.track_id)
    report.name = name or parsed.title or Path(path).stem or "Imported playlist"
    if not dry_run:
        repo = PlaylistRepository(db)
        with db.transaction():
            playlist = repo.create(report.name)
            repo.add(playlist.id, ids)
        report.playlist_id = playlist.id
    return report


def export_items(tracks: list[Track], relative_to: str | None) -> list[ExportItem]:
    return [ExportItem(_location(t.path, relative_to), t.artist, t.title, t.album, t.duration)
            for t in tracks]


def _location(path: str, relative_to: str | None) -> str:
    if "\n" in path or "\r" in path:  # M3U and PLS hold one entry per line: a file:// URI
        return Path(path).as_uri()  # (line breaks percent-encoded; readers decode it back)
    if relative_to is None:
        return path
    try:
        return os.path.relpath(path, relative_to)
    except ValueError:  # another drive (Windows): relative is impossible
        return path


def render(tracks: list[Track], fmt: str, title: str = "", relative_to: str | None = None) -> str:
    items = export_items(tracks, relative_to)
    if fmt in ("m3u", "m3u8"):
        return write_m3u(items, title)
    if fmt == "pls":
        return write_pls(items)
    if fmt == "xspf":  # XSPF locations are URIs
        uris = [ExportItem(_uri(i.location), i.artist, i.title, i.album, i.duration) for i in items]
        return write_xspf(uris, title)
    raise PlaylistFileError(f"Unknown playlist format {fmt!r}.", f"Use one of: {', '.join(FORMATS)}.")


def _uri(location: str) -> str:
    if location.startswith("file://"):
        return location
    if os.path.isabs(location):
        return Path(location).as_uri()
    return quote(location.replace(os.sep, "/"), errors="surrogateescape")


def export_playlist(db: Database, playlist: Playlist, path: str | Path,
                    relative_to: str | None = None, fmt: str | None = None) -> int:
    """Write the playlist's tracks to path; returns how many were written."""
    tracks = PlaylistRepository(db).tracks(playlist.id)
    kind = fmt or format_of(path)
    text = render(tracks, kind, playlist.name, relative_to)
    # file names that are not UTF-8 (surrogate-escaped) are written back as their own bytes
    write_bytes_atomic(path, text.encode("utf-8", "surrogateescape"), PlaylistFileError)
    return len(tracks)
