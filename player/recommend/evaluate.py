"""The offline evaluation protocol v2 of PRODUCT.md, over any listening log.

Per user: a listen counts when ms_played is unknown or >= 30,000; test days = the last 30 UTC
dates with >= 10 counting listens. The candidates at a cut (00:00 UTC of day D, or the start of
an hour) are the tracks (case-folded artist + title) with a counting listen before the cut:
nothing else is ranked, so a method gains nothing by ranking tracks not heard yet (v1's leak).
Day-ahead: rank with the history before 00:00 UTC of D; Recall@100 against the candidates
played on D. Hour-ahead: for every UTC hour of D with >= 3 counting listens, rank with the
history before that hour; NDCG@10 and HR@10 against the candidates played in that hour,
averaged over the hours of the day. A day or hour without targets is skipped. Reported: means
over test days. Identical rows (same time, track and ms played) are one listen.

Pure: takes listen records (anything shaped like ImportedListen); the CLI reads the files.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from player.recommend import baselines, collaborative, content, context, familiarity, hybrid
from player.recommend.data import (
    DAY,
    HOUR,
    PLAY_MS,
    Catalog,
    FloatArray,
    IntArray,
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
METRICS = ("recall@100", "ndcg@10", "hr@10")
PROTOCOL = "v2"


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


def group_by_user(records: Iterable[ListenRecord], user: str | None = None) -> dict[str, UserLog]:
    """One UserLog per user id ("" when the format has none; `user` names them all)."""
    grouped: dict[str, list[ListenRecord]] = defaultdict(list)
    for r in records:
        grouped[user if user is not None else (r.user or "")].append(r)
    return {name: _user_log(rs) for name, rs in grouped.items()}


def _user_log(records: list[ListenRecord]) -> UserLog:
    seen: set[tuple[float, str, str, int | None]] = set()
    unique = []
    for r in records:  # overlapping exports repeat rows: the same event is one listen
        event = (r.started_at, r.artist.casefold().strip(), r.title.casefold().strip(), r.ms_played)
        if event not in seen:
            seen.add(event)
            unique.append(r)
    records = unique
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
    counts_raw = np.array([m is None or m >= PLAY_MS for m in ms], dtype=bool)
    listens = Interactions.build(tracks, [r.started_at for r in records], ms_played=ms,
                                 duration_ms=[r.duration_ms for r in records], skipped=skipped,
                                 utc_offset_min=[r.utc_offset_min for r in records])
    order = np.argsort(np.array([r.started_at for r in records]), kind="stable")
    catalog = Catalog(tuple(titles), tuple(artists), tuple(albums))
    return UserLog(catalog, listens, counts_raw[order] if len(records) else counts_raw)


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


def rank_candidates(scores: FloatArray, candidates: np.ndarray, k: int) -> IntArray:
    """The k best candidates, best first. Only candidates are ranked, and a method ranks only
    what it scores (a score of -inf or NaN: not ranked)."""
    pool = np.flatnonzero(candidates)
    s = np.asarray(scores, dtype=np.float64)[pool]
    keep = np.isfinite(s)
    pool, s = pool[keep], s[keep]
    return pool[top_k(s, k)]


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


def _counting_before(log: UserLog, cut: float) -> Interactions:
    k = int(np.searchsorted(log.listens.ts, cut))
    return log.listens.take(np.flatnonzero(log.counts[:k]))


def _targets(log: UserLog, start: float, end: float, candidates: np.ndarray) -> set[int]:
    """The candidates with a counting listen in [start, end)."""
    lo, hi = np.searchsorted(log.listens.ts, [start, end])
    played = np.unique(log.listens.track[lo:hi][log.counts[lo:hi]])
    return {int(t) for t in played[candidates[played]]}


def _candidates(counting: Interactions, n: int) -> np.ndarray:
    heard = np.zeros(n, bool)
    heard[counting.track] = True
    return heard


def evaluate_day(log: UserLog, day: float, model: hybrid.HybridModel, seed: int,
                 scores: dict[str, MethodScores], extra: dict[str, Scorer] | None = None) -> None:
    """Rank for the day and each busy hour of it with `model` (fitted before `day`)."""
    n = len(log.catalog)
    methods = {**_scorers(model, n, seed), **(extra or {})}
    history = log.listens.before(day)
    offset = int(history.utc_offset_min[-1]) if len(history) else 0
    counting = _counting_before(log, day)
    candidates = _candidates(counting, n)
    target = _targets(log, day, day + DAY, candidates)
    if target:
        ctx = ScoringContext(day, history, "day", offset)
        for name, scorer in methods.items():
            ranked = rank_candidates(scorer(ctx, counting), candidates, DAY_K)
            scores[name].recall.append(recall_at(ranked, target))
    per_hour: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for hour in np.arange(day, day + DAY, HOUR):
        lo, hi = np.searchsorted(log.listens.ts, [hour, hour + HOUR])
        if int(log.counts[lo:hi].sum()) < MIN_HOUR_LISTENS:
            continue
        counting = _counting_before(log, hour)
        candidates = _candidates(counting, n)
        target = _targets(log, hour, hour + HOUR, candidates)
        if not target:
            continue
        hctx = ScoringContext(float(hour), log.listens.before(hour), "hour", offset)
        for name, scorer in methods.items():
            ranked = rank_candidates(scorer(hctx, counting), candidates, HOUR_K)
            per_hour[name].append((ndcg_at(ranked, target), hit_at(ranked, target)))
    for name, values in per_hour.items():
        scores[name].ndcg.append(float(np.mean([v[0] for v in values])))
        scores[name].hr.append(float(np.mean([v[1] for v in values])))


def evaluate_user(log: UserLog, seed: int = 0, refit_every: int = 1,
                  extra: dict[str, Scorer] | None = None,
                  day_done: Callable[[], None] | None = None) -> dict[str, dict[str, float]]:
    """Method -> metrics, following the protocol; includes the extra context_free method (and
    any `extra` scorers). The model is refitted before every `refit_every`-th test day, on the
    history before that day only (1: before every day)."""
    scores = {name: MethodScores() for name in (*METHODS, *EXTRA_METHODS, *(extra or {}))}
    pairs = collaborative.session_pairs(RecData(log.catalog, log.listens))
    model: hybrid.HybridModel | None = None
    for k, day in enumerate(test_days(log)):
        if model is None or k % max(1, refit_every) == 0:
            model = hybrid.fit(RecData(log.catalog, log.listens.before(day)), seed=seed, pairs=pairs)
        evaluate_day(log, day, model, seed, scores, extra)
        if day_done is not None:
            day_done()
    return {name: s.summary() for name, s in scores.items()}


def evaluate(records: Iterable[ListenRecord], seed: int = 0, refit_every: int = 1,
             user: str | None = None,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """The evaluator's JSON: {"protocol": "v2", "users": {USER: {METHOD: metrics}},
    "extra": ..., "info": ..., "mean": {METHOD: metrics}}. progress(days done, test days in
    all) after each test day (the CLI's progress bar)."""
    return evaluate_logs(group_by_user(records, user), seed, refit_every, progress)


def evaluate_logs(logs: dict[str, UserLog], seed: int = 0, refit_every: int = 1,
                  progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    total = sum(len(test_days(log)) for log in logs.values())
    done = [0]

    def day_done() -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], total)

    from threadpoolctl import threadpool_limits

    # Thousands of small matrix products: BLAS threads only contend (10x slower when loaded).
    with threadpool_limits(limits=1):
        users: dict[str, dict[str, dict[str, float]]] = {}
        extra: dict[str, dict[str, dict[str, float]]] = {}
        info: dict[str, dict[str, float]] = {}
        for user, log in sorted(logs.items()):
            name = user or "listener"
            started = time.perf_counter()
            days = test_days(log)
            facts: dict[str, float] = {"listens": len(log.listens), "tracks": len(log.catalog),
                                       "test_days": len(days)}
            if days:  # else too little history to evaluate: listed in info only
                result = evaluate_user(log, seed, refit_every, day_done=day_done)
                users[name] = {m: result[m] for m in METHODS}
                extra[name] = {m: result[m] for m in EXTRA_METHODS}
                facts["seconds"] = round(time.perf_counter() - started, 1)
            info[name] = facts
        return merge_results([{"users": users, "extra": extra, "info": info}], refit_every)


def merge_results(parts: list[dict[str, Any]], refit_every: int) -> dict[str, Any]:
    """One result from several (users evaluated apart), with the mean over users."""
    users: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    info: dict[str, Any] = {}
    for part in parts:
        users.update(part["users"])
        extra.update(part["extra"])
        info.update(part["info"])
    return {"protocol": PROTOCOL, "refit_every_days": refit_every,
            "users": dict(sorted(users.items())), "extra": dict(sorted(extra.items())),
            "info": dict(sorted(info.items())), "mean": mean_over_users(users, extra)}


def mean_over_users(users: dict[str, dict[str, dict[str, float]]],
                    extra: dict[str, dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """Per method and metric, the mean over the evaluated users (the tuning target)."""
    if not users:
        return {}
    out: dict[str, dict[str, float]] = {}
    for method in (*METHODS, *EXTRA_METHODS):
        found = [{**users[u], **extra.get(u, {})}.get(method) for u in users]
        rows = [r for r in found if r]
        if rows:
            out[method] = {m: float(np.mean([r[m] for r in rows])) for m in METRICS}
    return out
