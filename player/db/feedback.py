"""Likes and "don't play this" (ban) per track."""

from __future__ import annotations

import time
from dataclasses import dataclass

from player.db.connection import Database


@dataclass(frozen=True, slots=True)
class TrackFeedback:
    track_id: int
    liked: bool = False
    banned: bool = False
    updated_at: float = 0.0


class FeedbackRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, track_id: int) -> TrackFeedback:
        rows = self.db.query("SELECT liked, banned, updated_at FROM track_feedback "
                             "WHERE track_id = ?", (track_id,))
        if not rows:
            return TrackFeedback(track_id)
        return TrackFeedback(track_id, bool(rows[0][0]), bool(rows[0][1]), float(rows[0][2]))

    def set_liked(self, track_id: int, liked: bool, at: float | None = None) -> None:
        self._set(track_id, "liked", liked, at)

    def set_banned(self, track_id: int, banned: bool, at: float | None = None) -> None:
        self._set(track_id, "banned", banned, at)

    def _set(self, track_id: int, column: str, value: bool, at: float | None) -> None:
        assert column in ("liked", "banned")
        self.db.execute(
            f"INSERT INTO track_feedback (track_id, {column}, updated_at) VALUES (?, ?, ?) "
            f"ON CONFLICT(track_id) DO UPDATE SET {column} = excluded.{column}, "
            "updated_at = excluded.updated_at",
            (track_id, int(value), time.time() if at is None else at),
        )

    def liked_ids(self) -> set[int]:
        return {r[0] for r in self.db.query("SELECT track_id FROM track_feedback WHERE liked = 1")}

    def banned_ids(self) -> set[int]:
        return {r[0] for r in self.db.query("SELECT track_id FROM track_feedback WHERE banned = 1")}
