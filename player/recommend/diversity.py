"""Diversity re-ranking: spread artists out of a ranked list."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from player.recommend.data import FloatArray, IntArray


def spread_artists(order: Sequence[int] | IntArray, artist_of: Sequence[int] | IntArray,
                   limit: int, max_per_artist: int | None = None,
                   lookahead: int = 50) -> list[int]:
    """Take `limit` items from `order` (best first), never the same artist twice in a row and
    at most `max_per_artist` of one artist, looking at most `lookahead` items ahead for a
    substitute; when only one artist is left its items may follow each other."""
    pending = list(order)
    picked: list[int] = []
    per_artist: dict[int, int] = {}
    left: dict[int, int] = {}
    for item in pending:
        left[int(artist_of[item])] = left.get(int(artist_of[item]), 0) + 1
    while pending and len(picked) < limit:
        last = artist_of[picked[-1]] if picked else None
        chosen = None
        # An artist holding most of what is left must go now, or it ends up back to back.
        crowded = max(left, key=lambda a: left[a])
        must = crowded if left[crowded] * 2 > len(pending) + 1 and crowded != last else None
        for pos, item in enumerate(pending[:lookahead]):
            if must is not None and int(artist_of[item]) != must:
                continue
            artist = int(artist_of[item])
            if artist == last:
                continue
            if max_per_artist is not None and per_artist.get(artist, 0) >= max_per_artist:
                continue
            chosen = pos
            break
        if chosen is None:
            chosen = 0  # nothing else near the top: better a repeat than running dry
        item = pending.pop(chosen)
        left[int(artist_of[item])] -= 1
        if not left[int(artist_of[item])]:
            del left[int(artist_of[item])]
        picked.append(item)
        per_artist[int(artist_of[item])] = per_artist.get(int(artist_of[item]), 0) + 1
    return picked


def top_k(scores: FloatArray, k: int, exclude: Sequence[int] = ()) -> IntArray:
    """Indices of the k best scores, best first (ties by index for determinism)."""
    s = scores.astype(np.float64, copy=True)
    if len(exclude):
        s[np.asarray(exclude, dtype=np.int64)] = -np.inf
    k = min(k, s.shape[0])
    if k <= 0:
        return np.zeros(0, np.int64)
    part = np.argpartition(-s, k - 1)[:k]
    return part[np.lexsort((part, -s[part]))]
