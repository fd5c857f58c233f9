"""Recommender budgets on a synthetic 100,000-track library with 1,000,000 listens.

Budgets (issue 6): full refit < 20 s on 2 cores and < 1 GB peak; Daily Mixes from a fitted
model < 1 s; the next Right-now track < 50 ms. Prints each figure and its ratio to a reference
measured in the same run (sorting 10 million floats), so figures compare across machines.

    .venv/bin/python benchmarks/recommend.py [--tracks N] [--listens N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from player.recommend import hybrid, mixes, station  # noqa: E402
from player.recommend.data import DAY, Catalog, Interactions, RecData, ScoringContext  # noqa: E402


def synthetic(n_tracks: int, n_listens: int, seed: int = 0) -> RecData:
    """Artists of 10 tracks in albums of 10, 40 genres; a listener with a Zipf taste over
    artists, sessions of album runs and shuffles at a few hours of the day, over 3 years."""
    rng = np.random.default_rng(seed)
    artist = np.arange(n_tracks) // 10
    genre_of_artist = rng.integers(0, 40, size=artist.max() + 1)
    catalog = Catalog(tuple(f"Track {i}" for i in range(n_tracks)),
                      tuple(f"Artist {a}" for a in artist),
                      tuple(f"Album {a}" for a in artist),
                      tuple((f"genre {genre_of_artist[a]}",) for a in artist),
                      rng.integers(1960, 2025, size=n_tracks).astype(np.float64), None,
                      rng.uniform(0, 1, size=n_tracks) * 3 * 365 * DAY + 1.6e9)
    n_sessions = n_listens // 12
    start = 1.6e9 + np.sort(rng.uniform(0, 3 * 365 * DAY, size=n_sessions))
    favourite = rng.permutation(artist.max() + 1)
    session_artist = favourite[np.minimum(rng.zipf(1.3, size=n_sessions) - 1, artist.max())]
    lengths = rng.integers(6, 19, size=n_sessions)
    lengths = (lengths * n_listens / lengths.sum()).astype(np.int64) + 1
    owner = np.repeat(np.arange(n_sessions), lengths)[:n_listens]
    position = np.arange(owner.shape[0]) - np.repeat(np.cumsum(lengths) - lengths, lengths)[:n_listens]
    album_run = rng.random(n_sessions) < 0.5
    offset = np.where(album_run[owner], position % 10, rng.integers(0, 10, size=owner.shape[0]))
    track = session_artist[owner] * 10 + offset
    ts = start[owner] + position * 240.0
    skipped = rng.random(owner.shape[0]) < 0.08
    ms = np.where(skipped, 10_000.0, 240_000.0)
    listens = Interactions.build(track, ts, ms_played=ms, duration_ms=np.full(ts.shape[0], 240_000.0),
                                 skipped=skipped, utc_offset_min=np.full(ts.shape[0], 60))
    return RecData(catalog, listens)


def reference_seconds() -> float:
    data = np.random.default_rng(1).random(10_000_000)
    started = time.perf_counter()
    np.sort(data)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--listens", type=int, default=1_000_000)
    args = parser.parse_args()
    ref = reference_seconds()
    data = synthetic(args.tracks, args.listens)
    now = float(data.listens.ts[-1]) + 3600
    started = time.perf_counter()
    model = hybrid.fit(data, seed=0)
    fit_s = time.perf_counter() - started
    ctx = ScoringContext(now, data.listens, "day", 60)
    started = time.perf_counter()
    made = mixes.daily_mixes(model, data.catalog, ctx, "2026-11-27")
    mixes_s = time.perf_counter() - started
    started = time.perf_counter()
    queue = station.right_now(model, data.catalog, ScoringContext(now, data.listens, "hour", 60))
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    steps = 100
    for n in range(steps):
        item = queue.next()
        if n % 10 == 0 and item is not None:
            queue.skip(item)  # a skip every 10 tracks: the steering is part of the cost
    next_ms = (time.perf_counter() - started) / steps * 1000
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"library {args.tracks} tracks, {len(data.listens)} listens; reference sort {ref:.3f} s")
    print(f"full refit            {fit_s:7.2f} s   ({fit_s / ref:6.1f} x reference)   budget 20 s")
    print(f"daily mixes           {mixes_s:7.2f} s   ({mixes_s / ref:6.1f} x reference)   budget 1 s"
          f"   [{len(made)} mixes, {sum(len(m.items) for m in made)} tracks]")
    print(f"right now: first queue {first_s * 1000:6.0f} ms ({first_s / ref:6.1f} x reference)")
    print(f"right now: next track {next_ms:7.1f} ms  ({next_ms / 1000 / ref:6.3f} x reference)   budget 50 ms")
    print(f"peak memory (process) {peak_mb:7.0f} MB   budget 1024 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
