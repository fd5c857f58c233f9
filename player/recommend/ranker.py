"""The learned ranker: a gradient-boosted classifier per listener and horizon ("day" for Daily
Mixes, "hour" for Right now), trained only on that listener's own past. Training moments are
time-ordered cuts (midnights, or the starts of busy hours) before the end of the data; at each
cut the candidates come from every part (memory, recency, sequence, co-listening, sound/tags,
time of day), the features are computed from the listens strictly before the cut, and the
label is "played in the next day / hour". Scoring computes the same features for now.

Features (PRODUCT.md's signals, as the re-listening literature describes them): decayed play
counts from hours to months and counts in 1 h / 1 d / 7 d / 30 d windows; time since the last
play against the track's own typical gap ("due-ness"); plays so far, skip rate; the same at
artist and album level; the personal track-to-track and artist-to-artist transitions from the
last listens, plays in this session, minutes since the last listen; the share of the track's
(and artist's) plays at this hour of the day and on this weekday, played at this hour
yesterday / on this day last week; co-listening and content similarity to recent listening.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from player.recommend import collaborative, content, familiarity
from player.recommend.data import (
    DAY,
    HOUR,
    PLAY_MS,
    Catalog,
    FloatArray,
    Horizon,
    IntArray,
    Interactions,
    ScoringContext,
    listen_weights,
    local_hour_weekday,
)

if TYPE_CHECKING:
    from sklearn.ensemble import HistGradientBoostingClassifier

TAUS = (("2h", 2 * HOUR), ("1d", DAY), ("7d", 7 * DAY), ("30d", 30 * DAY))
WINDOWS = (("1h", HOUR), ("1d", DAY), ("7d", 7 * DAY), ("30d", 30 * DAY))
REACH = 12.0  # a decayed count looks back 12 time constants (e^-12 of a play is nothing)
PROFILE_MEMORY = 365 * DAY  # hour-of-day and weekday profiles: the last year
HOUR_SIGMA = 1.5  # hours: smoothing of the hour-of-day profile
SESSION_GAP = 30 * 60
TRANSITION_STEPS = (1.0, 0.5, 0.25)  # weights of the last 3 listens' transitions
SPAN = {"day": DAY, "hour": HOUR}
# More cuts kept helping on the dev set (day-ahead Recall@100 0.369 at 60 cuts, 0.385 at 150,
# 0.408 at 300 with the day-count features and smaller trees; hour-ahead NDCG@10 0.177 at 150,
# 0.210 at 300, 0.221 at 500): the listener's longer past is worth more than its freshness.
TRAIN_CUTS = {"day": 300, "hour": 500}
MIN_HOUR_PLAYS = 3  # hours trained on: as busy as the hours Right now is judged on
CANDIDATES = {"day": 300, "hour": 100}  # per generator, when scoring
TRAIN_CANDIDATES = {"day": 200, "hour": 60}  # per generator, when training
MIN_CUTS, MIN_POSITIVES = 8, 40  # less than this: no ranker (the hybrid falls back)
LISTEN_SCANS = 40_000_000  # training reads the history once per cut: fewer cuts for huge ones
MAX_ROWS = 300_000  # per horizon: beyond it negatives are sampled (positives all kept)
GENERATORS = ("actr", "dec_2h", "dec_7d", "dec_30d", "plays", "recent", "trans_3", "a_trans",
              "collab", "content", "hour_taste", "yesterday", "last_week", "sess_plays")

FEATURES = (
    "dec_2h", "dec_1d", "dec_7d", "dec_30d", "win_1h", "win_1d", "win_7d", "win_30d",
    "plays", "skip_rate", "last_was_skip", "actr", "since_last_h", "since_first_h", "gap_h",
    "due", "a_dec_1d", "a_dec_7d", "a_dec_30d", "a_plays", "a_since_last_h", "a_skip_rate",
    "share_of_artist", "al_dec_7d", "al_dec_30d", "gap_min", "sess_plays", "trans_1",
    "trans_cnt", "trans_3", "a_trans", "same_artist", "hour_share", "a_hour_share",
    "user_hour_share", "wd_share", "a_wd_share", "yesterday", "last_week", "collab", "content",
    "hour_taste",
)
DAY_WINDOWS = (3, 7, 14, 30, 90)  # days: on how many distinct days it was played (a day ahead)
DAY_FEATURES = FEATURES + tuple(f"{level}days_{d}" for level in ("", "a_", "al_") for d in DAY_WINDOWS) + (
    "user_days_30",)
COLUMNS = {"day": DAY_FEATURES, "hour": FEATURES}
CONTEXT_FEATURES = ("hour_share", "a_hour_share", "user_hour_share", "wd_share", "a_wd_share",
                    "yesterday", "last_week", "hour_taste")


@dataclass(frozen=True)
class Items:
    """Static facts per track: artist and album codes, and the tracks grouped by artist."""

    artist: IntArray
    album: IntArray
    by_artist: IntArray  # track indices sorted by artist
    artist_starts: IntArray  # where each artist's run starts in by_artist

    @property
    def n_artists(self) -> int:
        return int(self.artist_starts.shape[0])


@dataclass(frozen=True)
class PartModels:
    """What the ranker asks of the other parts (all fitted on data before the training cuts)."""

    similarity: sparse.csr_matrix  # co-listening
    features: sparse.csr_matrix  # content (tags, sound)


@dataclass(frozen=True)
class Ranker:
    horizon: Horizon
    model: Any  # HistGradientBoostingClassifier (sklearn loads lazily)
    columns: tuple[str, ...]
    trained_on: int  # training cuts used
    positives: int


def codes(keys: list[str]) -> IntArray:
    seen: dict[str, int] = {}
    return np.array([seen.setdefault(k, len(seen)) for k in keys], dtype=np.int64)


def items_of(catalog: Catalog) -> Items:
    artists = [a.casefold().strip() for a in catalog.artist]
    artist = codes(artists) if artists else np.zeros(0, np.int64)
    album = (codes([f"{a}\x1f{b.casefold().strip()}" for a, b in zip(artists, catalog.albums(), strict=True)])
             if artists else np.zeros(0, np.int64))
    order = np.argsort(artist, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(artist[order]) != 0]) if artist.size else np.zeros(0, np.int64)
    return Items(artist, album, order.astype(np.int64), starts.astype(np.int64))


def counting(h: Interactions) -> np.ndarray:
    """The protocol's counting listens: ms heard unknown or >= 30 s."""
    return np.asarray(np.isnan(h.ms_played) | (h.ms_played >= PLAY_MS), dtype=bool)


