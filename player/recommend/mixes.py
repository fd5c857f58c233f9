"""Daily Mixes: up to 6 clusters of the taste, mostly familiar tracks with some rediscoveries,
no track in two mixes, no artist twice in a row, named from their dominant genres or artists,
stable through the day and fresh the next (every random choice is seeded by the date)."""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from player.recommend import cluster, content, hybrid
from player.recommend.data import Catalog, FloatArray, IntArray, ScoringContext, listen_weights
from player.recommend.diversity import spread_artists
from player.recommend.facts import standardised_audio

MAX_MIXES, MIN_LEN, MAX_LEN = 6, 30, 60
MAX_CLUSTERED = 3000
SOUND_WEIGHT = 1.5  # as strong as a shared genre: an untagged library still gets mixes of one sound


@dataclass(frozen=True)
class Mix:
    title: str
    description: str
    items: tuple[int, ...]
    reasons: tuple[str, ...] = ()  # filled by the caller from recommend.facts
    kind: str = "daily"  # daily | now | radio | rediscover | fresh
    new: frozenset[int] = frozenset()  # the discoveries: items never or rarely (once) played


def play_counts(history_track: IntArray, weights: FloatArray, n: int) -> IntArray:
    """Plays per track: listens with positive evidence (not skips); a skip is not "familiar"."""
    played = history_track[weights > 0]
    return np.bincount(played, minlength=n)[:n].astype(np.int64)


def date_seed(label: str) -> int:
    return zlib.crc32(label.encode("utf-8"))


def cluster_items(model: hybrid.HybridModel, items: IntArray, k: int, seed: int = 0,
                  catalog: Catalog | None = None) -> IntArray:
    """Cluster labels of `items` (stable seed, so a mix keeps its identity from day to day).
    Genres lead (a mix should be one kind of music), then co-listening, artist and sound."""
    blocks = [model.collab.similarity[items][:, items], model.content.features[items] * 0.5]
    if catalog is not None and catalog.genres:
        genres = [[g.casefold().strip() for g in catalog.genres[int(i)]] for i in items]
        blocks.append(content.one_hot(genres, 1.5))
    if catalog is not None:  # the sound itself (unit vectors of standardised audio features)
        audio = standardised_audio(catalog.audio)
        if audio is not None:
            blocks.append(sparse.csr_matrix(audio[items] * SOUND_WEIGHT))
    rows = sparse.hstack(blocks).tocsr()
    return cluster.kmeans(cluster.embed(rows, seed=seed), k, seed=seed)


GENRE_SHARE = 0.5  # a mix is named for a genre only when at least half of it is that genre
ARTIST_SHARE = 0.4


def mix_name(catalog: Catalog, items: list[int], taken: set[str] | frozenset[str] = frozenset()
             ) -> tuple[str, str]:
    """The slice a mix is: its genre when at least half of it carries that genre, else its
    artist when 40% is by one artist, else its sound ("Sounds like <its most central track>").
    A name already `taken` by another mix gets its lead artist or central track added."""
    genres = Counter(g for i in items for g in set(catalog.genre_lists()[i]) if g)
    by_artist = Counter(catalog.artist[i] for i in items if catalog.artist[i])
    artists = [a for a, _ in by_artist.most_common(3)]
    central = _central(catalog, items)
    sound = f"Sounds like {catalog.title[central]}" if central >= 0 else "Your music"
    if genres and genres.most_common(1)[0][1] >= GENRE_SHARE * len(items):
        lead = genres.most_common(1)[0][0]
    elif artists and by_artist[artists[0]] >= ARTIST_SHARE * len(items):
        lead = artists[0]
    else:
        lead = sound
    if lead in taken:
        extra = artists[0] if artists and artists[0] != lead else sound
        lead = f"{lead}: {extra}" if extra != lead else lead
    description = ", ".join(artists) + (" and more" if artists else "")
    return lead, description or "A mix of your library"


def _central(catalog: Catalog, items: list[int]) -> int:
    """The analysed member closest to the mix's centre in sound, or -1."""
    audio = standardised_audio(catalog.audio)
    if audio is None:
        return -1
    known = [i for i in items if np.abs(audio[i]).sum() > 0]
    if not known:
        return -1
    vectors = audio[known]
    return int(known[int(np.argmin(np.linalg.norm(vectors - vectors.mean(axis=0), axis=1)))])


