"""What a smart playlist rule can say: its fields (with their kind), operators and sorts.

Plain data, so the rule model (playlists/rules.py), the editor (ui/) and the SQL compiler
(db/smart_sql.py, which maps each name to SQL) all read one list. A field or sort added here
and not to the compiler fails at import (smart_sql checks the two agree).
"""

from __future__ import annotations

from typing import Literal

from player.core.errors import KnownError


class SmartRuleError(KnownError):
    """A smart playlist rule that cannot be understood."""


FieldKind = Literal["text", "number", "date", "bool"]

FIELD_KINDS: dict[str, FieldKind] = {
    "title": "text",
    "artist": "text",
    "album": "text",
    "album_artist": "text",
    "genre": "text",
    "codec": "text",
    "path": "text",
    "year": "number",
    "duration": "number",
    "bpm": "number",
    "play_count": "number",  # plays by the rulebook (core/rules.py)
    "skip_count": "number",
    "listen_count": "number",
    "skip_rate": "number",  # skips / listens
    "last_played": "date",
    "first_played": "date",
    "added": "date",
    "liked": "bool",
    "banned": "bool",
    "rating": "number",
    "tempo": "number",
    "energy": "number",
    "danceability": "number",
    "loudness": "number",
    "key": "text",
}

OPERATORS: dict[str, tuple[str, ...]] = {  # by FieldKind
    "text": ("is", "is_not", "contains", "not_contains", "starts_with", "ends_with"),
    "number": ("=", "!=", "<", "<=", ">", ">=", "between"),
    "date": ("in_last_days", "not_in_last_days", "before", "after", "never", "ever"),
    "bool": ("is",),
}

SORT_KEYS: tuple[str, ...] = (
    "random", "title", "artist", "album", "year", "duration", "added", "play_count",
    "skip_count", "skip_rate", "last_played", "first_played", "rating", "tempo", "energy",
)


def operators_for(field: str) -> tuple[str, ...]:
    """The operators a field takes (empty for an unknown field)."""
    kind = FIELD_KINDS.get(field)
    return OPERATORS[kind] if kind is not None else ()
