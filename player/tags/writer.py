"""Writing the common tags safely: a copy in the same folder is written, read back, then
atomically put in place of the original. A crash or a failure at any point leaves the
original file as it was (at worst a hidden `.NAME.encore-tmp` copy, removed on the next write).

mutagen's exceptions never leave this module: they become TagWriteError.

Editing keeps the file's conventions: the ID3 version it had, the case of its Vorbis and
APEv2 keys, the totals of "3/12" track numbers, and a full date's month and day when the
year does not change. A value "A; B" becomes two values where the format has lists.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import stat
from typing import Any

import mutagen
from mutagen.apev2 import APEv2
from mutagen.asf import ASFTags
from mutagen.id3 import ID3, TALB, TCON, TDRC, TIT2, TPE1, TPE2, TPOS, TRCK
from mutagen.mp4 import MP4Tags

from player.core.errors import KnownError, TagWriteError
from player.tags.reader import read_raw, read_tags

# The fields the editor offers, in the order it shows them.
FIELDS = ("title", "artist", "album", "albumartist", "genre", "year", "tracknumber", "discnumber")
LABELS = {"title": "Title", "artist": "Artist", "album": "Album", "albumartist": "Album artist",
          "genre": "Genre", "year": "Year", "tracknumber": "Track", "discnumber": "Disc"}
MULTI = ("artist", "albumartist", "genre")  # "A; B" -> two values
SEPARATOR = "; "
_TMP = ".encore-tmp"

_ID3 = {"title": TIT2, "artist": TPE1, "album": TALB, "albumartist": TPE2, "genre": TCON,
        "year": TDRC, "tracknumber": TRCK, "discnumber": TPOS}
_VORBIS = {"title": "TITLE", "artist": "ARTIST", "album": "ALBUM", "albumartist": "ALBUMARTIST",
           "genre": "GENRE", "year": "DATE", "tracknumber": "TRACKNUMBER", "discnumber": "DISCNUMBER"}
_APE = {"title": "Title", "artist": "Artist", "album": "Album", "albumartist": "Album Artist",
        "genre": "Genre", "year": "Year", "tracknumber": "Track", "discnumber": "Disc"}
_MP4 = {"title": "\xa9nam", "artist": "\xa9ART", "album": "\xa9alb", "albumartist": "aART",
        "genre": "\xa9gen", "year": "\xa9day", "tracknumber": "trkn", "discnumber": "disk"}
_ASF = {"title": "Title", "artist": "Author", "album": "WM/AlbumTitle",
        "albumartist": "WM/AlbumArtist", "genre": "WM/Genre", "year": "WM/Year",
        "tracknumber": "WM/TrackNumber", "discnumber": "WM/PartOfSet"}


def current_values(path: str) -> dict[str, str]:
    """The editable fields as the editor shows them: lists joined with "; "."""
    raw = read_raw(path)
    joined = {key: SEPARATOR.join(values) for key, values in raw.items()}
    out = {f: joined.get(f, "") for f in FIELDS if f != "year"}
    out["year"] = joined.get("date", "")
    return out


def write_tags(path: str, changes: dict[str, str]) -> None:
    """Set the given fields ("" removes one) of path's tags, safely. Raises TagWriteError."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TagWriteError(f"unknown field(s): {', '.join(sorted(unknown))}",
                            f"Fields: {', '.join(FIELDS)}")
    target = os.path.realpath(path)  # a link stays a link: its target is rewritten
    _check_writable(target)
    _remove_stale_copies(target)
    copy = _temporary_name(target)
    try:
        shutil.copy2(target, copy)
        _write(copy, changes)
        _verify(copy, changes)
        with open(copy, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(copy, target)
        _sync_folder(target)
    except TagWriteError:
        raise
    except KnownError as exc:
        raise TagWriteError(f"the written copy did not read back: {exc.message}") from exc
    except OSError as exc:
        raise TagWriteError(f"cannot write {os.path.basename(path)}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(copy)


def _check_writable(target: str) -> None:
    name = os.path.basename(target)
    if not os.path.exists(target):
        raise TagWriteError(f"{name}: the file is missing", "Rescan the library to see where it went.")
    # The owner's write bit too: root may write anything, but a file marked read-only was
    # marked so on purpose.
    if not os.access(target, os.W_OK) or not os.stat(target).st_mode & stat.S_IWUSR:
        raise TagWriteError(f"{name}: the file is read-only", "Allow writing it (chmod u+w) to edit its tags.")
    if not os.access(os.path.dirname(target), os.W_OK | os.X_OK):
        raise TagWriteError(f"{name}: its folder is read-only",
                            "Tags are written to a copy next to the file first; the folder must be writable.")


def _temporary_name(target: str) -> str:
    folder, name = os.path.split(target)
    # The extension stays last: mutagen and the reader choose the format by it.
    return os.path.join(folder, f".{name}{_TMP}-{os.getpid()}{os.path.splitext(name)[1]}")


def _remove_stale_copies(target: str) -> None:
    """Copies left by a write that was killed: harmless (hidden), but not worth keeping."""
    folder, name = os.path.split(target)
    for stale in glob.glob(os.path.join(glob.escape(folder), f".{glob.escape(name)}{_TMP}-*")):
        with contextlib.suppress(OSError):
            os.unlink(stale)


def _sync_folder(target: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(os.path.dirname(target), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write(path: str, changes: dict[str, str]) -> None:
    try:
        audio = mutagen.File(path)
    except (mutagen.MutagenError, OSError, ValueError) as exc:
        raise TagWriteError(f"{_name(path)}: not readable audio ({exc})") from exc
    if audio is None:
        raise TagWriteError(f"{_name(path)}: not a recognised audio format")
    if audio.tags is None:
        try:
            audio.add_tags()
        except (mutagen.MutagenError, NotImplementedError, TypeError) as exc:
            raise TagWriteError(f"{_name(path)}: {type(audio).__name__} files cannot hold tags "
                                "that Encore can write") from exc
    tags = audio.tags
    try:
        if isinstance(tags, ID3):
            _set_id3(tags, changes)
            version = tags.version[1] if tags.version[1] in (3, 4) else 4
            audio.save(v2_version=version)
        else:
            if isinstance(tags, MP4Tags):
                _set_mp4(tags, changes)
            elif isinstance(tags, ASFTags):
                _set_keys(tags, changes, _ASF, keep_spelling=False)
            elif isinstance(tags, APEv2):
                _set_keys(tags, changes, _APE, keep_spelling=True)
            elif hasattr(tags, "keys") and hasattr(tags, "__setitem__"):
                _set_keys(tags, changes, _VORBIS, keep_spelling=True)
            else:
                raise TagWriteError(f"{_name(path)}: Encore cannot write {type(tags).__name__} tags")
            audio.save()
    except TagWriteError:
        raise
    except (mutagen.MutagenError, ValueError, TypeError, KeyError, struct_error()) as exc:
        raise TagWriteError(f"{_name(path)}: mutagen could not write the tags ({exc})") from exc


def struct_error() -> type[Exception]:
    import struct

    return struct.error


def _name(path: str) -> str:
    return os.path.basename(path).split(_TMP)[0].lstrip(".")


def _values(field: str, text: str) -> list[str]:
    if field in MULTI:
        return [v.strip() for v in text.split(";") if v.strip()]
    return [text.strip()] if text.strip() else []


def _number(new: str, old: str) -> str:
    """"4" over "3/12" keeps the total: "4/12"."""
    if new and "/" not in new and "/" in old:
        return f"{new}/{old.split('/', 1)[1]}"
    return new


def _date(new: str, old: str) -> str:
    """The year typed over "2001-05-03" keeps month and day when the year is the same."""
    return old if old[:4] == new and len(old) > 4 else new


def _adjusted(field: str, text: str, old: str) -> str:
    if field in ("tracknumber", "discnumber"):
        return _number(text.strip(), old)
    if field == "year":
        return _date(text.strip(), old)
    return text


def _set_id3(tags: ID3, changes: dict[str, str]) -> None:
    for field, text in changes.items():
        frame = _ID3[field]
        old = str(tags[frame.__name__]) if frame.__name__ in tags else ""
        values = _values(field, _adjusted(field, text, old))
        tags.delall(frame.__name__)
        if field == "year":
            tags.delall("TYER")  # ID3v2.3's year frame: one date, not two disagreeing
        if values:
            tags.add(frame(encoding=3, text=values))


# Lower-cased keys the reader takes as each field (tags/reader.py's aliases): all are replaced.
_SAME_FIELD = {"title": ("title",), "artist": ("artist", "author"), "album": ("album", "wm/albumtitle"),
               "albumartist": ("albumartist", "album artist", "album_artist", "wm/albumartist"),
               "genre": ("genre", "wm/genre"), "year": ("date", "year", "wm/year"),
               "tracknumber": ("tracknumber", "track", "wm/tracknumber"),
               "discnumber": ("discnumber", "disc", "wm/partofset")}


def _set_keys(tags: Any, changes: dict[str, str], names: dict[str, str], keep_spelling: bool) -> None:
    for field, text in changes.items():
        found = [k for k in dict.fromkeys(tags.keys()) if k.lower() in _SAME_FIELD[field]]
        # Vorbis and APEv2 keys keep the spelling the file uses ("Year" or "DATE"...).
        key = found[0] if keep_spelling and found else names[field]
        old = _text_of(tags.get(found[0])) if found else ""
        values = _values(field, _adjusted(field, text, old))
        for k in found:
            del tags[k]
        if values:
            tags[key] = values


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    items = value if isinstance(value, list) else list(value) if not isinstance(value, str) else [value]
    return str(getattr(items[0], "value", items[0])) if items else ""


def _set_mp4(tags: MP4Tags, changes: dict[str, str]) -> None:
    for field, text in changes.items():
        key = _MP4[field]
        if field in ("tracknumber", "discnumber"):
            old_total = tags[key][0][1] if key in tags and tags[key] else 0
            parts = [int(p) for p in text.replace(" ", "").split("/") if p.isdigit()]
            if key in tags:
                del tags[key]
            if parts:
                tags[key] = [(parts[0], parts[1] if len(parts) > 1 else old_total)]
            continue
        old = str(tags[key][0]) if key in tags and tags[key] else ""
        values = _values(field, _adjusted(field, text, old))
        if key in tags:
            del tags[key]
        if values:
            tags[key] = values


def _verify(copy: str, changes: dict[str, str]) -> None:
    """The copy must read back as audio with the values written (else nothing is replaced)."""
    read_tags(copy)  # raises TagReadError (a KnownError) when the copy is not readable audio
    now = current_values(copy)
    for field, text in changes.items():
        wanted = SEPARATOR.join(_values(field, text)) if field in MULTI else text.strip()
        got = now[field]
        if field in ("tracknumber", "discnumber", "year"):
            if not got.startswith(wanted.split("/")[0]) or (not wanted and got):
                raise TagWriteError(f"{_name(copy)}: {field} read back as {got!r}, not {wanted!r}")
        elif got != wanted:
            raise TagWriteError(f"{_name(copy)}: {field} read back as {got!r}, not {wanted!r}")
