"""Familiarity: repeat consumption as memory activation (ACT-R): every past listen leaves a
trace that decays as a power of its age; skips leave a negative trace, stronger when early."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from player.recommend.data import (
    HOUR,
    FloatArray,
    RecData,
    ScoringContext,
    listen_weights,
    weighted_counts,
)

DECAY = 0.5  # ACT-R's customary decay exponent


@dataclass(frozen=True)
class FamiliarityModel:
    n_items: int
    decay: float = DECAY


def fit(data: RecData, *, seed: int = 0) -> FamiliarityModel:
    return FamiliarityModel(len(data.catalog))


def activation(n_items: int, ctx: ScoringContext, decay: float = DECAY,
               signed: bool = True) -> FloatArray:
    """sum over past listens of weight * (hours since + 1) ^ -decay."""
    h = ctx.history
    if not len(h):
        return np.zeros(n_items)
    age = np.maximum(ctx.now - h.ts, 0.0) / HOUR
    trace = (age + 1.0) ** -decay
    if signed:
        trace = trace * listen_weights(h)
    return weighted_counts(h.track, trace, n_items)


def score(model: FamiliarityModel, ctx: ScoringContext) -> FloatArray:
    return activation(model.n_items, ctx, model.decay)
