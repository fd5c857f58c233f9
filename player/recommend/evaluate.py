"""The offline evaluation protocol of PRODUCT.md, over any listening log.

Per user: library = every distinct (artist, title) of the user's whole log; a listen counts when
ms_played is unknown or >= 30,000; test days = the last 30 UTC dates with >= 10 counting listens.
Day-ahead: rank with the history before 00:00 UTC of day D; Recall@100 against the tracks
played on D. Hour-ahead: for every UTC hour of D with >= 3 counting listens, rank with the
history before that hour; NDCG@10 and HR@10 against the distinct tracks of that hour (averaged
over the hours of the day). Reported: means over test days.

Pure: takes listen records (anything shaped like ImportedListen); the CLI reads the files.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from player.recommend import baselines, collaborative, content, context, familiarity, hybrid
from player.recommend.data import (
    DAY,
    HOUR,
    PLAY_MS,
    Catalog,
    FloatArray,
    Interactions,
    RecData,
    ScoringContext,
)
from player.recommend.diversity import top_k

METHODS = ("hybrid", "collaborative", "content", "familiarity", "context",
           "random", "popularity", "recent", "actr")
EXTRA_METHODS = ("context_free",)
TEST_DAYS, MIN_DAY_LISTENS, MIN_HOUR_LISTENS = 30, 10, 3
DAY_K, HOUR_K = 100, 10


class ListenRecord(Protocol):
    """What the evaluator reads of a listen (the importer's ImportedListen has it)."""

    @property
    def user(self) -> str: ...

    @property
    def started_at(self) -> float: ...

    @property
    def utc_offset_min(self) -> int: ...

    @property
    def ms_played(self) -> int | None: ...

    @property
    def duration_ms(self) -> int | None: ...

    @property
    def artist(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def album(self) -> str: ...

    @property
    def skipped(self) -> bool | None: ...


@dataclass
class UserLog:
    catalog: Catalog
    listens: Interactions  # every listen (short ones are negative evidence for the models)
    counts: np.ndarray  # bool per listen: counts under the protocol


@dataclass
class MethodScores:
    recall: list[float] = field(default_factory=list)
    ndcg: list[float] = field(default_factory=list)
    hr: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        def mean(xs: list[float]) -> float:
            return float(np.mean(xs)) if xs else 0.0
        return {"recall@100": mean(self.recall), "ndcg@10": mean(self.ndcg), "hr@10": mean(self.hr)}


def group_by_user(records: Iterable[ListenRecord]) -> dict[str, UserLog]:
    """One UserLog per user id ("" when the format has none)."""
    grouped: dict[str, list[ListenRecord]] = defaultdict(list)
    for r in records:
        grouped[r.user or ""].append(r)
    return {user: _user_log(rs) for user, rs in grouped.items()}


def _user_log(records: list[ListenRecord]) -> UserLog:
    index: dict[tuple[str, str], int] = {}
    titles, artists, albums = [], [], []
    for r in records:
        key = (r.artist.casefold().strip(), r.title.casefold().strip())
        if key not in index:
            index[key] = len(index)
            titles.append(r.title)
            artists.append(r.artist)
            albums.append(r.album or "")
    tracks = [index[(r.artist.casefold().strip(), r.title.casefold().strip())] for r in records]
    ms = [r.ms_played for r in records]
    skipped = [bool(r.skipped) or (m is not None and m < PLAY_MS) for r, m in zip(records, ms, strict=True)]
    counts_raw = np.array([m is None or m >= PLAY_MS for m in ms])
    listens = Interactions.build(tracks, [r.started_at for r in records], ms_played=ms,
                                 duration_ms=[r.duration_ms for r in records], skipped=skipped,
                                 utc_offset_min=[r.utc_offset_min for r in records])
    order = np.argsort(np.array([r.started_at for r in records]), kind="stable")
    catalog = Catalog(tuple(titles), tuple(artists), tuple(albums))
    return UserLog(catalog, listens, counts_raw[order])


def test_days(log: UserLog) -> list[float]:
    """Starts (UTC epoch) of the last 30 UTC dates with >= 10 counting listens."""
    days = np.floor(log.listens.ts[log.counts] / DAY) * DAY
    values, n = np.unique(days, return_counts=True)
    return [float(d) for d in values[n >= MIN_DAY_LISTENS][-TEST_DAYS:]]


def recall_at(ranked: np.ndarray, relevant: set[int], k: int = DAY_K) -> float:
    hits = sum(1 for i in ranked[:k] if int(i) in relevant)
    return hits / min(len(relevant), k)


def ndcg_at(ranked: np.ndarray, relevant: set[int], k: int = HOUR_K) -> float:
    dcg = sum(1.0 / math.log2(r + 2) for r, i in enumerate(ranked[:k]) if int(i) in relevant)
    ideal = sum(1.0 / math.log2(r + 2) for r in range(min(len(relevant), k)))
    return dcg / ideal


def hit_at(ranked: np.ndarray, relevant: set[int], k: int = HOUR_K) -> float:
    return 1.0 if any(int(i) in relevant for i in ranked[:k]) else 0.0


Scorer = Callable[[ScoringContext, Interactions], FloatArray]


def _scorers(model: hybrid.HybridModel, n: int, seed: int) -> dict[str, Scorer]:
    """Every method as f(context, counting history) -> scores."""
    return {
        "hybrid": lambda c, _: hybrid.score(model, c),
        "collaborative": lambda c, _: collaborative.score(model.collab, c),
        "content": lambda c, _: content.score(model.content, c),
        "familiarity": lambda c, _: familiarity.activation(n, c),
        "context": lambda c, _: context.score(model.context, c),
        "context_free": lambda c, _: context.score(model.context, c, use_time=False),
        "random": lambda c, _: baselines.random_scores(n, seed + int(c.now // HOUR)),
        "popularity": lambda c, h: baselines.popularity(n, h),
        "recent": lambda c, h: baselines.most_recent(n, h),
        "actr": lambda c, h: baselines.actr(n, h, c.now),
    }


def _played(log: UserLog, start: float, end: float) -> set[int]:
    lo, hi = np.searchsorted(log.listens.ts, [start, end])
    return {int(t) for t in log.listens.track[lo:hi][log.counts[lo:hi]]}


def _counting_before(log: UserLog, cut: float) -> Interactions:
    k = int(np.searchsorted(log.listens.ts, cut))
    return log.listens.take(np.flatnonzero(log.counts[:k]))


def evaluate_day(log: UserLog, day: float, pairs: collaborative.Pairs, seed: int,
                 scores: dict[str, MethodScores]) -> None:
    """Refit on the history before `day`, then rank for the day and each busy hour of it."""
    history = log.listens.before(day)
    n = len(log.catalog)
    model = hybrid.fit(RecData(log.catalog, history), seed=seed, pairs=pairs)
    methods = _scorers(model, n, seed)
    offset = int(history.utc_offset_min[-1]) if len(history) else 0
    played = _played(log, day, day + DAY)
    ctx = ScoringContext(day, history, "day", offset)
    counting = _counting_before(log, day)
    for name, scorer in methods.items():
        scores[name].recall.append(recall_at(top_k(scorer(ctx, counting), DAY_K), played))
    per_hour: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for hour in np.arange(day, day + DAY, HOUR):
        target = _played(log, hour, hour + HOUR)
        lo, hi = np.searchsorted(log.listens.ts, [hour, hour + HOUR])
        if int(log.counts[lo:hi].sum()) < MIN_HOUR_LISTENS:
            continue
        hctx = ScoringContext(float(hour), log.listens.before(hour), "hour", offset)
        counting = _counting_before(log, hour)
        for name, scorer in methods.items():
            ranked = top_k(scorer(hctx, counting), HOUR_K)
            per_hour[name].append((ndcg_at(ranked, target), hit_at(ranked, target)))
    for name, values in per_hour.items():
        scores[name].ndcg.append(float(np.mean([v[0] for v in values])))
        scores[name].hr.append(float(np.mean([v[1] for v in values])))


def evaluate_user(log: UserLog, seed: int = 0,
                  day_done: Callable[[], None] | None = None) -> dict[str, dict[str, float]]:
    """Method -> metrics, following the protocol; includes the extra context_free method."""
    scores = {name: MethodScores() for name in (*METHODS, *EXTRA_METHODS)}
    pairs = collaborative.session_pairs(RecData(log.catalog, log.listens))
    for day in test_days(log):
        evaluate_day(log, day, pairs, seed, scores)
        if day_done is not None:
            day_done()
    return {name: s.summary() for name, s in scores.items()}


def evaluate(records: Iterable[ListenRecord], seed: int = 0,
             progress: Callable[[int, int], None] | None = None) -> dict[str, object]:
    """The evaluator's JSON: {"users": {USER: {METHOD: metrics}}, "extra": ..., "info": ...}.
    progress(days done, test days in all), after each test day (for a progress bar)."""
    from threadpoolctl import threadpool_limits

    # Thousands of small matrix products: BLAS threads only contend (10x slower when loaded).
    with threadpool_limits(limits=1):
        return _evaluate(records, seed, progress)


def _evaluate(records: Iterable[ListenRecord], seed: int,
              progress: Callable[[int, int], None] | None) -> dict[str, object]:
    users: dict[str, dict[str, dict[str, float]]] = {}
    extra: dict[str, dict[str, dict[str, float]]] = {}
    info: dict[str, dict[str, int]] = {}
    logs = sorted(group_by_user(records).items())
    total = sum(len(test_days(log)) for _, log in logs)
    done = 0

    def day_done() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    for user, log in logs:
        name = user or "listener"
        if not test_days(log):  # too little history to evaluate: listed in info only
            info[name] = {"listens": len(log.listens), "tracks": len(log.catalog), "test_days": 0}
            continue
        result = evaluate_user(log, seed, day_done)
        users[name] = {m: result[m] for m in METHODS}
        extra[name] = {m: result[m] for m in EXTRA_METHODS}
        info[name] = {"listens": len(log.listens), "tracks": len(log.catalog),
                      "test_days": len(test_days(log))}
    return {"users": users, "extra": extra, "info": info}
