"""The hybrid: a learned ranker per horizon ("day" for Daily Mixes, "hour" for Right now),
gradient-boosted on this listener's own past (ranker.py), with candidates from every part.
With too little history for it, a logistic blend of the parts' scores (label: was the track
played in the next period); with less still, fixed weights. The blend's per-part
contributions are also what the reasons read."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from player.recommend import collaborative, content, context, familiarity, ranker
from player.recommend.data import (
    DAY,
    HOUR,
    Catalog,
    FloatArray,
    Horizon,
    IntArray,
    Interactions,
    RecData,
    ScoringContext,
    listen_weights,
    weighted_counts,
)

FEATURES = ("familiarity", "recency", "collaborative", "content", "context", "popularity")
DEFAULT_WEIGHTS = np.array([1.0, 0.5, 1.0, 0.6, 0.8, 0.2])
TRAIN_CUTS = {"day": 30, "hour": 48}
TRAIN_SPAN = {"day": DAY, "hour": HOUR}
LIKE_BOOST = 1.0  # in score deviations: a like is explicit, but should not swamp the moment
CANDIDATES = 150  # per part and training moment


@dataclass(frozen=True)
class Blend:
    coef: FloatArray
    trained_on: int  # training cuts used; 0 = default weights


@dataclass(frozen=True)
class HybridModel:
    n_items: int
    collab: collaborative.CollabModel
    content: content.ContentModel
    context: context.ContextModel
    blends: dict[str, Blend] = field(default_factory=dict)
    artists: IntArray | None = None  # artist code per track (for spreading artists out)
    liked: frozenset[int] = frozenset()
    rankers: dict[str, ranker.Ranker] = field(default_factory=dict)
    items: ranker.Items | None = None


def _slog(x: FloatArray) -> FloatArray:
    return np.sign(x) * np.log1p(np.abs(x))


def _scaled(x: FloatArray) -> FloatArray:
    """Comparable across moments: divide by the mean magnitude, then compress the tail."""
    scale = np.abs(x).mean()
    return _slog(x / scale) if scale > 0 else x


def feature_matrix(model: HybridModel, similarity: sparse.csr_matrix,
                   ctx: ScoringContext) -> FloatArray:
    """n_items x len(FEATURES), each column scaled to be comparable between moments."""
    n, h = model.n_items, ctx.history
    last = np.full(n, -np.inf)
    if len(h):
        np.maximum.at(last, h.track, h.ts)
    recency = np.exp(-np.maximum(ctx.now - last, 0.0) / (6 * HOUR if ctx.horizon == "hour" else DAY))
    popularity = weighted_counts(h.track, np.maximum(listen_weights(h), 0), n)
    cols = [familiarity.activation(n, ctx), recency,
            collaborative.score_with(similarity, ctx), content.score(model.content, ctx),
            context.score(model.context, ctx), np.log1p(popularity)]
    return np.column_stack([_scaled(c) for c in cols])


def _training_cuts(listens: Interactions, horizon: Horizon, end: float) -> list[float]:
    """Starts of the most recent periods (days or hours) with listens, before `end`."""
    span = TRAIN_SPAN[horizon]
    starts = np.unique(np.floor(listens.ts / span) * span)
    starts = starts[(starts + span <= end) & (starts > listens.ts[0] + span)] if len(listens) else starts
    return [float(s) for s in starts[-TRAIN_CUTS[horizon]:]]


def _fit_blend(model: HybridModel, data: RecData, horizon: Horizon, seed: int) -> Blend:
    h = data.listens
    end = float(h.ts[-1]) + 1.0 if len(h) else 0.0
    cuts = _training_cuts(h, horizon, end)
    if len(cuts) < 3:
        return Blend(DEFAULT_WEIGHTS, 0)
    # Co-occurrence known before the first training period, so features never see labels.
    similarity = collaborative.similarity_before(model.collab.pairs, model.n_items, cuts[0])
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for cut in cuts:
        period = h.rows(int(np.searchsorted(h.ts, cut)), int(np.searchsorted(h.ts, cut + TRAIN_SPAN[horizon])))
        played = np.unique(period.track[listen_weights(period) > 0])
        if not played.size:
            continue
        ctx = ScoringContext(cut, h.before(cut), horizon, int(period.utc_offset_min[0]))
        x = feature_matrix(model, similarity, ctx)
        y = np.zeros(model.n_items, bool)
        y[played] = True
        rows = _candidate_rows(x, y, rng)
        xs.append(x[rows])
        ys.append(y[rows])
    if len(xs) < 3:
        return Blend(DEFAULT_WEIGHTS, 0)
    return Blend(_logistic(np.vstack(xs), np.concatenate(ys), seed), len(xs))


def _candidate_rows(x: FloatArray, y: np.ndarray, rng: np.random.Generator) -> IntArray:
    """Train where it matters: the items some part ranks near its top (what the blend must
    order), plus a few random others so the far tail still ranks low."""
    n = x.shape[0]
    k = min(n, CANDIDATES)
    top = np.unique(np.argpartition(-x, k - 1, axis=0)[:k].ravel())
    others = rng.choice(n, size=min(n, k // 4), replace=False)
    return np.union1d(top, others)


def _logistic(x: FloatArray, y: np.ndarray, seed: int, l2: float = 1e-3,
              start: FloatArray | None = None) -> FloatArray:
    """Class-balanced logistic regression with non-negative weights (projected Newton; the
    intercept is free). Every part is "more is better"; unconstrained weights turned
    collinear parts against each other (tried: see docs/EVALUATION.md)."""
    if y.all() or not y.any():
        return DEFAULT_WEIGHTS
    sample = np.where(y, 0.5 / y.mean(), 0.5 / (1.0 - y.mean())) / y.shape[0]
    target = y.astype(np.float64)
    xb = np.column_stack([x, np.ones(x.shape[0])])
    w = np.concatenate([DEFAULT_WEIGHTS if start is None else start, [0.0]])
    reg = np.full(w.shape[0], l2)
    reg[-1] = 0.0

    def loss(v: FloatArray) -> float:
        z = xb @ v
        return float(sample @ (np.logaddexp(0.0, z) - target * z) + 0.5 * (reg * v) @ v)

    for _ in range(30):
        p = _sigmoid(xb @ w)
        grad = xb.T @ (sample * (p - target)) + reg * w
        hess = (xb * (sample * p * (1 - p))[:, None]).T @ xb + np.diag(reg + 1e-9)
        free = np.ones(w.shape[0], bool)
        free[:-1] = ~((w[:-1] <= 0) & (grad[:-1] > 0))  # at the bound and pushing out: fixed
        step = np.zeros_like(w)
        step[free] = np.linalg.solve(hess[np.ix_(free, free)], grad[free])
        before, improved = loss(w), False
        for _ in range(8):  # backtrack: a full Newton step can overshoot
            new = w - step
            new[:-1] = np.maximum(new[:-1], 0.0)
            if loss(new) < before:
                improved = True
                break
            step *= 0.5
        if not improved:
            break  # no descent left: at the (bounded) optimum
        converged = np.abs(new - w).max() < 1e-4
        w = new
        if converged:
            break
    return np.asarray(w[:-1], dtype=np.float64)


def _sigmoid(z: FloatArray) -> FloatArray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def fit(data: RecData, *, seed: int = 0,
        pairs: collaborative.Pairs | None = None) -> HybridModel:
    """Fit every part and the two blends. `pairs` lets a caller reuse co-occurrence evidence
    computed once for a whole log (the evaluator): only pairs known before the data ends count."""
    n = len(data.catalog)
    end = float(data.listens.ts[-1]) + 1.0 if len(data.listens) else np.inf
    if pairs is None:
        pairs = collaborative.session_pairs(data)
    k = int(np.searchsorted(pairs.at, end, side="left"))
    pairs = collaborative.Pairs(pairs.row[:k], pairs.col[:k], pairs.weight[:k], pairs.at[:k])
    collab = collaborative.CollabModel(n, collaborative.similarity_before(pairs, n), pairs)
    content_model = content.fit(data, seed=seed)
    items = ranker.items_of(data.catalog)
    model = HybridModel(n, collab, content_model, context.ContextModel(content_model.features),
                        artists=items.artist, liked=data.liked, items=items)
    cuts = [c for h in ("day", "hour") for c in ranker.training_cuts(data.listens, h)]
    # Co-listening known before the first training moment, so features never see labels.
    train_parts = ranker.PartModels(
        collaborative.similarity_before(pairs, n, min(cuts)) if cuts else collab.similarity,
        content_model.features)
    for horizon in ("day", "hour"):
        learned = ranker.train(items, train_parts, data.listens, horizon, seed)
        if learned is not None:
            model.rankers[horizon] = learned
            model.blends[horizon] = Blend(DEFAULT_WEIGHTS, 0)  # for the reasons only
        else:
            model.blends[horizon] = _fit_blend(model, data, horizon, seed)
    return model


def artist_codes(catalog: Catalog) -> IntArray:
    """A small integer per distinct artist (case-folded), per track."""
    codes: dict[str, int] = {}
    return np.array([codes.setdefault(a.casefold().strip(), len(codes)) for a in catalog.artist],
                    dtype=np.int64)


def artists_of(model: HybridModel, catalog: Catalog) -> IntArray:
    return model.artists if model.artists is not None else artist_codes(catalog)


def contributions(model: HybridModel, ctx: ScoringContext) -> FloatArray:
    """n_items x features: each part's share of the blended score (for reasons)."""
    x = feature_matrix(model, model.collab.similarity, ctx)
    return x * model.blends[ctx.horizon].coef[None, :]