def daily_mixes(model: hybrid.HybridModel, catalog: Catalog, ctx: ScoringContext, day_label: str,
                *, rediscovery_share: float = 0.2, avoid_openers: frozenset[int] = frozenset(),
                banned: frozenset[int] = frozenset()) -> list[Mix]:
    """Up to 6 mixes for the day named `day_label` (e.g. "2026-11-27")."""
    n = len(catalog)
    day_ctx = ScoringContext(ctx.now, ctx.history, "day", ctx.utc_offset_min)
    scores = hybrid.score(model, day_ctx)
    plays = play_counts(ctx.history.track, listen_weights(ctx.history), n)
    allowed = np.ones(n, bool)
    if banned:
        allowed[np.fromiter(banned, np.int64)] = False
    familiar = np.flatnonzero((plays > 1) & allowed)  # once is not yet familiar: it is "new"
    if familiar.size < MIN_LEN:  # cold start: the whole library is the "taste"
        familiar = np.flatnonzero(allowed)
    if familiar.size == 0:
        return []
    if familiar.size > MAX_CLUSTERED:  # the mixes need a few hundred: cluster the best
        familiar = familiar[np.argsort(-scores[familiar])[:MAX_CLUSTERED]]
    k = int(max(1, min(MAX_MIXES, familiar.size // MIN_LEN)))
    labels = cluster_items(model, familiar, k, catalog=catalog) if k > 1 else np.zeros(familiar.size, np.int64)
    rng = np.random.default_rng(date_seed(day_label))
    jitter = scores + rng.gumbel(size=n) * (scores.std() + 1e-9) * 0.5  # fresh each day
    artists = hybrid.artists_of(model, catalog)
    used = np.zeros(n, bool)
    used[~allowed] = True
    mixes: list[tuple[int, Mix]] = []
    for c in range(k):
        members = familiar[labels == c]
        if members.size == 0:  # k-means can leave a cluster empty: no mix, not a crash
            continue
        mix = _one_mix(model, catalog, members, jitter, plays, used, artists, rediscovery_share,
                       avoid_openers)
        if mix is not None:
            mixes.append((len(members), mix))
    mixes.sort(key=lambda m: -m[0])
    out: list[Mix] = []
    taken: set[str] = set()
    for _, m in mixes:  # biggest first: it keeps the plain name when two share a slice
        title, description = mix_name(catalog, list(m.items), taken)
        taken.add(title)
        out.append(Mix(f"Daily Mix {len(out) + 1} · {title}", description, m.items, new=m.new))
    return out


def _capped(candidates: IntArray | list[int], artists: IntArray, count: int, cap: int,
            taken: set[int], per: Counter[int]) -> list[int]:
    """Up to `count` candidates in order, at most `cap` per artist (counted in `per`, shared
    between calls), skipping `taken`."""
    out: list[int] = []
    if count <= 0:
        return out
    for item in candidates:
        i = int(item)
        if i in taken or per[int(artists[i])] >= cap:
            continue
        out.append(i)
        per[int(artists[i])] += 1
        if len(out) >= count:
            break
    return out


def _one_mix(model: hybrid.HybridModel, catalog: Catalog, members: IntArray, jitter: FloatArray,
             plays: IntArray, used: np.ndarray, artists: IntArray, share: float,
             avoid_openers: frozenset[int]) -> Mix | None:
    length = int(min(MAX_LEN, max(MIN_LEN, members.size)))
    cap = max(2, length // 3)  # room to alternate artists
    taken = {int(i) for i in np.flatnonzero(used)}
    per: Counter[int] = Counter()
    new_count = int(round(length * share))  # the "Rediscovery in mixes" setting
    familiar = _capped(members[np.argsort(-jitter[members])], artists, length - new_count,
                       cap, taken, per)
    taken |= set(familiar)
    # Rediscoveries (and filling a small cluster): tracks closest to this cluster's tags and sound.
    centroid = np.asarray(model.content.features[members].mean(axis=0)).ravel()
    closeness = np.asarray(model.content.features @ centroid).ravel()
    audio = standardised_audio(catalog.audio)
    if audio is not None:  # and in sound, so a small cluster is filled with what sounds like it
        closeness = closeness + audio @ audio[members].mean(axis=0)
    closeness = closeness + 0.1 * jitter / (np.abs(jitter).max() + 1e-9)
    by_closeness = np.argsort(-closeness)
    rare = by_closeness[plays[by_closeness] <= 1]
    fresh = _capped(rare, artists, new_count, cap, taken, per)
    taken |= set(fresh)
    # short of the length (artist caps, a small cluster): familiar tracks close to the mix
    # first, so the share of new ones stays what the setting says where the library allows
    known = by_closeness[plays[by_closeness] > 1]
    more = _capped(known, artists, length - len(familiar) - len(fresh), cap, taken, per)
    familiar += more
    taken |= set(more)
    if len(familiar) + len(fresh) < MIN_LEN:
        fresh += _capped(by_closeness, artists, MIN_LEN - len(familiar) - len(fresh), cap, taken, per)
    merged = _interleave(familiar, fresh)
    if len(merged) < 2:
        return None
    front = merged[:6]  # do not open like yesterday: its openers move back
    merged = [i for i in front if i not in avoid_openers] + \
        [i for i in front if i in avoid_openers] + merged[6:]
    ordered = spread_artists(merged, artists, limit=len(merged))
    used[ordered] = True
    return Mix("", "", tuple(ordered), new=frozenset(i for i in fresh if plays[i] <= 1))


def _interleave(familiar: list[int], fresh: list[int]) -> list[int]:
    """Spread the rediscoveries evenly through the familiar tracks."""
    if not fresh:
        return list(familiar)
    out: list[int] = []
    step = max(1, (len(familiar) + len(fresh)) // len(fresh))
    pending = list(fresh)
    for i, item in enumerate(familiar):
        out.append(item)
        if pending and (i + 1) % (step - 1 if step > 1 else 1) == 0:
            out.append(pending.pop(0))
    return out + pending
