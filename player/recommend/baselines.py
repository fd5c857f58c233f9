"""Reference rankers of the offline protocol: random, popularity, most recent, ACT-R."""

from __future__ import annotations

import numpy as np

from player.recommend.data import HOUR, FloatArray, Interactions, weighted_counts


def random_scores(n_items: int, seed: int) -> FloatArray:
    return np.random.default_rng(seed).random(n_items)


def popularity(n_items: int, history: Interactions) -> FloatArray:
    """Play count."""
    return weighted_counts(history.track, None, n_items)


def most_recent(n_items: int, history: Interactions) -> FloatArray:
    """Time of the last listen; never-played tracks last."""
    last = np.full(n_items, -np.inf)
    np.maximum.at(last, history.track, history.ts)
    return last


def actr(n_items: int, history: Interactions, now: float) -> FloatArray:
    """sum over past listens of (hours since + 1) ^ -0.5."""
    age = np.maximum(now - history.ts, 0.0) / HOUR
    return weighted_counts(history.track, (age + 1.0) ** -0.5, n_items)
