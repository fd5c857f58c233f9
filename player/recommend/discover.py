"""Rediscover (weekly: library tracks never or rarely played that fit the taste) and Fresh in
your library (recently added tracks ranked for this listener)."""

from __future__ import annotations

import numpy as np

from player.recommend import content, hybrid
from player.recommend.data import DAY, Catalog, ScoringContext, listen_weights
from player.recommend.diversity import spread_artists
from player.recommend.mixes import Mix, date_seed, play_counts

LENGTH = 30
FRESH_DAYS = 30


def rediscover(model: hybrid.HybridModel, catalog: Catalog, ctx: ScoringContext, week_label: str,
               banned: frozenset[int] = frozenset()) -> Mix:
    """Never or rarely (once) played tracks closest to the long-term taste; seeded by week.
    `banned` holds what may not be picked (bans, non-music, tracks just skipped early)."""
    n = len(catalog)
    weights = listen_weights(ctx.history)
    plays = play_counts(ctx.history.track, weights, n)
    turned_down = np.bincount(ctx.history.track[weights <= 0], minlength=n)[:n]
    fit = content.score(model.content, ScoringContext(ctx.now, ctx.history, "day"))
    fit = fit + 0.5 * np.asarray(model.collab.similarity @ (plays > 1).astype(float)).ravel() / (plays.sum() or 1)
    rng = np.random.default_rng(date_seed(week_label))
    fit = fit + rng.gumbel(size=n) * (fit.std() + 1e-9) * 0.3
    # never or once played, and never skipped: a skip is not an invitation to rediscover
    candidates = [i for i in np.argsort(-fit)
                  if plays[i] <= 1 and not turned_down[i] and int(i) not in banned]
    items = spread_artists(candidates, hybrid.artists_of(model, catalog), LENGTH, max_per_artist=3)
    why = "closest to what you play" if len(ctx.history) else "no history yet: by tags and sound"
    return Mix("Rediscover", f"Tracks of your library you have never or once played, {why}",
               tuple(items), kind="rediscover", new=frozenset(items))


def fresh(model: hybrid.HybridModel, catalog: Catalog, ctx: ScoringContext,
          banned: frozenset[int] = frozenset()) -> Mix:
    """Tracks added in the last 30 days (else the newest 100), best fit for this listener first."""
    n = len(catalog)
    if catalog.added_at is None or n == 0:
        return Mix("Fresh in your library", "Recently added", (), kind="fresh")
    added = np.asarray(catalog.added_at)
    recent = np.flatnonzero(added >= ctx.now - FRESH_DAYS * DAY)
    what = f"Added in the last {FRESH_DAYS} days"
    if recent.size == 0:
        recent = np.argsort(-added)[:100]
        what = f"Nothing added in the last {FRESH_DAYS} days: your newest additions"
    fit = content.score(model.content, ScoringContext(ctx.now, ctx.history, "day"))
    order = [int(i) for i in recent[np.argsort(-fit[recent])] if int(i) not in banned]
    items = spread_artists(order, hybrid.artists_of(model, catalog), LENGTH)
    plays = play_counts(ctx.history.track, listen_weights(ctx.history), n)
    ranked = ", ranked by how close they are to what you play" if len(ctx.history) else ""
    return Mix("Fresh in your library", what + ranked, tuple(items),
               kind="fresh", new=frozenset(i for i in items if plays[i] <= 1))
