"""Printing CLI results: JSON for scripts, aligned text for people."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, is_dataclass
from typing import Any


def print_json(value: Any) -> None:
    json.dump(_plain(value), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def print_json_streaming(head: dict[str, Any], key: str, items: Iterable[Any]) -> None:
    """print_json({**head, key: list(items)}) without holding the list: items are written one
    by one (a million playlist entries in constant memory)."""
    text = json.dumps(_plain({**head, key: []}), ensure_ascii=False, indent=2)
    out = sys.stdout
    out.write(text[:text.rindex("[]")] + "[")  # the key comes last: its empty list ends the text
    count = 0
    encode = json.JSONEncoder(ensure_ascii=False, indent=2).encode  # one encoder for all
    for item in items:
        body = encode(_plain(item)).replace("\n", "\n    ")
        out.write(("\n    " if count == 0 else ",\n    ") + body)
        count += 1
    out.write(("\n  ]" if count else "]") + "\n}\n")


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 40) -> None:
    cells = [[_cell(c, max_width) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def print_table_streaming(headers: Sequence[str], rows: Iterable[Sequence[Any]], max_width: int = 40,
                          page: int = 1000) -> int:
    """print_table over rows read a page at a time (constant memory); columns widen, never
    narrow, from one page to the next. Returns the rows printed."""
    widths = [len(h) for h in headers]
    printed = 0
    iterator = iter(rows)
    while cells := [[_cell(c, max_width) for c in row] for row in itertools.islice(iterator, page)]:
        widths = [max([widths[i]] + [len(r[i]) for r in cells]) for i in range(len(headers))]
        if printed == 0:
            print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
        for row in cells:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        printed += len(cells)
    if printed == 0:
        print("  ".join(headers))
    return printed


def _cell(value: Any, max_width: int) -> str:
    text = "" if value is None else str(value)
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= max_width else text[: max_width - 1] + "…"


def format_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