def blended(model: HybridModel, ctx: ScoringContext) -> tuple[FloatArray, FloatArray]:
    """(contributions, total score); liked tracks get a boost of one score deviation."""
    contrib = contributions(model, ctx)
    learned = model.rankers.get(ctx.horizon)
    total = contrib.sum(axis=1) if learned is None else _ranked(model, learned, ctx)
    return contrib, _with_likes(model, total)


def _ranked(model: HybridModel, learned: ranker.Ranker, ctx: ScoringContext) -> FloatArray:
    assert model.items is not None  # fit() sets both
    items = model.items
    parts = ranker.PartModels(model.collab.similarity, model.content.features)
    return ranker.score(learned, items, parts, ctx)


def _with_likes(model: HybridModel, total: FloatArray) -> FloatArray:
    if model.liked:
        total[np.fromiter(model.liked, np.int64)] += LIKE_BOOST * (float(total.std()) or 1.0)
    return total


def score(model: HybridModel, ctx: ScoringContext,
          banned: frozenset[int] = frozenset()) -> FloatArray:
    learned = model.rankers.get(ctx.horizon)
    if learned is None:
        s = blended(model, ctx)[1]
    else:  # the contributions are for reasons: not needed here
        s = _with_likes(model, _ranked(model, learned, ctx))
    if banned:
        s[np.fromiter(banned, np.int64)] = -np.inf
    return s
