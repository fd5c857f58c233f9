"""M3U and M3U8: one location per line, optional #EXTM3U / #EXTINF / #PLAYLIST lines."""

from __future__ import annotations

from collections.abc import Iterable

from player.playlists.entries import ExportItem, FileEntry, ParsedPlaylist, split_artist_title


def parse_m3u(text: str) -> ParsedPlaylist:
    parsed = ParsedPlaylist("m3u")
    pending: tuple[str, str, float | None, int] | None = None  # artist, title, duration, line
    for number, raw in enumerate(text.splitlines(), start=1):  # \n, \r\n and \r alike
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.upper().startswith("#EXTINF:"):
                if pending is not None:
                    parsed.warnings.append(f"line {pending[3]}: #EXTINF without a location")
                pending = (*_extinf(line[8:]), number)
            elif line.upper().startswith("#PLAYLIST:"):
                parsed.title = line[10:].strip()
            continue
        artist, title, duration = pending[:3] if pending else ("", "", None)
        parsed.entries.append(FileEntry(line, artist, title, duration, number))
        pending = None
    if pending is not None:
        parsed.warnings.append(f"line {pending[3]}: #EXTINF without a location (truncated file?)")
    return parsed


def _extinf(rest: str) -> tuple[str, str, float | None]:
    """'123 tvg-x="a,b",Artist - Title' -> (artist, title, 123.0)."""
    head, title_text = _split_outside_quotes(rest)
    number = head.split(" ", 1)[0].strip()
    try:
        duration: float | None = float(number)
    except ValueError:
        duration = None
    if duration is not None and duration < 0:
        duration = None  # -1 means unknown (streams)
    artist, title = split_artist_title(title_text)
    return artist, title, duration


def _split_outside_quotes(text: str) -> tuple[str, str]:
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            return text[:index], text[index + 1:]
    return text, ""


def write_m3u(items: Iterable[ExportItem], title: str = "") -> str:
    lines = ["#EXTM3U"]
    if title:
        lines.append(f"#PLAYLIST:{_one_line(title)}")
    for item in items:
        label = f"{item.artist} - {item.title}" if item.artist else item.title
        lines.append(f"#EXTINF:{int(round(item.duration)) if item.duration else -1},{_one_line(label)}")
        lines.append(item.location)
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
