"""How a listen's source reads to a person: "album · Endgame", "artist · Maxstack", "radio".

A source id is whatever the view that started playback gave: an album's key is
"artist\\x1ftitle\\x1fpath", a playlist's its number, an artist's or genre's the name.
"""

from __future__ import annotations

SEPARATOR = " \u00b7 "
UNIT = "\x1f"  # what joins the parts of an album key


def source_label(source: str, source_id: str = "", playlist_names: dict[str, str] | None = None) -> str:
    """The source and, when it names something, that name after a middle dot."""
    name = source_id.strip()
    if UNIT in name:  # an album key: its title (the second part)
        parts = name.split(UNIT)
        name = parts[1] if len(parts) > 1 and parts[1] else parts[0]
    elif source == "playlist" and playlist_names is not None:
        name = playlist_names.get(name, name)
    if not name or name == source:
        return source
    return f"{source}{SEPARATOR}{name}"
