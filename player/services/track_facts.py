"""What Encore knows about one track beyond its tags: how it was listened to, and what the
audio analysis heard. Track info shows it; nothing here is estimated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from player.analysis.version import FEATURE_VERSION
from player.db.connection import Database
from player.db.features import FeatureRepository
from player.db.listens import ListenRepository, TrackStats


@dataclass(frozen=True, slots=True)
class TrackFacts:
    stats: TrackStats  # zero plays and skips when never listened to
    analysis: dict[str, Any] | None  # the features; None when not analysed (this version)
    analysis_error: str | None = None  # why the analysis could not decode it


def track_facts(db: Database, track_id: int) -> TrackFacts:
    stats = ListenRepository(db).track_stats([track_id]).get(track_id, TrackStats(0, 0, None))
    row = FeatureRepository(db).get(track_id)
    if row is None or row["version"] != FEATURE_VERSION:
        return TrackFacts(stats, None)
    if row["error"]:
        return TrackFacts(stats, None, str(row["error"]))
    return TrackFacts(stats, row["features"])
