"""Collaborative part: what is listened to together. Listening sessions and the user's playlists
are the "users"; tracks heard close together in a session (or near each other in a playlist)
co-occur; a skip next to a track is negative evidence. Item-item cosine over those counts.

Chosen over a factorisation (a rank-32 factorisation of the same co-occurrence was worse on
every log tried, see docs/EVALUATION.md): it is exact for one listener's taste, refits
incrementally in time order, and explains itself ("often played with X").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from player.recommend.data import (
    HOUR,
    FloatArray,
    IntArray,
    RecData,
    ScoringContext,
    listen_weights,
    weighted_counts,
)

WINDOW = 4  # neighbours within a session that count as "together"
SKIP_PAIR = -0.5
RECENT_LISTENS = 200
TAU = {"hour": 1.0 * HOUR, "day": 12.0 * HOUR}


@dataclass(frozen=True)
class Pairs:
    """Co-occurrence evidence in time order: row, col, weight, time it became known."""

    row: IntArray
    col: IntArray
    weight: FloatArray
    at: FloatArray


@dataclass(frozen=True)
class CollabModel:
    n_items: int
    similarity: sparse.csr_matrix
    pairs: Pairs


def session_pairs(data: RecData, window: int = WINDOW) -> Pairs:
    """Pairs of listens up to `window` apart in the same session; playlists as timeless sessions."""
    h = data.listens
    w = listen_weights(h)
    rows, cols, weights, ats = [], [], [], []
    for k in range(1, window + 1):
        if len(h) <= k:
            break
        same = (h.session[k:] == h.session[:-k]) & (h.track[k:] != h.track[:-k])
        both_played = (w[k:] > 0) & (w[:-k] > 0)
        weight = np.where(both_played, 1.0 / k, SKIP_PAIR / k)[same]
        rows.append(h.track[:-k][same])
        cols.append(h.track[k:][same])
        weights.append(weight)
        ats.append(h.ts[k:][same])
    for playlist in data.playlists:
        items = np.asarray(playlist, dtype=np.int64)
        for k in range(1, min(window, len(items) - 1) + 1):
            rows.append(items[:-k])
            cols.append(items[k:])
            weights.append(np.full(len(items) - k, 1.0 / k))
            ats.append(np.full(len(items) - k, -np.inf))
    if not rows:
        empty = np.zeros(0)
        return Pairs(empty.astype(np.int64), empty.astype(np.int64), empty, empty)
    at = np.concatenate(ats)
    order = np.argsort(at, kind="stable")
    return Pairs(np.concatenate(rows)[order], np.concatenate(cols)[order],
                 np.concatenate(weights)[order], at[order])


def similarity_before(pairs: Pairs, n_items: int, cut: float = np.inf) -> sparse.csr_matrix:
    """Cosine-normalised symmetric co-occurrence of the pairs known before `cut`."""
    k = int(np.searchsorted(pairs.at, cut, side="left"))
    r, c, w = pairs.row[:k], pairs.col[:k], pairs.weight[:k]
    counts = sparse.coo_matrix((np.concatenate([w, w]).astype(np.float32),
                                (np.concatenate([r, c]), np.concatenate([c, r]))),
                               shape=(n_items, n_items)).tocsr()
    counts.sum_duplicates()
    positive = counts.maximum(0)
    norm = np.sqrt(np.asarray(positive.sum(axis=1)).ravel()) + 1.0
    inv = sparse.diags(1.0 / norm)
    return (inv @ counts @ inv).tocsr()


def fit(data: RecData, *, seed: int = 0) -> CollabModel:
    n = len(data.catalog)
    pairs = session_pairs(data)
    return CollabModel(n, similarity_before(pairs, n), pairs)


def recent_query(n_items: int, ctx: ScoringContext, tau: float) -> FloatArray:
    """The last listens as a vector, weighted by recency (skips count against)."""
    recent = ctx.history.tail(RECENT_LISTENS)
    q = np.zeros(n_items)
    if len(recent):
        age = np.maximum(ctx.now - recent.ts, 0.0)
        weight = np.exp(-age / tau) * listen_weights(recent)
        q = weighted_counts(recent.track, weight, n_items)
    for skipped in ctx.session_skips:
        q[skipped] -= 1.0
    for seed_item in ctx.seeds:
        q[seed_item] += 1.0
    return q


def score_with(similarity: sparse.csr_matrix, ctx: ScoringContext) -> FloatArray:
    q = recent_query(similarity.shape[0], ctx, TAU[ctx.horizon])
    return np.asarray(similarity @ q).ravel()


def score(model: CollabModel, ctx: ScoringContext) -> FloatArray:
    return score_with(model.similarity, ctx)
