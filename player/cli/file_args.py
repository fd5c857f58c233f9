"""`encore song.flac playlist.m3u8 folder/`: turning command-line arguments into tracks to play.

Three steps, each usable alone:
- split_file_arguments(argv, verbs): the file arguments out of argv (before argparse sees them,
  since argparse would take `song.flac` for an unknown verb);
- expand_file_arguments(args): audio files in order: files as given, folders walked in path
  order, playlists (M3U/M3U8/PLS/XSPF, read by player/playlists) expanded to their local
  entries. URLs other than file:// are never fetched: they are reported and skipped.
- tracks_for_paths(db, paths): the library's Track for each path; files outside the library
  are read and added (so their listens count in the history like any other track).

Wiring (cli.main / app.run_gui):
    argv, files = split_file_arguments(argv, verbs_of(parser))
    ...
    request = expand_file_arguments(files)        # request.problems: show them
    tracks, problems = tracks_for_paths(db, request.paths)
    playback.play_tracks(tracks, source="files")
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from player.core.errors import KnownError
from player.core.models import AUDIO_EXTENSIONS, Track
from player.db.connection import Database

PLAYLIST_EXTENSIONS = frozenset({".m3u", ".m3u8", ".pls", ".xspf"})
MAX_FILES = 20_000  # a folder argument like ~ must not queue a whole disk
ENCORE_OPTIONS_WITH_VALUE = ("--db", "--engine", "--audio-output")
# Qt's own command-line options that take a value (they reach QApplication untouched).
QT_OPTIONS_WITH_VALUE = ("-platform", "-platformpluginpath", "-platformtheme", "-plugin",
                         "-style", "-stylesheet", "-display", "-geometry", "-qwindowgeometry",
                         "-qwindowicon", "-qwindowtitle", "-session", "-name", "-title")


@dataclass(slots=True)
class OpenRequest:
    """What the arguments asked to play, in order, and what could not be used (plain words)."""

    paths: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def verbs_of(parser: argparse.ArgumentParser) -> set[str]:
    """The verb names registered on parser's subparsers."""
    verbs: set[str] = set()
    for action in parser._actions:  # argparse has no public accessor for subparsers
        if isinstance(action, argparse._SubParsersAction):
            verbs.update(action.choices)
    return verbs


def split_file_arguments(argv: Sequence[str], verbs: Iterable[str],
                         options_with_value: Iterable[str] = ENCORE_OPTIONS_WITH_VALUE,
                         ) -> tuple[list[str], list[str]]:
    """(argv without file arguments, file arguments). After a verb nothing is a file argument;
    an argument after "--" always is one (for files named like options or verbs).

    Verbs win: `encore import x.tsv` imports even when the working folder holds a folder or
    file called "import" (play that one as ./import or after --)."""
    verbs, takes_value = set(verbs), {*options_with_value, *QT_OPTIONS_WITH_VALUE}
    rest: list[str] = []
    files: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        arg = items[i]
        if arg == "--":
            files.extend(items[i + 1:])
            break
        if arg.startswith("-") and arg != "-":
            rest.append(arg)
            if arg in takes_value and i + 1 < len(items):
                rest.append(items[i + 1])
                i += 1
        elif arg in verbs:
            rest.extend(items[i:])
            break
        else:
            files.append(arg)
        i += 1
    return rest, files


def unknown_verb(files: Sequence[str], verbs: Iterable[str]) -> str:
    """The complaint for a first file argument that is a bare word (no folder, no extension)
    naming nothing on disk, i.e. a mistyped verb; "" when there is none. (Give it only the
    arguments before "--": `-- word` plays a file called word.)"""
    import difflib

    if not files:
        return ""
    word = files[0]
    if os.sep in word or "." in word or ":" in word or os.path.lexists(word):
        return ""
    close = difflib.get_close_matches(word, sorted(verbs), n=1) or \
        [v for v in sorted(verbs) if word in v][:1]
    hint = f"; did you mean '{close[0]}'?" if close else "; see encore --help"
    return f"'{word}' is neither a verb nor a file{hint}"


