"""How coherent are the Daily Mixes in sound? For each mix: the mean distance of its members'
audio vectors (standardised over the analysed, pickable library) to the mix's centre, against
the same measure for random sets of the same size drawn from the same pickable tracks. A ratio
below 1 means the mix is tighter than chance; "beats" is the share of random sets it beats.
Also reports each output's share of new picks (never or once played, from the listens).

    python benchmarks/mix_coherence.py --db LIBRARY.db [--at "YYYY-MM-DD HH:MM"] [--draws 2000]
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime

import numpy as np

from player.core.clock import FakeClock, SystemClock
from player.db.connection import open_database
from player.services.recommendations import RecommendationService


def spread(vectors: np.ndarray) -> float:
    return float(np.linalg.norm(vectors - vectors.mean(axis=0), axis=1).mean())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--at", default=None)
    parser.add_argument("--draws", type=int, default=2000)
    args = parser.parse_args()
    at = datetime.strptime(args.at, "%Y-%m-%d %H:%M").timestamp() if args.at else None
    db = open_database(args.db)
    service = RecommendationService(db, FakeClock(at) if at else SystemClock())
    fitted = service.fit()
    now = service.clock.now()
    audio = fitted.data.catalog.audio
    if audio is None:
        raise SystemExit("no analysed tracks: run encore analyze first")
    pickable = np.array([i for i in range(len(fitted.ids)) if i not in fitted.blocked
                         and not np.isnan(audio[i]).any()], dtype=np.int64)
    z = (audio - audio[pickable].mean(axis=0)) / (audio[pickable].std(axis=0) + 1e-9)
    rng = np.random.default_rng(0)
    rows = []
    for mix in service.daily_mixes(now, refresh=True):
        items = [fitted.index[t.id] for t in mix.tracks if fitted.index[t.id] in set(pickable.tolist())]
        if len(items) < 2:
            continue
        own = spread(z[items])
        chance = np.array([spread(z[rng.choice(pickable, len(items), replace=False)])
                           for _ in range(args.draws)])
        rows.append({"mix": mix.title, "tracks": len(mix.tracks), "analysed": len(items),
                     "spread": round(own, 3), "random_spread": round(float(chance.mean()), 3),
                     "ratio": round(own / float(chance.mean()), 3),
                     "beats": round(float((chance > own).mean()), 3),
                     "new": mix.description.split(" · ")[-1]})
    shares = {m.title: m.description.split(" · ")[-1] for m in (service.rediscover(now), service.fresh(now))}
    print(json.dumps({"pickable_analysed": int(pickable.size), "mixes": rows, "discovery": shares},
                     indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
