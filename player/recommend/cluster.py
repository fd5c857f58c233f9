"""Clustering the taste for Daily Mixes: a randomized SVD embedding of each track's tags,
sound and co-listening, then spherical k-means with k-means++ seeding. Plain numpy: fast
for tens of thousands of tracks, and no heavy import on the way to Home."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from player.recommend.data import FloatArray, IntArray

DIMS = 16


def _orthonormal(y: FloatArray) -> FloatArray:
    """Columns spanning y's range, via the small Gram matrix (cheaper than QR on tall y)."""
    values, vectors = np.linalg.eigh(y.T @ y)
    keep = values > values.max() * 1e-10 if values.size else values > 0
    return np.asarray(y @ (vectors[:, keep] / np.sqrt(values[keep])))


def embed(rows: sparse.csr_matrix, dims: int = DIMS, seed: int = 0) -> FloatArray:
    """Rows projected on their top singular directions (randomized range finder with one
    power iteration), L2-normalised."""
    n, f = rows.shape
    dims = max(1, min(dims, n, f))
    rng = np.random.default_rng(seed)
    basis = _orthonormal(np.asarray(rows @ rng.standard_normal((f, dims + 8))))
    basis = _orthonormal(np.asarray(rows @ (rows.T @ basis)))
    small = np.asarray((rows.T @ basis).T)  # p x f
    values, vectors = np.linalg.eigh(small @ small.T)
    order = np.argsort(-values)[:dims]
    out = basis @ vectors[:, order] * np.sqrt(np.maximum(values[order], 0.0))  # U * singular values
    norm = np.linalg.norm(out, axis=1, keepdims=True)
    return np.asarray(out / np.where(norm > 0, norm, 1.0), dtype=np.float64)


def kmeans(points: FloatArray, k: int, seed: int = 0, starts: int = 4) -> IntArray:
    """Spherical k-means labels (cosine): the best of a few k-means++ starts, fixed seeds so
    clusters are stable day to day."""
    best, best_fit = np.zeros(points.shape[0], np.int64), -np.inf
    for start in range(starts):
        labels, fit = _kmeans_once(points, k, seed * 100 + start)
        if fit > best_fit:
            best, best_fit = labels, fit
    return best


def _kmeans_once(points: FloatArray, k: int, seed: int, rounds: int = 25) -> tuple[IntArray, float]:
    n = points.shape[0]
    k = max(1, min(k, n))
    rng = np.random.default_rng(seed)
    centres = [points[int(rng.integers(n))]]
    for _ in range(1, k):
        distance = np.clip(1.0 - np.max(points @ np.array(centres).T, axis=1), 0.0, None)
        total = distance.sum()
        pick = int(rng.choice(n, p=distance / total)) if total > 0 else int(rng.integers(n))
        centres.append(points[pick])
    centre = np.array(centres)
    labels = np.zeros(n, np.int64)
    for _ in range(rounds):
        new = np.argmax(points @ centre.T, axis=1)
        if (new == labels).all() and _ > 0:
            break
        labels = new
        for c in range(k):
            members = points[labels == c]
            if len(members):
                mean = members.sum(axis=0)
                centre[c] = mean / (np.linalg.norm(mean) or 1.0)
    return labels, float(np.sum(np.max(points @ centre.T, axis=1)))