def _per_artist_max(items: Items, values: FloatArray) -> FloatArray:
    if not values.size:
        return values
    v = np.where(np.isnan(values), -np.inf, values)[items.by_artist]
    best = np.maximum.reduceat(v, items.artist_starts)
    return np.where(np.isfinite(best), best, np.nan)


def features(items: Items, parts: PartModels, ctx: ScoringContext) -> dict[str, FloatArray]:
    """Every feature of every track at ctx.now, from ctx.history only (n values each)."""
    h, t, n = ctx.history, ctx.now, items.artist.shape[0]
    span = SPAN[ctx.horizon]
    tr, ts, m = h.track, h.ts, len(h)
    w = listen_weights(h)
    play = (w > 0).astype(np.float64)
    a = items.artist
    na = items.n_artists
    cols: dict[str, FloatArray] = {}

    def count(idx: IntArray, weights: FloatArray | None = None) -> FloatArray:
        return np.bincount(idx, weights=weights, minlength=n)[:n].astype(np.float64)

    def artist_sum(x: FloatArray) -> FloatArray:
        return np.asarray(np.bincount(a, weights=x, minlength=na)[a], dtype=np.float64)

    def since(cut: float) -> int:
        return int(np.searchsorted(ts, cut, side="left"))

    for name, tau in TAUS:
        k = since(t - REACH * tau)
        cols[f"dec_{name}"] = count(tr[k:], np.exp(-(t - ts[k:]) / tau) * play[k:])
    for name, win in WINDOWS:
        k = since(t - win)
        cols[f"win_{name}"] = count(tr[k:], play[k:])
    plays = count(tr, play)
    listens = count(tr)
    skips = count(tr, (w < 0).astype(np.float64))
    cols["plays"] = np.log1p(plays)
    cols["skip_rate"] = np.where(listens > 0, skips / np.maximum(listens, 1.0), np.nan)
    cols["actr"] = familiarity.activation(n, ctx)
    played = np.flatnonzero(play)
    last = np.full(n, np.nan)
    last[tr[played]] = ts[played]  # time order: the last write is the last play
    first = np.full(n, np.nan)
    first[tr[played][::-1]] = ts[played][::-1]
    since_h = (t - last) / HOUR
    gap_h = np.where(plays >= 2, (last - first) / np.maximum(plays - 1.0, 1.0) / HOUR, np.nan)
    cols["since_last_h"] = np.log1p(since_h)
    cols["since_first_h"] = np.log1p((t - first) / HOUR)
    cols["gap_h"] = np.log1p(gap_h)
    cols["due"] = np.log((since_h + 1.0) / (gap_h + 1.0))
    last_listen = np.full(n, -1, np.int64)
    last_listen[tr] = np.arange(m)
    cols["last_was_skip"] = np.where(last_listen >= 0, (w[np.maximum(last_listen, 0)] < 0) if m else 0.0, np.nan)
    # artist and album level: activation spreads to the artist's other tracks
    for name in ("1d", "7d", "30d"):
        cols[f"a_dec_{name}"] = artist_sum(cols[f"dec_{name}"])
    a_plays = artist_sum(plays)
    cols["a_plays"] = np.log1p(a_plays)
    cols["a_since_last_h"] = np.log1p((t - _per_artist_max(items, last)[a]) / HOUR) if n else np.zeros(0)
    a_listens = artist_sum(listens)
    cols["a_skip_rate"] = np.where(a_listens > 0, artist_sum(skips) / np.maximum(a_listens, 1.0), np.nan)
    cols["share_of_artist"] = np.where(a_plays > 0, plays / np.maximum(a_plays, 1.0), np.nan)
    nal = int(items.album.max()) + 1 if n else 0
    for name in ("7d", "30d"):
        by_album = np.bincount(items.album, weights=cols[f"dec_{name}"], minlength=nal)
        cols[f"al_dec_{name}"] = np.asarray(by_album[items.album], dtype=np.float64)
    if ctx.horizon == "day":
        _days(cols, h, play, items, t)
    _sequence(cols, h, play, items, ctx, count)
    _time(cols, h, play, items, ctx, span, count, artist_sum, parts.features)
    # co-listening and content similarity (the collaborative and content parts)
    cols["collab"] = collaborative.score_with(parts.similarity, ctx)
    short, long = cols["dec_2h"], cols["dec_30d"]
    q = long / (long.sum() or 1.0) + short / (short.sum() or 1.0)
    for seed in ctx.seeds:
        q[seed] += 1.0
    for skipped in ctx.session_skips:
        q[skipped] -= 0.5
    cols["content"] = content.similarity_to(parts.features, q)
    return cols


