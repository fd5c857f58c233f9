"""What stating facts costs on a big library: building the Explainer (one pass over the
history) and explaining a Home's worth of picks (6 mixes x 60, 50 Right now, 30 + 30), against
a reference measured in the same run: Interactions.build over the same listens (the recommender's
own preparation of its input, which every refit pays anyway).

    python benchmarks/facts_speed.py [--tracks 50000] [--listens 300000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from player.recommend.data import DAY, Catalog, Interactions
from player.recommend.facts import Explainer, ListenHistory


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracks", type=int, default=50_000)
    parser.add_argument("--listens", type=int, default=300_000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    n, m = args.tracks, args.listens
    now = 1_760_000_000.0
    popular = rng.zipf(1.3, size=m) % n
    ts = np.sort(now - rng.uniform(0, 3 * 365 * DAY, size=m))
    played = rng.random(m) > 0.2
    catalog = Catalog(tuple(f"t{i}" for i in range(n)), tuple(f"a{i % 3000}" for i in range(n)),
                      added_at=np.full(n, now - 4 * 365 * DAY),
                      audio=rng.normal(size=(n, 44)))
    history = ListenHistory(popular.astype(np.int64), ts, np.zeros(m, np.int64), played,
                            ~played & (rng.random(m) > 0.5), np.cumsum(rng.random(m) > 0.9))
    started = time.perf_counter()
    Interactions.build(popular, ts, skipped=~played)
    reference = time.perf_counter() - started
    started = time.perf_counter()
    explainer = Explainer(catalog, history, now, 0)
    build = time.perf_counter() - started
    picks = rng.choice(n, size=6 * 60 + 50 + 60, replace=False)
    started = time.perf_counter()
    for i, item in enumerate(picks):
        explainer.fact(int(item), "now" if i < 50 else "daily")
    explain = time.perf_counter() - started
    print(f"{n} tracks, {m} listens: Explainer built in {build:.2f} s, {picks.size} picks explained "
          f"in {explain:.2f} s; reference Interactions.build {reference:.2f} s; "
          f"ratio (build + explain) / reference = {(build + explain) / reference:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
