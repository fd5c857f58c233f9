"""PLS: an INI file, [playlist] with FileN / TitleN / LengthN and NumberOfEntries."""

from __future__ import annotations

import re
from collections.abc import Iterable

from player.playlists.entries import (
    ExportItem,
    FileEntry,
    ParsedPlaylist,
    PlaylistFileError,
    split_artist_title,
)

_KEY = re.compile(r"^(file|title|length)(\d+)$", re.IGNORECASE)


def parse_pls(text: str) -> ParsedPlaylist:
    parsed = ParsedPlaylist("pls")
    slots: dict[int, dict[str, tuple[str, int]]] = {}
    declared: int | None = None
    saw_header = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        if line.startswith("["):
            saw_header = saw_header or line.lower() == "[playlist]"
            continue
        key, sep, value = line.partition("=")
        if not sep:
            parsed.warnings.append(f"line {number}: not KEY=VALUE, ignored")
            continue
        key, value = key.strip(), value.strip()
        if key.lower() == "numberofentries":
            declared = int(value) if value.isdigit() else None
        elif match := _KEY.match(key):
            slots.setdefault(int(match.group(2)), {})[match.group(1).lower()] = (value, number)
    if not saw_header and not slots:
        raise PlaylistFileError("This is not a PLS playlist (no [playlist] section, no FileN= lines).")
    for index in sorted(slots):
        fields = slots[index]
        if "file" not in fields:
            parsed.warnings.append(f"entry {index}: Title/Length without File{index}, ignored")
            continue
        location, line_number = fields["file"]
        artist, title = split_artist_title(fields.get("title", ("", 0))[0])
        parsed.entries.append(FileEntry(location, artist, title, _length(fields), line_number))
    if declared is not None and declared != len(parsed.entries):
        parsed.warnings.append(f"NumberOfEntries says {declared} but the file has "
                               f"{len(parsed.entries)} entries; all found entries were read")
    return parsed


def _length(fields: dict[str, tuple[str, int]]) -> float | None:
    try:
        value = float(fields.get("length", ("", 0))[0])
    except ValueError:
        return None
    return value if value >= 0 else None


def write_pls(items: Iterable[ExportItem]) -> str:
    lines = ["[playlist]"]
    count = 0
    for count, item in enumerate(items, start=1):
        label = f"{item.artist} - {item.title}" if item.artist else item.title
        lines += [f"File{count}={item.location}", f"Title{count}={' '.join(label.split())}",
                  f"Length{count}={int(round(item.duration)) if item.duration else -1}"]
    lines += [f"NumberOfEntries={count}", "Version=2"]
    return "\n".join(lines) + "\n"
