"""Context part: when in the day and week each track is played. An hour ahead, the taste of the
last day (a recency-weighted count of plays) is tilted toward the tracks this listener plays at
this local hour and weekday: each track's share of plays near now, over the last year, against the
listener's own share, shrunk toward 1 for tracks with few plays. Then it is spread to similar
tracks through the content features (artist, album, genre, sound), so "jazz on weekday
mornings" reaches unplayed jazz. A day ahead the taste is the last 3 days' and untilted (a
weekday tilt did not help). `use_time=False` is the context-free ablation: the same taste without
the tilt (docs/EVALUATION.md reports both)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from player.recommend import content
from player.recommend.data import (
    DAY,
    FloatArray,
    Horizon,
    RecData,
    ScoringContext,
    listen_weights,
    local_hour_weekday,
    weighted_counts,
)

HOUR_SIGMA = 1.5  # hours: smoothing of the hour-of-day profile
SAME_DAY, SAME_KIND, OTHER_DAY = 1.0, 0.6, 0.25  # weekday affinity: same day, weekday/weekend
# How far back the taste looks. Dev set, hour-ahead NDCG@10 of the context-free taste: 30 days
# 0.070, 3 days 0.111, 1 day 0.125, 12 h 0.129; a day ahead Recall@100: 30 days 0.195,
# 7 days 0.247, 3 days 0.255.
MEMORY: dict[Horizon, float] = {"hour": 1 * DAY, "day": 3 * DAY}
PROFILE_MEMORY = 365 * DAY  # the hour x weekday profile of each track: the last year
# Plays of evidence a track needs before its own time profile outweighs the listener's (the
# shrinkage of the tilt). Dev set, 1-day taste: 20 gave 0.130, 50 0.128, 200 0.126.
PROFILE_PRIOR = 20.0
# A day ahead only the weekday is known, and a weekday tilt lost to no tilt at every strength
# tried on the dev set (30-day taste 0.194 against 0.195, 3-day 0.254 against 0.255): the day
# part uses no time.
TIMED: dict[Horizon, bool] = {"hour": True, "day": False}
SPREAD = 0.5  # weight of the taste spread through content features


@dataclass(frozen=True)
class ContextModel:
    features: sparse.csr_matrix


def fit(data: RecData, *, seed: int = 0) -> ContextModel:
    return ContextModel(content.item_features(data.catalog))


def time_affinity(ctx: ScoringContext) -> FloatArray:
    """How much each listen of the history resembles now in local hour and weekday."""
    h = ctx.history
    hour, weekday = local_hour_weekday(h.ts, h.utc_offset_min)
    now_hour, now_weekday = local_hour_weekday(np.array([ctx.now]), ctx.utc_offset_min)
    local_h = hour + ((h.ts + h.utc_offset_min * 60.0) % 3600) / 3600.0
    now_h = now_hour[0] + ((ctx.now + ctx.utc_offset_min * 60.0) % 3600) / 3600.0
    d = np.abs(local_h - now_h)
    d = np.minimum(d, 24.0 - d)
    # A day ahead the hour is unknown: only the weekday counts.
    by_hour = np.exp(-0.5 * (d / HOUR_SIGMA) ** 2) if ctx.horizon == "hour" else 1.0
    weekend, now_weekend = weekday >= 5, now_weekday[0] >= 5
    by_day = np.where(weekday == now_weekday[0], SAME_DAY,
                      np.where(weekend == now_weekend, SAME_KIND, OTHER_DAY))
    return np.asarray(by_hour * by_day, dtype=np.float64)


def time_lift(ctx: ScoringContext, n: int) -> FloatArray:
    """Per track: how much more of its plays fall near this hour and weekday than the
    listener's plays do (1 = no more than usual; few plays stay near 1)."""
    h = ctx.history
    played = (listen_weights(h) > 0).astype(np.float64)
    played[h.ts < ctx.now - PROFILE_MEMORY] = 0.0
    near_now = time_affinity(ctx) * played
    share = float(near_now.sum()) / max(float(played.sum()), 1.0)
    if share <= 0.0:
        return np.ones(n)
    timed, total = weighted_counts(h.track, near_now, n), weighted_counts(h.track, played, n)
    return ((timed + PROFILE_PRIOR * share) / (total + PROFILE_PRIOR)) / share


def _normalised(q: FloatArray) -> FloatArray:
    total = np.abs(q).sum()
    return q / total if total > 0 else q


def score(model: ContextModel, ctx: ScoringContext, *, use_time: bool = True) -> FloatArray:
    """The time-tilted recent taste; use_time=False gives the same model without context."""
    n = model.features.shape[0]
    h = ctx.history
    if not len(h):
        return np.zeros(n)
    weight = np.exp(-np.maximum(ctx.now - h.ts, 0.0) / MEMORY[ctx.horizon]) * listen_weights(h)
    q = _normalised(weighted_counts(h.track, weight, n))
    if use_time and TIMED[ctx.horizon]:
        q = _normalised(q * time_lift(ctx, n))
    return q + SPREAD * content.similarity_to(model.features, q)
