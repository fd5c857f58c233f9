"""The audio_features table: one row per analysed track (features JSON, the similarity
vector as float32 bytes, the feature version, or the reason the file could not be analysed).

Analysis-computed ReplayGain: when a track has no ReplayGain tag (rg_track_gain IS NULL),
`apply_computed_replaygain` copies the analysis' gain and peak into track.rg_track_gain /
rg_track_peak so playback uses it like a tag, and sets "replaygain_applied": true in that
track's features JSON as the record that the value was computed, not read from tags.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from player.core.paths import from_db
from player.db.connection import Database


@dataclass(frozen=True, slots=True)
class FeatureRow:
    """One result to store: features and vector, or an error (the plain reason)."""

    track_id: int
    features: dict[str, Any] | None
    vector: np.ndarray | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class FeatureCounts:
    tracks: int
    analysed: int  # current version, with features
    failed: int  # current version, with an error
    outdated: int  # analysed by an older version
    pending: int  # not analysed at the current version


class FeatureRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def pending(self, version: int, limit: int | None = None) -> list[tuple[int, str]]:
        """(track id, path) of present tracks without a row of this version, by id."""
        sql = ("SELECT t.id, t.path FROM track t LEFT JOIN audio_features f ON f.track_id = t.id "
               "WHERE t.missing = 0 AND (f.track_id IS NULL OR f.version != ?) ORDER BY t.id")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [(int(r[0]), from_db(r[1])) for r in self.db.query(sql, (version,))]

    def save(self, rows: Sequence[FeatureRow], version: int) -> None:
        """Write one batch in one transaction (replacing older versions' rows)."""
        now = time.time()
        values = [
            (r.track_id, version, now,
             json.dumps(r.features, separators=(",", ":")) if r.features is not None else "{}",
             r.vector.astype(np.float32).tobytes() if r.vector is not None else None, r.error)
            for r in rows
        ]
        self.db.executemany(
            "INSERT OR REPLACE INTO audio_features (track_id, version, analysed_at, features, "
            "vector, error) SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM track WHERE id = ?)",
            [(*v, v[0]) for v in values],
        )

    def apply_computed_replaygain(self, version: int) -> int:
        """Fill rg_track_gain/peak from analysis where tags gave none; returns tracks filled."""
        with self.db.transaction():
            filled = self.db.query(
                "SELECT t.id FROM track t JOIN audio_features f ON f.track_id = t.id "
                "WHERE t.rg_track_gain IS NULL AND f.version = ? AND f.error IS NULL "
                "AND json_extract(f.features, '$.replaygain_track_gain') IS NOT NULL", (version,))
            self.db.executemany(
                "UPDATE track SET "
                "rg_track_gain = (SELECT json_extract(features, '$.replaygain_track_gain') "
                "FROM audio_features WHERE track_id = track.id), "
                "rg_track_peak = (SELECT json_extract(features, '$.peak') "
                "FROM audio_features WHERE track_id = track.id) WHERE id = ?", filled)
            self.db.executemany(
                "UPDATE audio_features SET features = json_set(features, '$.replaygain_applied', "
                "json('true')) WHERE track_id = ?", filled)
        return len(filled)

    def get(self, track_id: int) -> dict[str, Any] | None:
        rows = self.db.query("SELECT features, error, version FROM audio_features WHERE track_id = ?",
                             (track_id,))
        if not rows:
            return None
        features, error, version = rows[0]
        return {"version": version, "error": error, "features": json.loads(features or "{}")}

    def vectors(self, version: int) -> tuple[list[int], np.ndarray]:
        """Ids and an (n, d) float32 matrix of every present track with a current vector."""
        rows = self.db.query(
            "SELECT f.track_id, f.vector FROM audio_features f JOIN track t ON t.id = f.track_id "
            "WHERE f.version = ? AND f.vector IS NOT NULL AND t.missing = 0 ORDER BY f.track_id",
            (version,))
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        matrix = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
        return [int(r[0]) for r in rows], matrix

    def errors(self, version: int) -> list[tuple[int, str, str]]:
        """(track id, path, reason) of files this version could not analyse."""
        rows = self.db.query(
            "SELECT t.id, t.path, f.error FROM audio_features f JOIN track t ON t.id = f.track_id "
            "WHERE f.version = ? AND f.error IS NOT NULL ORDER BY t.path", (version,))
        return [(int(r[0]), from_db(r[1]), str(r[2])) for r in rows]

    def counts(self, version: int) -> FeatureCounts:
        tracks, analysed, failed, outdated = self.db.query(
            "SELECT count(*), coalesce(sum(f.version = ? AND f.error IS NULL), 0), "
            "coalesce(sum(f.version = ? AND f.error IS NOT NULL), 0), "
            "coalesce(sum(f.version != ?), 0) "
            "FROM track t LEFT JOIN audio_features f ON f.track_id = t.id WHERE t.missing = 0",
            (version, version, version))[0]
        return FeatureCounts(int(tracks), int(analysed), int(failed), int(outdated),
                             int(tracks) - int(analysed) - int(failed))