def local_path(arg: str) -> str | None:
    """A local path for a path or file:// URL; None for other URLs."""
    parts = urlsplit(arg)
    if len(parts.scheme) > 1:  # one letter is a Windows drive
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        return unquote(parts.path)
    return os.path.abspath(os.path.expanduser(arg))


def expand_file_arguments(args: Sequence[str]) -> OpenRequest:
    request = OpenRequest()
    for arg in args:
        path = local_path(arg)
        if path is None:
            request.problems.append(f"{arg}: Encore plays local files only; web addresses are "
                                    "not opened.")
        elif os.path.isdir(path):
            _add_folder(request, path)
        elif Path(path).suffix.lower() in PLAYLIST_EXTENSIONS:
            _add_playlist(request, path)
        elif not os.path.exists(path):
            request.problems.append(f"{arg}: no such file.")
        elif Path(path).suffix.lower() in AUDIO_EXTENSIONS:
            request.paths.append(path)
        else:
            request.problems.append(f"{arg}: not an audio file or playlist Encore knows.")
    if len(request.paths) > MAX_FILES:
        request.problems.append(f"Only the first {MAX_FILES} of {len(request.paths)} files "
                                "are queued.")
        del request.paths[MAX_FILES:]
    return request


def _add_folder(request: OpenRequest, folder: str) -> None:
    found: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        found.extend(os.path.join(root, n) for n in sorted(names)
                     if Path(n).suffix.lower() in AUDIO_EXTENSIONS)
        if len(found) > MAX_FILES:
            break
    if not found:
        request.problems.append(f"{folder}: no audio files in this folder.")
    request.paths.extend(found)


def _add_playlist(request: OpenRequest, file: str) -> None:
    from player.playlists.files import read_playlist_file
    from player.playlists.locations import locate

    try:
        parsed, _encoding = read_playlist_file(file)
    except KnownError as exc:
        request.problems.append(exc.message)
        return
    base_dir = os.path.dirname(file)
    urls = missing = 0
    for entry in parsed.entries:
        where = locate(entry.location, base_dir)
        if where.url or where.foreign:
            urls += where.url != ""
            missing += where.foreign
        elif os.path.isfile(where.path) and Path(where.path).suffix.lower() in AUDIO_EXTENSIONS:
            request.paths.append(where.path)
        else:
            missing += 1
    name = os.path.basename(file)
    if urls:
        request.problems.append(f"{name}: {urls} web address(es) skipped (never fetched).")
    if missing:
        request.problems.append(f"{name}: {missing} entr{'y' if missing == 1 else 'ies'} not "
                                "found on this computer.")


def tracks_for_paths(db: Database, paths: Sequence[str]) -> tuple[list[Track], list[str]]:
    """The Track for each path, in order; unknown files are read and added to the library.
    Returns (tracks, problems) where problems name the files that could not be read."""
    from player.db.tracks import KnownFile, ScannedFile, TrackRepository
    from player.library.reading import read_file

    repo = TrackRepository(db)
    new: list[ScannedFile] = []
    known: dict[str, KnownFile] = {}  # stored but missing: updated, not inserted twice
    problems: list[str] = []
    for path in dict.fromkeys(paths):
        track = repo.by_path(path)
        if track is not None and not track.missing:
            continue
        try:
            stat = os.stat(path)
        except OSError as exc:
            problems.append(f"{path}: {exc.strerror or exc}.")
            continue
        result = read_file((path, os.path.dirname(path), stat.st_size, stat.st_mtime))
        if isinstance(result, ScannedFile):
            new.append(result)
            if track is not None:
                known[path] = KnownFile(track.id, 0, 0.0, "", True)
        elif result is not None:
            problems.append(f"{path}: {result.reason}.")
    if new:
        repo.write_scanned(new, known)
    tracks = [t for t in (repo.by_path(p) for p in paths) if t is not None and not t.missing]
    return tracks, problems