def _days(cols: dict[str, FloatArray], h: Interactions, play: FloatArray, items: Items,
          t: float) -> None:
    """On how many distinct days (counted back from now) each track, its artist and its album
    were played in the last 3 / 7 / 14 / 30 / 90 days: tomorrow's tracks are the habits."""
    n = items.artist.shape[0]
    nal = int(items.album.max()) + 1 if n else 0
    for days in DAY_WINDOWS:
        k = int(np.searchsorted(h.ts, t - days * DAY, side="left"))
        heard = play[k:] > 0
        tr = h.track[k:][heard]
        day = np.floor((t - h.ts[k:][heard]) / DAY).astype(np.int64)
        # (prefix, the group of each play, the group of each track, number of groups)
        for level, group, of_track, size in (("", tr, None, n),
                                             ("a_", items.artist[tr], items.artist, items.n_artists),
                                             ("al_", items.album[tr], items.album, nal)):
            distinct = np.unique(group * (days + 1) + day) // (days + 1)
            per = np.bincount(distinct, minlength=size).astype(np.float64)
            cols[f"{level}days_{days}"] = per if of_track is None else per[of_track]
    k = int(np.searchsorted(h.ts, t - 30 * DAY, side="left"))
    active = np.unique(np.floor((t - h.ts[k:]) / DAY)).size
    cols["user_days_30"] = np.full(n, float(active))


