"""Likes and "Don't play this": one path for every place that offers them.

A ban is written once here and announced (feedback_changed, reason "ban"); everything that
builds music for the listener hears it at once: the recommender drops the track from today's
mixes and its radios, the playback service drops it from what is still to come in the queue.
"""

from __future__ import annotations

from player.core.clock import Clock, SystemClock
from player.core.events import EventBus
from player.db.connection import Database
from player.db.feedback import FeedbackRepository, TrackFeedback


class FeedbackService:
    def __init__(self, db: Database, bus: EventBus | None = None, clock: Clock | None = None) -> None:
        self.repo = FeedbackRepository(db)
        self.bus = bus or EventBus()
        self.clock = clock or SystemClock()

    def get(self, track_id: int) -> TrackFeedback:
        return self.repo.get(track_id)

    def like(self, track_id: int, liked: bool = True) -> None:
        self.repo.set_liked(track_id, liked, self.clock.now())
        self.bus.publish("feedback_changed", {"track_ids": [track_id], "reason": "like" if liked else "unlike"})

    def ban(self, track_id: int, banned: bool = True) -> None:
        """Don't play this (banned=False: play it again)."""
        self.repo.set_banned(track_id, banned, self.clock.now())
        self.bus.publish("feedback_changed", {"track_ids": [track_id], "reason": "ban" if banned else "unban"})

    def banned_ids(self) -> set[int]:
        return self.repo.banned_ids()
