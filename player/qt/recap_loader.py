"""Loading a recap: the recap queries (db) fed to the pure recap functions. No Qt here.

It lives in qt/ because it is the one place above both db/ and recap/ that the GUI and the CLI
share, so both show the very same numbers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from player.db import recap_queries as q
from player.db.connection import Database
from player.recap.compute import compute_recap, favourite_candidates, key_stats
from player.recap.model import Cluster, Recap, TrackInfo, YearListens, YearTotals

ClusterSource = Callable[[], Sequence[Cluster] | None]


def load_year(db: Database, year: int) -> YearListens:
    columns = q.year_listens(db, year)
    return YearListens(year, columns.local_s, columns.heard_s, columns.key, columns.offset_min,
                       columns.is_play, columns.is_skip)


def load_recap(db: Database, year: int, clusters: Sequence[Cluster] | None = None,
               compare: bool = True) -> Recap:
    """The recap of a year: one streaming pass over its listens plus small indexed lookups."""
    listens = load_year(db, year)
    previous = None
    if compare:
        count, plays, heard = q.year_totals(db, year - 1)
        previous = YearTotals(year - 1, count, plays, heard)
    analysed, start = q.analysed_track_count(db), q.history_start(db)
    if len(listens) == 0:
        return compute_recap(listens, {}, previous=previous, clusters=clusters,
                             analysed_tracks=analysed, history_start=start)
    stats = key_stats(listens)
    keys = [int(k) for k in stats.keys if k != 0]
    tracks = {r.key: TrackInfo(r.title, r.artist, r.album, r.album_artist, r.liked)
              for r in q.track_rows(db, keys)}
    candidates = favourite_candidates(stats, tracks)
    return compute_recap(
        listens, tracks,
        genres=q.genre_rows(db, keys),
        heard_before=q.keys_heard_before(db, candidates, year),
        sounds={k: (t, e) for k, t, e in q.sound_rows(db, keys) if t is not None or e is not None},
        previous=previous, clusters=clusters, stats=stats,
        unmeasured=q.unmeasured_listens(db, year), analysed_tracks=analysed, history_start=start)


def years_with_listens(db: Database) -> list[int]:
    return q.years_with_listens(db)


def daily_mix_clusters(db: Database, recommendations: Any = None) -> list[Cluster] | None:
    """Today's cached Daily Mixes as clusters, or None when none were made (never computes).
    recommendations: the app's RecommendationService (one is made when not given)."""
    try:
        from player.services.recommendations import RecommendationService

        service = recommendations or RecommendationService(db)
        mixes = service.cached_daily_mixes()
    except Exception:  # noqa: BLE001 - the recap must open even if the recommender cannot
        logging.getLogger(__name__).warning("Daily Mixes unavailable for the recap", exc_info=True)
        return None
    if not mixes:
        return None
    return [Cluster(m.title, tuple(t.id for t in m.tracks)) for m in mixes]


class RecapService:
    """Your year for the window: recaps of this database, the musical personalities from the
    app's one RecommendationService. Loading reads a year of listens: call off the GUI thread."""

    def __init__(self, db: Database, recommendations: Any = None, personalities: bool = True) -> None:
        self.db = db
        self.recommendations = recommendations
        self.personalities = personalities

    def years(self) -> list[int]:
        return years_with_listens(self.db)

    def recap(self, year: int) -> Recap:
        clusters = daily_mix_clusters(self.db, self.recommendations) if self.personalities else None
        return load_recap(self.db, year, clusters=clusters)
