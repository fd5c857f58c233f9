"""Content part: tag and audio similarity to the listener's taste, so never-played and newly
added tracks can be found. Tracks become sparse feature rows (artist, album, genres, decade,
plus the audio vector when analysed); the taste is the recency-weighted sum of what was heard."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from player.recommend.data import (
    DAY,
    HOUR,
    Catalog,
    FloatArray,
    RecData,
    ScoringContext,
    listen_weights,
    weighted_counts,
)

TASTE_TAU = 30 * DAY
SHORT_TAU = {"hour": 1.0 * HOUR, "day": 12.0 * HOUR}
FIELD_WEIGHTS = {"artist": 1.0, "album": 0.8, "genre": 0.6, "decade": 0.3, "audio": 0.8}


@dataclass(frozen=True)
class ContentModel:
    features: sparse.csr_matrix  # n x f, rows L2-normalised


def one_hot(values: list[list[str]], weight: float) -> sparse.csr_matrix:
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, names in enumerate(values):
        for name in names:
            if name:
                rows.append(i)
                cols.append(vocab.setdefault(name, len(vocab)))
    data = np.full(len(rows), weight, dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(values), max(1, len(vocab))))


def _audio_block(catalog: Catalog) -> sparse.csr_matrix | None:
    if catalog.audio is None or not catalog.audio.size:
        return None
    audio = np.asarray(catalog.audio, dtype=np.float64)
    known = np.asarray(~np.isnan(audio).any(axis=1), dtype=bool)
    if known.sum() < 2:
        return None
    mean, std = audio[known].mean(axis=0), audio[known].std(axis=0) + 1e-9
    z = np.where(known[:, None], (audio - mean) / std, 0.0)
    z /= np.sqrt(audio.shape[1])
    return sparse.csr_matrix(z.astype(np.float32) * FIELD_WEIGHTS["audio"])


def item_features(catalog: Catalog) -> sparse.csr_matrix:
    """Sparse, L2-normalised feature rows of every track."""
    n = len(catalog)
    fold = [a.casefold().strip() for a in catalog.artist]
    blocks = [one_hot([[a] for a in fold], FIELD_WEIGHTS["artist"]),
              one_hot([[f"{a}\x1f{b.casefold().strip()}"] if b else []
                        for a, b in zip(fold, catalog.albums(), strict=True)], FIELD_WEIGHTS["album"]),
              one_hot([[g.casefold().strip() for g in gs] for gs in catalog.genre_lists()],
                       FIELD_WEIGHTS["genre"])]
    if catalog.year is not None:
        decades = [[str(int(y) // 10)] if y == y else [] for y in catalog.year]
        blocks.append(one_hot(decades, FIELD_WEIGHTS["decade"]))
    audio = _audio_block(catalog)
    if audio is not None:
        blocks.append(audio)
    features = sparse.hstack(blocks).tocsr()
    norm = np.sqrt(np.asarray(features.multiply(features).sum(axis=1)).ravel())
    norm[norm == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norm) @ features) if n else features


def fit(data: RecData, *, seed: int = 0) -> ContentModel:
    return ContentModel(item_features(data.catalog))


def taste_vector(n_items: int, ctx: ScoringContext, tau: float) -> FloatArray:
    """Recency-weighted listens (L1-normalised); uniform when there is no history."""
    h = ctx.history
    if not len(h):
        return np.full(n_items, 1.0 / max(1, n_items))
    weight = np.exp(-np.maximum(ctx.now - h.ts, 0.0) / tau) * listen_weights(h)
    q = weighted_counts(h.track, weight, n_items)
    total = np.abs(q).sum()
    return q / total if total > 0 else q


def similarity_to(features: sparse.csr_matrix, q: FloatArray) -> FloatArray:
    profile = features.T @ q
    return np.asarray(features @ profile).ravel()


def score(model: ContentModel, ctx: ScoringContext) -> FloatArray:
    n = model.features.shape[0]
    q = taste_vector(n, ctx, TASTE_TAU)
    short = ctx.history.tail(200)
    if len(short):
        q = q + taste_vector(n, ScoringContext(ctx.now, short, ctx.horizon), SHORT_TAU[ctx.horizon])
    for seed_item in ctx.seeds:
        q[seed_item] += 1.0
    for skipped in ctx.session_skips:
        q[skipped] -= 0.5
    return similarity_to(model.features, q)
