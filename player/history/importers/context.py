"""What a format reader needs besides the file: the zone for offsets and where it is reading."""

from __future__ import annotations

from dataclasses import dataclass

from player.history.importers.base import OffsetCache


@dataclass(slots=True)
class ReadContext:
    offsets: OffsetCache  # utc_offset_min of the user's zone at an instant
    name: str  # the file (or zip entry) being read, for messages

    def where(self, line: int) -> str:
        return f"{self.name}:{line}"
