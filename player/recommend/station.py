"""Endless queues that react to skips: Right now (for this hour and weekday) and radio (from a
track, artist, album or playlist). A Station holds base scores computed once; each next()
is a cheap argmax over them, adjusted by what was skipped in this session."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from player.recommend import content, hybrid
from player.recommend.data import Catalog, FloatArray, IntArray, ScoringContext
from player.recommend.mixes import mix_name
from player.recommend.reasons import moment_name

SKIP_STEER = 2.0  # how hard a skip pushes away tracks like it (in base-score deviations)
ARTIST_GAP = 3  # artists of the last 3 tracks are held back
ARTIST_PENALTY = 0.5  # in base-score deviations


@dataclass
class Station:
    """Mutable session state over immutable scores. Never runs dry: when everything was
    played, the played set is forgotten (bans stay)."""

    title: str
    base: FloatArray
    features: sparse.csr_matrix
    collab: sparse.csr_matrix
    artists: IntArray
    banned: frozenset[int] = frozenset()
    played: set[int] = field(default_factory=set)
    recent_artists: list[int] = field(default_factory=list)
    steer: FloatArray | None = None

    def next(self) -> int | None:
        scores = self.base if self.steer is None else self.base + self.steer
        blocked = set(self.played) | set(self.banned)
        if len(blocked) >= scores.shape[0]:
            self.played.clear()
            blocked = set(self.banned)
            if len(blocked) >= scores.shape[0]:
                return None
        s = scores.copy()
        if blocked:
            s[np.fromiter(blocked, np.int64)] = -np.inf
        # Never the same artist twice in a row; the few before that only lose some ground, so
        # a close fit by a recent artist still beats a poor fit by a new one.
        spread = float(np.std(self.base[np.isfinite(self.base)])) or 1.0
        for artist in set(self.recent_artists[-ARTIST_GAP:-1]):
            s[self.artists == artist] -= ARTIST_PENALTY * spread
        if self.recent_artists:
            s[self.artists == self.recent_artists[-1]] -= 1e6
        item = int(np.argmax(s))
        self.played.add(item)
        self.recent_artists.append(int(self.artists[item]))
        return item

    def take(self, count: int) -> list[int]:
        out = []
        for _ in range(count):
            item = self.next()
            if item is None:
                break
            out.append(item)
        return out

    def skip(self, item: int) -> None:
        """Steer away from tracks like a skipped one (tags, sound, co-listening)."""
        like = np.asarray(self.features @ self.features[item].T.toarray()).ravel()
        like += np.asarray(self.collab[:, item].toarray()).ravel()
        scale = float(np.std(self.base[np.isfinite(self.base)])) or 1.0
        penalty = SKIP_STEER * scale * like / (like.max() or 1.0)
        self.steer = -penalty if self.steer is None else self.steer - penalty
        self.played.add(item)


def right_now(model: hybrid.HybridModel, catalog: Catalog, ctx: ScoringContext,
              banned: frozenset[int] = frozenset()) -> Station:
    """The context queue for ctx.now, titled like "Tuesday evening: Jazz"."""
    hour_ctx = ScoringContext(ctx.now, ctx.history, "hour", ctx.utc_offset_min,
                              ctx.session_skips)
    base = hybrid.score(model, hour_ctx)
    moment, _ = moment_name(ctx.now, ctx.utc_offset_min)
    top = [int(i) for i in np.argsort(-base) if int(i) not in banned][:20]
    station = Station(f"{moment}: {_flavour(catalog, np.asarray(top, np.int64))}", base,
                      model.content.features, model.collab.similarity,
                      hybrid.artists_of(model, catalog), banned)
    for item in ctx.session_skips:
        station.skip(item)
    return station


def radio(model: hybrid.HybridModel, catalog: Catalog, seeds: list[int], ctx: ScoringContext,
          title: str, banned: frozenset[int] = frozenset()) -> Station:
    """A station around seed tracks: like them in tags and sound, and played with them."""
    q = np.zeros(len(catalog))
    q[np.asarray(seeds, dtype=np.int64)] = 1.0 / max(1, len(seeds))
    like = content.similarity_to(model.content.features, q)
    together = np.asarray(model.collab.similarity @ q).ravel()
    taste = hybrid.score(model, ScoringContext(ctx.now, ctx.history, "hour", ctx.utc_offset_min))
    taste = (taste - taste.mean()) / (taste.std() + 1e-9)
    base = like / (like.max() or 1.0) + together / (np.abs(together).max() or 1.0) + 0.1 * taste
    station = Station(title, base, model.content.features, model.collab.similarity,
                      hybrid.artists_of(model, catalog), banned)
    station.played.update(seeds)
    return station


def _flavour(catalog: Catalog, items: IntArray) -> str:
    """What the top picks are, by the Daily Mixes' naming rule (a genre half of them carry, an
    artist of 40%, else their sound)."""
    name = mix_name(catalog, [int(i) for i in items])[0]
    return name[0].lower() + name[1:] if name.startswith(("Sounds like", "Your music")) else name