def _sequence(cols: dict[str, FloatArray], h: Interactions, play: FloatArray, items: Items,
              ctx: ScoringContext, count: Any) -> None:
    """What follows what in this listener's sessions, and where the session stands now."""
    n, m, tr, a = items.artist.shape[0], len(h), h.track, items.artist
    zeros = np.zeros(n)
    if not m:
        for name in ("sess_plays", "trans_1", "trans_cnt", "trans_3", "a_trans", "same_artist"):
            cols[name] = zeros
        cols["gap_min"] = np.full(n, np.nan)
        return
    gap = ctx.now - h.ts[-1]
    cols["gap_min"] = np.full(n, np.log1p(max(gap, 0.0) / 60.0))
    if gap < SESSION_GAP:
        k = int(np.searchsorted(h.session, h.session[-1], side="left"))
        cols["sess_plays"] = count(tr[k:], play[k:])
    else:
        cols["sess_plays"] = zeros
    followed = np.r_[(h.session[1:] == h.session[:-1]) & (play[1:] > 0), False]
    trans3 = np.zeros(n)
    for step, weight in enumerate(TRANSITION_STEPS):
        if step >= m:
            break
        prev = tr[m - 1 - step]
        at = np.flatnonzero(tr[:m - 1] == prev)
        at = at[followed[at]]
        nxt = count(tr[at + 1])
        share = nxt / max(at.size, 1)
        trans3 += weight * share
        if step == 0:
            cols["trans_1"] = share
            cols["trans_cnt"] = np.log1p(nxt)
    cols["trans_3"] = trans3
    artist_seq = a[tr]
    last_artist = artist_seq[-1]
    at = np.flatnonzero(artist_seq[:-1] == last_artist)
    at = at[followed[at]]
    nxt_artist = np.bincount(artist_seq[at + 1], minlength=items.n_artists) / max(at.size, 1)
    cols["a_trans"] = nxt_artist[a]
    cols["same_artist"] = (a == last_artist).astype(np.float64)


def _time(cols: dict[str, FloatArray], h: Interactions, play: FloatArray, items: Items,
          ctx: ScoringContext, span: float, count: Any, artist_sum: Any,
          item_features: sparse.csr_matrix) -> None:
    """How much of each track's (and artist's) listening happens at this hour / weekday."""
    n, t = items.artist.shape[0], ctx.now
    k = int(np.searchsorted(h.ts, t - PROFILE_MEMORY, side="left"))
    tr, ts, pk = h.track[k:], h.ts[k:], play[k:]
    hour, weekday = local_hour_weekday(ts, h.utc_offset_min[k:])
    now_hour, now_weekday = local_hour_weekday(np.array([t]), ctx.utc_offset_min)
    base = count(tr, pk)
    a_base = artist_sum(base)
    if ctx.horizon == "hour":
        d = np.abs(hour - now_hour[0]).astype(np.float64)
        d = np.minimum(d, 24.0 - d)
        at_hour = np.exp(-0.5 * (d / HOUR_SIGMA) ** 2) * pk
        by_hour = count(tr, at_hour)
        cols["hour_share"] = by_hour / (base + 1.0)
        cols["a_hour_share"] = artist_sum(by_hour) / (a_base + 1.0)
        cols["user_hour_share"] = np.full(n, at_hour.sum() / (pk.sum() + 1.0))
        total = by_hour.sum()
        cols["hour_taste"] = content.similarity_to(item_features, by_hour / total if total else by_hour)
    else:  # a day ahead the hour is unknown
        for name in ("hour_share", "a_hour_share", "user_hour_share", "hour_taste"):
            cols[name] = np.zeros(n)
    on_day = count(tr, (weekday == now_weekday[0]) * pk)
    cols["wd_share"] = on_day / (base + 1.0)
    cols["a_wd_share"] = artist_sum(on_day) / (a_base + 1.0)
    full_tr, full_ts = h.track, h.ts
    for name, back in (("yesterday", DAY), ("last_week", 7 * DAY)):
        lo, hi = np.searchsorted(full_ts, [t - back, t - back + span])
        cols[name] = count(full_tr[lo:hi], play[lo:hi])


def _matrix(cols: dict[str, FloatArray], columns: tuple[str, ...], rows: IntArray) -> FloatArray:
    return np.column_stack([cols[c][rows] for c in columns]).astype(np.float32)


def candidates(cols: dict[str, FloatArray], per_generator: int) -> IntArray:
    """The union of every generator's top tracks (each part proposes, the ranker orders)."""
    picked = []
    for name in GENERATORS:
        v = -cols["since_last_h"] if name == "recent" else cols[name]
        v = np.where(np.isnan(v), -np.inf, v)
        good = np.flatnonzero(v > 0) if name != "recent" else np.flatnonzero(np.isfinite(v))
        if good.size > per_generator:
            good = good[np.argpartition(-v[good], per_generator - 1)[:per_generator]]
        picked.append(good)
    return np.unique(np.concatenate(picked)) if picked else np.zeros(0, np.int64)


