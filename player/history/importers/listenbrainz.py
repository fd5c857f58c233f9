"""ListenBrainz exports: a JSON array, or JSON lines, of listens.

Each listen: listened_at (start, UTC seconds), track_metadata {artist_name, track_name,
release_name, additional_info {recording_mbid, duration_ms | duration}, mbid_mapping}.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from player.history.importers.base import (
    ImportedListen,
    Rejected,
    Row,
    origin_key,
    parse_iso_utc,
    time_problem,
)
from player.history.importers.context import ReadContext, json_object_rows

NAME = "listenbrainz"


def looks_like(record: dict[str, Any]) -> bool:
    return "listened_at" in record or "track_metadata" in record


def read(records: Iterable[Any], ctx: ReadContext) -> Iterator[Row]:
    return json_object_rows(records, ctx, lambda record, where: _placed(_row(record, ctx), where))


def _placed(row: Row, where: str) -> Row:
    return Rejected(row.reason, where) if isinstance(row, Rejected) else row


def _when(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        return float(value) if value.strip().isdigit() else parse_iso_utc(value)
    raise ValueError(value)


def _duration_ms(info: dict[str, Any]) -> int | None:
    try:
        if info.get("duration_ms") is not None:
            return int(info["duration_ms"])
        if info.get("duration") is not None:
            return int(float(info["duration"]) * 1000)
    except (TypeError, ValueError):
        return None
    return None


def _object(parent: dict[str, Any], key: str) -> dict[str, Any]:
    value = parent.get(key)
    return value if isinstance(value, dict) else {}


def _row(record: dict[str, Any], ctx: ReadContext) -> Row:
    try:
        when = _when(record.get("listened_at"))
    except (TypeError, ValueError):
        return Rejected(f"missing or unreadable listened_at {record.get('listened_at')!r}")
    meta = _object(record, "track_metadata")
    info = _object(meta, "additional_info")
    mapping = _object(meta, "mbid_mapping")
    artist = str(meta.get("artist_name") or "").strip()
    title = str(meta.get("track_name") or "").strip()
    problem = time_problem(when) or ("" if artist and title else "no artist or title")
    if problem:
        return Rejected(problem)
    user = str(record.get("user_name") or "")
    mbid = str(info.get("recording_mbid") or mapping.get("recording_mbid") or "")
    return ImportedListen(
        user, when, ctx.offsets(when), None, _duration_ms(info), artist, title,
        str(meta.get("release_name") or "").strip(), mbid, None, None, "listenbrainz",
        origin_key("listenbrainz", user, when, artist, title),
    )
