"""What a format reader needs besides the file: the zone for offsets and where it is reading."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from player.history.importers.base import OffsetCache, Rejected, Row, guarded


@dataclass(slots=True)
class ReadContext:
    offsets: OffsetCache  # utc_offset_min of the user's zone at an instant
    name: str  # the file (or zip entry) being read, for messages

    def where(self, line: int) -> str:
        return f"{self.name}:{line}"


def json_object_rows(records: Iterable[Any], ctx: ReadContext,
                     make_row: Callable[[dict[str, Any], str], Row]) -> Iterator[Row]:
    """Each record of a JSON export made into a row by make_row(record, where); anything
    that is not a JSON object is rejected with its place in the file, and so is a record
    whose values cannot be read (base.guarded)."""
    make_row = guarded(make_row)
    for number, record in enumerate(records, 1):
        where = f"{ctx.name} record {number}"
        if isinstance(record, Rejected):
            yield record
        elif not isinstance(record, dict):
            yield Rejected("a record is not a JSON object", where)
        else:
            yield make_row(record, where)