def training_cuts(h: Interactions, horizon: Horizon) -> list[float]:
    """The latest midnights (or busy hour starts) whose whole next period is in the data."""
    if not len(h):
        return []
    span = SPAN[horizon]
    end = float(h.ts[-1])
    starts, n = np.unique(np.floor(h.ts[counting(h)] / span) * span, return_counts=True)
    need = MIN_HOUR_PLAYS if horizon == "hour" else 1
    keep = (starts + span <= end) & (starts > h.ts[0] + span) & (n >= need)
    count = max(MIN_CUTS, min(TRAIN_CUTS[horizon], LISTEN_SCANS // max(len(h), 1)))
    return [float(s) for s in starts[keep][-count:]]


def train(items: Items, parts: PartModels, h: Interactions, horizon: Horizon, seed: int = 0,
          columns: tuple[str, ...] | None = None) -> Ranker | None:
    """The ranker for one horizon, or None when the history is too short to learn from."""
    columns = COLUMNS[horizon] if columns is None else columns
    cuts = training_cuts(h, horizon)
    if len(cuts) < MIN_CUTS:
        return None
    span = SPAN[horizon]
    heard = np.zeros(items.artist.shape[0], bool)
    played_mask = counting(h)
    xs, ys = [], []
    k_heard = 0
    for cut in cuts:
        k = int(np.searchsorted(h.ts, cut, side="left"))
        heard[h.track[k_heard:k]] = True  # cuts ascend: what was heard before this one
        k_heard = k
        hi = int(np.searchsorted(h.ts, cut + span, side="left"))
        target = np.unique(h.track[k:hi][played_mask[k:hi]])
        if not target.size or k == 0:
            continue
        offset = int(h.utc_offset_min[k])
        cols = features(items, parts, ScoringContext(cut, h.prefix(k), horizon, offset))
        rows = candidates(cols, TRAIN_CANDIDATES[horizon])
        rows = rows[heard[rows]]  # a catalog made from a log knows its future tracks: not those
        y = np.isin(rows, target)
        xs.append(_matrix(cols, columns, rows))
        ys.append(y)
    if len(xs) < MIN_CUTS:
        return None
    x, y = np.vstack(xs), np.concatenate(ys)
    if int(y.sum()) < MIN_POSITIVES or y.all():
        return None
    if y.shape[0] > MAX_ROWS:
        negatives = np.flatnonzero(~y)
        keep = np.random.default_rng(seed).choice(negatives, size=max(MAX_ROWS - int(y.sum()), 1),
                                                  replace=False)
        rows = np.sort(np.concatenate([np.flatnonzero(y), keep]))
        x, y = x[rows], y[rows]
    return Ranker(horizon, _fit(x, y, seed), columns, len(xs), int(y.sum()))


_ONE_THREAD: list[object] = []


def _classifier() -> type[HistGradientBoostingClassifier]:
    """sklearn, loaded on first use, with its OpenMP pool at one thread: on a busy 2-core
    machine the spinning worker threads made a fit 7x slower (measured: 31 s against 4 s)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    if not _ONE_THREAD:
        _ONE_THREAD.append(threadpool_limits(limits=1, user_api="openmp"))
    return HistGradientBoostingClassifier


def _fit(x: FloatArray, y: np.ndarray, seed: int) -> HistGradientBoostingClassifier:
    # Small trees with big leaves: 15 / 100 beat 31 / 40 on both horizons of the dev set.
    model = _classifier()(learning_rate=0.1, max_iter=100, max_leaf_nodes=15,
                          min_samples_leaf=100, l2_regularization=1.0,
                          early_stopping=False, random_state=seed)
    return model.fit(x, y)


def score(ranker: Ranker, items: Items, parts: PartModels, ctx: ScoringContext,
          fallback: FloatArray | None = None) -> FloatArray:
    """Probability of being played in the period ahead for every candidate; the tracks no
    part proposes rank below them, in the order of `fallback` (else memory activation)."""
    cols = features(items, parts, ctx)
    n = items.artist.shape[0]
    rows = candidates(cols, CANDIDATES[ranker.horizon])
    below = cols["actr"] if fallback is None else fallback
    order = np.argsort(np.argsort(np.where(np.isnan(below), -np.inf, below), kind="stable"), kind="stable")
    out = -1.0 + 0.5 * order / max(n, 1)
    if rows.size:
        out[rows] = ranker.model.predict_proba(_matrix(cols, ranker.columns, rows))[:, 1]
    return out
