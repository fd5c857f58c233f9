"""The listen table, as Encore's own player writes it: open at start, heartbeats, close.

Imported listens (origin != 'encore') are written by the importers; this repository reads
them too (recent()) but never changes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from player.core.paths import from_db
from player.db.connection import Database
from player.db.import_runs import heard


@dataclass(frozen=True, slots=True)
class TrackStats:
    plays: int
    skips: int
    last_played: float | None  # when the latest play started; None: never played


@dataclass(frozen=True, slots=True)
class ListenRow:
    """One stored listen, with the track's title and artist for display."""

    id: int
    track_id: int | None
    started_at: float
    utc_offset_min: int
    ms_played: int | None
    duration_ms: int | None
    end_reason: str | None
    end_position_ms: int | None
    source: str
    source_id: str
    session_id: int
    shuffle: bool
    repeat_mode: str
    heartbeat_at: float | None
    is_play: bool
    is_skip: bool
    is_early_skip: bool
    is_repeat: bool
    origin: str
    title: str = ""
    artist: str = ""
    path: str = ""


_COLUMNS = (
    "l.id, l.track_id, l.started_at, l.utc_offset_min, l.ms_played, l.duration_ms, l.end_reason, "
    "l.end_position_ms, l.source, l.source_id, l.session_id, l.shuffle, l.repeat_mode, "
    "l.heartbeat_at, l.is_play, l.is_skip, l.is_early_skip, l.is_repeat, l.origin, "
    "COALESCE(t.title, e.title, ''), COALESCE(t.artist, e.artist, ''), COALESCE(t.path, '')"
)
_FROM = ("FROM listen l LEFT JOIN track t ON t.id = l.track_id "
         "LEFT JOIN external_track e ON e.id = l.external_id")


def _row(r: Sequence[Any]) -> ListenRow:
    return ListenRow(
        id=r[0], track_id=r[1], started_at=r[2], utc_offset_min=r[3], ms_played=r[4],
        duration_ms=r[5], end_reason=r[6], end_position_ms=r[7], source=r[8], source_id=r[9],
        session_id=r[10], shuffle=bool(r[11]), repeat_mode=r[12], heartbeat_at=r[13],
        is_play=bool(r[14]), is_skip=bool(r[15]), is_early_skip=bool(r[16]),
        is_repeat=bool(r[17]), origin=r[18], title=r[19], artist=r[20], path=from_db(r[21]),
    )


class ListenRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- the player's writes ---------------------------------------------------------------
    def open(self, *, track_id: int | None, started_at: float, utc_offset_min: int,
             duration_ms: int, source: str, source_id: str, session_id: int, shuffle: bool,
             repeat_mode: str, is_repeat: bool, position_ms: int = 0, owner: str | None = None) -> int:
        """Write a listen that has just started (end_reason NULL until closed).

        owner: the playing process (history/owner.py), so recovery leaves live listens alone.
        """
        return self.db.execute(
            "INSERT INTO listen (track_id, started_at, utc_offset_min, ms_played, duration_ms, "
            "end_position_ms, source, source_id, session_id, shuffle, repeat_mode, heartbeat_at, "
            "is_repeat, origin, owner) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'encore', ?)",
            (track_id, started_at, utc_offset_min, duration_ms, position_ms, source, source_id,
             session_id, int(shuffle), repeat_mode, started_at, int(is_repeat), owner),
        )

    def heartbeat(self, listen_id: int, at: float, ms_played: int, position_ms: int) -> None:
        self.db.execute(
            "UPDATE listen SET heartbeat_at = ?, ms_played = ?, end_position_ms = ? "
            "WHERE id = ? AND end_reason IS NULL",
            (at, ms_played, position_ms, listen_id),
        )

    def close(self, listen_id: int, *, at: float, ms_played: int, end_reason: str,
              end_position_ms: int, is_play: bool, is_skip: bool, is_early_skip: bool) -> None:
        self.db.execute(
            "UPDATE listen SET heartbeat_at = ?, ms_played = ?, end_reason = ?, "
            "end_position_ms = ?, is_play = ?, is_skip = ?, is_early_skip = ? WHERE id = ?",
            (at, ms_played, end_reason, end_position_ms, int(is_play), int(is_skip),
             int(is_early_skip), listen_id),
        )

    # -- reads the logger needs ------------------------------------------------------------
    def open_listens(self) -> list[ListenRow]:
        """Listens never closed (the app died while they played)."""
        rows = self.db.query(f"SELECT {_COLUMNS} {_FROM} WHERE l.end_reason IS NULL "
                             "AND l.origin = 'encore' ORDER BY l.id")
        return [_row(r) for r in rows]

    def open_owners(self) -> dict[int, str | None]:
        """listen id -> owner ("pid:start", None if unknown) of every open listen."""
        return {int(r[0]): r[1] for r in self.db.query(
            "SELECT id, owner FROM listen WHERE end_reason IS NULL AND origin = 'encore'")}

    def last_heard(self) -> tuple[float | None, int]:
        """(when anything was last heard, that listen's session id) of Encore's own listens."""
        rows = self.db.query(
            "SELECT heartbeat_at, session_id FROM listen WHERE origin = 'encore' "
            "ORDER BY started_at DESC, id DESC LIMIT 1")
        if not rows:
            return None, 0
        return rows[0][0], int(rows[0][1])

    def max_session_id(self) -> int:
        return int(self.db.scalar(f"SELECT MAX(session_id) FROM listen WHERE {heard()}") or 0)

    def last_play_heard_at(self, track_id: int) -> float | None:
        """When the track's latest play was last heard (its end), None if never played."""
        value = self.db.scalar(
            "SELECT heartbeat_at FROM listen WHERE track_id = ? AND is_play = 1 "
            f"AND end_reason IS NOT NULL AND {heard()} ORDER BY started_at DESC LIMIT 1",
            (track_id,))
        return None if value is None else float(value)

    # -- reading ---------------------------------------------------------------------------
    def get(self, listen_id: int) -> ListenRow | None:
        rows = self.db.query(f"SELECT {_COLUMNS} {_FROM} WHERE l.id = ? AND {heard('l')}",
                             (listen_id,))
        return _row(rows[0]) if rows else None

    def recent(self, limit: int = 50) -> list[ListenRow]:
        """The latest listens, newest first (Encore's and imported)."""
        rows = self.db.query(f"SELECT {_COLUMNS} {_FROM} WHERE {heard('l')} "
                             "ORDER BY l.started_at DESC, l.id DESC LIMIT ?", (limit,))
        return [_row(r) for r in rows]

    def count(self) -> int:
        return int(self.db.scalar(f"SELECT COUNT(*) FROM listen WHERE {heard()}") or 0)

    def track_stats(self, track_ids: Sequence[int]) -> dict[int, TrackStats]:
        """Plays, skips and the last play of each track (Encore's and linked imported
        listens); tracks never listened to are absent."""
        out: dict[int, TrackStats] = {}
        ids = list(track_ids)
        for start in range(0, len(ids), 500):  # SQLite's bound-parameter limit
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.query(
                "SELECT track_id, COALESCE(SUM(is_play), 0), COALESCE(SUM(is_skip), 0), "
                "MAX(CASE WHEN is_play = 1 THEN started_at END) FROM listen "
                f"WHERE track_id IN ({marks}) AND {heard()} GROUP BY track_id", tuple(chunk))
            for track_id, plays, skips, last in rows:
                out[int(track_id)] = TrackStats(int(plays), int(skips),
                                                None if last is None else float(last))
        return out
