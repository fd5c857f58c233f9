"""The recommender as a service: loads the library and history from the database, fits the
pure model (player/recommend), and caches the day's mixes in recommendation_cache so the
Home page shows them at start-up without fitting. Fitting is heavy: call `refresh()` from a
background worker (after scans, imports, and once a day)."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from player.core.clock import Clock, SystemClock
from player.core.errors import KnownError
from player.core.events import EventBus, EventName, EventPayload
from player.core.models import Track
from player.db import recommend_queries as q
from player.db.connection import Database
from player.db.tracks import TrackRepository
from player.recommend import discover, eligibility, hybrid, mixes, station
from player.recommend.data import Catalog, Interactions, RecData, ScoringContext
from player.recommend.facts import Explainer, Fact, ListenHistory, explain
from player.services.feedback import FeedbackService

log = logging.getLogger(__name__)
DAILY_KEY = "daily:"


@dataclass(frozen=True)
class MixResult:
    """A mix ready to show and play: tracks with a reason each, and its listen source."""

    title: str
    description: str
    kind: str
    tracks: list[Track]
    reasons: list[str]
    source: str
    source_id: str
    facts: list[Fact] = field(default_factory=list)  # what each reason states, checkable


@dataclass
class Fitted:
    model: hybrid.HybridModel
    data: RecData
    ids: np.ndarray  # index -> track id
    index: dict[int, int]
    fitted_at: float
    banned: frozenset[int] = field(default_factory=frozenset)  # the listener's "don't play this"
    history: ListenHistory = field(default_factory=ListenHistory.empty)
    excluded: frozenset[int] = frozenset()  # not music / under 30 s / just skipped early

    @property
    def blocked(self) -> frozenset[int]:
        """What no output may pick."""
        return self.banned | self.excluded


def local_offset_min(at: float) -> int:
    offset = datetime.fromtimestamp(at).astimezone().utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


def local_date(at: float, offset_min: int) -> str:
    return datetime.fromtimestamp(at + offset_min * 60, tz=UTC).strftime("%Y-%m-%d")


class RecommendationService:
    def __init__(self, db: Database, clock: Clock | None = None,
                 rediscovery_share: float = 0.2, utc_offset_min: int | None = None,
                 include_non_music: bool | None = None, *,
                 bus: EventBus | None = None, feedback: FeedbackService | None = None) -> None:
        """One per app (app.py builds it): Home, radio, "Sounds like this" and the recap's
        personalities share its fitted model. A ban published on `bus` (from anywhere)
        takes the track out of today's mixes and every radio at once."""
        self.db = db
        self.clock = clock or SystemClock()
        self.rediscovery_share = rediscovery_share
        self.include_non_music = include_non_music  # None: the stored preference
        self._offset = utc_offset_min
        self._fitted: Fitted | None = None
        self._lock = threading.Lock()
        self.bus = bus or EventBus()
        self.banned_since_fit: set[int] = set()  # track ids banned while this process ran
        self.feedback = feedback or FeedbackService(db, self.bus, self.clock)
        self.bus.subscribe("feedback_changed", self._on_feedback)

    # -- fitting ---------------------------------------------------------------------------
    def offset(self, at: float) -> int:
        return self._offset if self._offset is not None else local_offset_min(at)

    def load(self) -> tuple[RecData, np.ndarray]:
        tracks = q.load_tracks(self.db)
        index = {tid: i for i, tid in enumerate(tracks.ids)}
        listens = q.load_listens(self.db)
        keep = [k for k, tid in enumerate(listens.track_ids) if tid in index]
        interactions = Interactions.build(
            [index[listens.track_ids[k]] for k in keep], [listens.started_at[k] for k in keep],
            ms_played=[listens.ms_played[k] for k in keep],
            duration_ms=[listens.duration_ms[k] for k in keep],
            skipped=[listens.skipped[k] for k in keep],
            utc_offset_min=[listens.utc_offset_min[k] for k in keep],
            session=[listens.session_id[k] for k in keep])  # the stored (rulebook's) sessions
        catalog = Catalog(tuple(tracks.titles), tuple(tracks.artists), tuple(tracks.albums),
                          tuple(tracks.genres), np.array(tracks.years, dtype=np.float64),
                          tracks.audio.astype(np.float64) if tracks.audio is not None else None,
                          np.array(tracks.added_at, dtype=np.float64), tuple(tracks.ids))
        playlists = tuple(tuple(index[t] for t in pl if t in index) for pl in q.load_playlists(self.db))
        liked, banned = q.load_feedback(self.db)
        data = RecData(catalog, interactions, playlists,
                       frozenset(index[t] for t in liked if t in index),
                       frozenset(index[t] for t in banned if t in index))
        return data, np.array(tracks.ids, dtype=np.int64)

    def fit(self) -> Fitted:
        """Load and fit (seconds on a big library: run it off the GUI thread)."""
        started = time.perf_counter()
        data, ids = self.load()
        if len(data.catalog) == 0:
            raise KnownError("The library is empty.", "Scan a music folder first: encore scan PATH")
        model = hybrid.fit(data, seed=0)
        index = {int(t): i for i, t in enumerate(ids)}
        now = self.clock.now()
        history = self._listen_history(index)
        fitted = Fitted(model, data, ids, index, now, data.banned, history,
                        self._exclusions(ids, history, now).indices())
        with self._lock:
            self._fitted = fitted
        log.info("recommender fitted on %d tracks, %d listens in %.1f s", len(data.catalog),
                 len(data.listens), time.perf_counter() - started)
        return fitted

    def _listen_history(self, index: dict[int, int]) -> ListenHistory:
        rows = q.load_listen_facts(self.db)
        return ListenHistory(
            np.array([index.get(t, -1) if t is not None else -1 for t in rows.track_ids], np.int64),
            np.array(rows.started_at, np.float64), np.array(rows.utc_offset_min, np.int64),
            np.array(rows.is_play, bool), np.array(rows.is_early_skip, bool),
            np.array(rows.session_id, np.int64))

    def _include_non_music(self) -> bool:
        if self.include_non_music is not None:
            return self.include_non_music
        from player.db.preferences import Preferences

        return Preferences.load(self.db).include_non_music

    def _exclusions(self, ids: np.ndarray, history: ListenHistory,
                    now: float) -> eligibility.Exclusions:
        traits = q.load_traits(self.db, [int(t) for t in ids])
        return eligibility.exclusions(
            np.array(traits.durations_s, np.float64), np.array(traits.is_music, np.float64),
            include_non_music=self._include_non_music(), listen_track=history.track,
            listen_ts=history.ts, listen_is_play=history.is_play,
            listen_is_early_skip=history.is_early_skip, now=now,
            quiet_share=np.array(traits.quiet_share, np.float64))

    def explainer(self, fitted: Fitted, at: float) -> Explainer:
        """Facts about every track as of `at` (from the stored listens, not the model)."""
        return Explainer(fitted.data.catalog, fitted.history, at, self.offset(at),
                               fitted.data.liked)

    def notes(self) -> list[str]:
        """Plain words on what limits Made for you right now, and what would help."""
        out = []
        imported, matched = q.history_match_counts(self.db)
        if imported and not matched:
            out.append(f"Your imported listening history ({imported} listens) matches none of the "
                       "tracks in your library, so these picks start from the library alone. "
                       "Scanning the folders that hold that music, or tagging artist and title, "
                       "lets it count.")
        elif imported and matched < imported:
            out.append(f"{matched} of {imported} imported listens match tracks in your library; "
                       "only those shape these picks.")
        total, analysed = self.db.query(
            "SELECT COUNT(*), COUNT(f.track_id) FROM track t LEFT JOIN audio_features f "
            "ON f.track_id = t.id WHERE t.missing = 0")[0]
        if total and analysed < total:
            out.append(f"Audio analysis: {analysed} of {total} tracks so far. Until a track is "
                       "analysed, Encore cannot tell speech or sound effects from music by its "
                       "sound (only tracks under 30 s are kept out), and \"sounds like\" reasons "
                       "wait for it.")
        return out

    def fitted(self) -> Fitted:
        with self._lock:
            current = self._fitted
        return current if current is not None else self.fit()

    def context(self, fitted: Fitted, at: float, horizon: hybrid.Horizon = "hour") -> ScoringContext:
        return ScoringContext(at, fitted.data.listens.before(at), horizon, self.offset(at))

    # -- outputs ---------------------------------------------------------------------------
    def cached_daily_mixes(self, at: float | None = None) -> list[MixResult] | None:
        """Today's mixes from the cache, or None (cheap: for start-up; the reasons are as they
        were when the mixes were built: daily_mixes() restates them as of now)."""
        at = self.clock.now() if at is None else at
        day = local_date(at, self.offset(at))
        hit = q.read_cache(self.db, DAILY_KEY + day)
        if hit is None:
            return None
        return [self._result(m["title"], m["description"], "daily", m["track_ids"], m["reasons"],
                             f"daily mix {n + 1}", f"{day}:{n + 1}") for n, m in enumerate(hit[1]["mixes"])]

    def _state(self, at: float) -> str:
        offset = self.offset(at)
        day_start = float(np.floor((at + offset * 60) / 86400.0) * 86400.0 - offset * 60)
        return (f"{q.library_state(self.db, day_start)}:{int(self._include_non_music())}:"
                f"{round(self.rediscovery_share * 100)}")

    def daily_mixes(self, at: float | None = None, refresh: bool = False) -> list[MixResult]:
        """Today's Daily Mixes: the same all day (cached) unless the library, its analysis, the
        history before today or a setting (music-only, rediscovery share) changed; reasons are
        stated as of `at`."""
        at = self.clock.now() if at is None else at
        offset = self.offset(at)
        day = local_date(at, offset)
        state = self._state(at)
        hit = None if refresh else q.read_cache(self.db, DAILY_KEY + day)
        fitted = self.fitted()
        if hit is None or hit[1].get("state") != state:
            yesterday = q.read_cache(self.db, DAILY_KEY + local_date(at - 86400, offset))
            openers = frozenset(fitted.index[t] for m in (yesterday[1]["mixes"] if yesterday else [])
                                for t in m["track_ids"][:3] if t in fitted.index)
            made = mixes.daily_mixes(fitted.model, fitted.data.catalog, self.context(fitted, at, "day"),
                                     day, rediscovery_share=self.rediscovery_share,
                                     avoid_openers=openers, banned=fitted.blocked)
            payload: dict[str, Any] = {"state": state, "mixes": [
                {"title": m.title, "description": m.description,
                 "track_ids": [int(fitted.ids[i]) for i in m.items],
                 "new": [int(fitted.ids[i]) for i in m.new], "reasons": []} for m in made]}
        else:
            payload = hit[1]
        explainer = self.explainer(fitted, at)
        for m in payload["mixes"]:
            # stable through the day, minus what may no longer be picked (a ban, a skip today)
            items = [fitted.index[t] for t in m["track_ids"]
                     if t in fitted.index and fitted.index[t] not in fitted.blocked]
            m["track_ids"] = [int(fitted.ids[i]) for i in items]
            new = frozenset(fitted.index[t] for t in m.get("new", []) if t in fitted.index)
            told = explain(explainer, items, "daily", new)
            m["reasons"] = list(told.reasons)
            m["facts"] = told.facts
            base = m["description"].split(" · ")[0]
            m["description"] = f"{base} · {discovery_share(explainer, items)}"
        stored = {"state": payload["state"], "mixes": [
            {k: v for k, v in m.items() if k != "facts"} for m in payload["mixes"]]}
        q.write_cache(self.db, DAILY_KEY + day, stored, at)
        q.prune_cache(self.db, DAILY_KEY, {DAILY_KEY + day, DAILY_KEY + local_date(at - 86400, offset)})
        return [self._result(m["title"], m["description"], "daily", m["track_ids"], m["reasons"],
                             f"daily mix {n + 1}", f"{day}:{n + 1}", list(m["facts"]))
                for n, m in enumerate(payload["mixes"])]

    def refresh(self, at: float | None = None) -> list[MixResult]:
        """Refit and rebuild (the background job); the mixes change only when the day or what
        they were built from changed."""
        self.fit()
        return self.daily_mixes(at)

    def right_now(self, at: float | None = None, skipped: tuple[int, ...] = ()) -> RightNowSession:
        at = self.clock.now() if at is None else at
        fitted = self.fitted()
        ctx = self.context(fitted, at, "hour")
        skips = tuple(fitted.index[t] for t in skipped if t in fitted.index)
        ctx = ScoringContext(ctx.now, ctx.history, "hour", ctx.utc_offset_min, skips)
        made = station.right_now(fitted.model, fitted.data.catalog, ctx, fitted.blocked)
        return RightNowSession(self, fitted, made, "context queue", local_date(at, ctx.utc_offset_min),
                               self.explainer(fitted, at), "now")

    def radio(self, seed: str, at: float | None = None) -> RightNowSession:
        at = self.clock.now() if at is None else at
        fitted = self.fitted()
        seeds, name = self._resolve_seed(fitted, seed)
        made = station.radio(fitted.model, fitted.data.catalog, seeds, self.context(fitted, at),
                             f"{name} radio", fitted.blocked)
        session = RightNowSession(self, fitted, made, "radio", seed, self.explainer(fitted, at),
                                  "now", tuple(seeds))
        session.opening = [self._track(int(fitted.ids[seeds[0]]))]
        return session

    def rediscover(self, at: float | None = None) -> MixResult:
        at = self.clock.now() if at is None else at
        fitted = self.fitted()
        week = datetime.fromtimestamp(at, tz=UTC).strftime("%G-W%V")
        made = discover.rediscover(fitted.model, fitted.data.catalog, self.context(fitted, at, "day"),
                                   week, fitted.blocked)
        return self._explained(fitted, made, at, "rediscover", week)

    def fresh(self, at: float | None = None) -> MixResult:
        at = self.clock.now() if at is None else at
        fitted = self.fitted()
        made = discover.fresh(fitted.model, fitted.data.catalog, self.context(fitted, at, "day"),
                              fitted.blocked)
        return self._explained(fitted, made, at, "fresh", "")

    def _explained(self, fitted: Fitted, made: mixes.Mix, at: float, source: str,
                   source_id: str) -> MixResult:
        explainer = self.explainer(fitted, at)
        told = explain(explainer, list(made.items), made.kind)
        description = made.description
        if made.items:
            description += " · " + discovery_share(explainer, list(made.items))
        return self._result(made.title, description, made.kind,
                            [int(fitted.ids[i]) for i in made.items], list(told.reasons), source,
                            source_id, list(told.facts))

    def similar(self, track_id: int, count: int = 20) -> list:
        """"Sounds like this": the closest analysed tracks by sound (banned ones left out)."""
        from player.analysis.similarity import similar_tracks

        banned = self.feedback.banned_ids()
        return [s for s in similar_tracks(self.db, track_id, count + len(banned))
                if s.track.id not in banned][:count]

    def dont_recommend(self, track_id: int) -> None:
        """Ban a track from every recommendation: the one ban path (FeedbackService), which
        this service hears back in _on_feedback like a ban from anywhere else."""
        self.feedback.ban(track_id, True)

    def banned_ids(self) -> frozenset[int]:
        """Track ids of the bans the fitted model knows of (plus none when not fitted)."""
        with self._lock:
            fitted = self._fitted
        if fitted is None:
            return frozenset()
        return frozenset(int(fitted.ids[i]) for i in fitted.banned)

    def _on_feedback(self, _name: EventName, payload: EventPayload) -> None:
        reason, ids = payload.get("reason"), payload.get("track_ids", [])
        if reason == "unban":
            self.banned_since_fit.difference_update(ids)
        elif reason == "ban":
            for track_id in ids:
                self.banned_since_fit.add(track_id)
                self._forget(track_id)

    def _forget(self, track_id: int) -> None:
        """Out of the fitted model's reach (radios, Right now, the next mixes) and out of
        the cached Daily Mixes (today's stay what they were, minus this track)."""
        with self._lock:
            if self._fitted is not None and track_id in self._fitted.index:
                self._fitted.banned = self._fitted.banned | {self._fitted.index[track_id]}
        for (key,) in self.db.query("SELECT key FROM recommendation_cache WHERE key LIKE ?",
                                    (DAILY_KEY + "%",)):
            hit = q.read_cache(self.db, key)
            if hit is None:
                continue
            created, payload = hit
            changed = False
            for mix in payload.get("mixes", []):
                pairs = list(zip(mix["track_ids"], mix["reasons"], strict=False))
                kept = [(t, r) for t, r in pairs if t != track_id]
                if len(kept) != len(pairs):
                    mix["track_ids"], mix["reasons"] = [t for t, _ in kept], [r for _, r in kept]
                    changed = True
            if changed:
                q.write_cache(self.db, key, payload, created)

    # -- helpers ---------------------------------------------------------------------------
    def _resolve_seed(self, fitted: Fitted, seed: str) -> tuple[list[int], str]:
        """A track id, "artist:NAME", "album:NAME", "playlist:NAME" or words of a title."""
        catalog = fitted.data.catalog
        kind, _, text = seed.partition(":") if ":" in seed else ("", "", seed)
        text = text.strip().casefold()
        if not kind and text.isdigit() and int(text) in fitted.index:
            i = fitted.index[int(text)]
            return [i], catalog.title[i]
        if kind == "playlist":
            for tracks in q.load_playlists_named(self.db, text):
                found = [fitted.index[t] for t in tracks if t in fitted.index]
                if found:
                    return found[:50], seed.partition(":")[2].strip()
        fields = {"artist": catalog.artist, "album": catalog.albums()}.get(kind)
        if fields is not None:
            found = [i for i, v in enumerate(fields) if v.casefold() == text]
        else:
            found = [i for i in range(len(catalog))
                     if text in f"{catalog.title[i]} {catalog.artist[i]}".casefold()]
        if not found:
            raise KnownError(f"Nothing in the library matches {seed!r}.",
                             "Give a track id, words of a title, artist:NAME, album:NAME or playlist:NAME.")
        name = catalog.title[found[0]] if not kind else seed.partition(":")[2].strip()
        return found[:50], name

    def _track(self, track_id: int) -> Track:
        track = TrackRepository(self.db).get(track_id)
        if track is None:
            raise KnownError("A recommended track is no longer in the library.", "Rescan and try again.")
        return track

    def _result(self, title: str, description: str, kind: str, track_ids: list[int],
                reasons: list[str], source: str, source_id: str,
                stated: list[Fact] | None = None) -> MixResult:
        repo = TrackRepository(self.db)
        told: list[Fact | None] = list(stated) if stated else [None] * len(track_ids)
        rows = [(repo.get(t), r, f) for t, r, f in zip(track_ids, reasons, told, strict=False)]
        kept = [(t, r, f) for t, r, f in rows if t is not None and not t.missing]
        return MixResult(title, description, kind, [t for t, _, _ in kept], [r for _, r, _ in kept],
                         source, source_id, [f for _, _, f in kept if f is not None])


def discovery_share(explainer: Explainer, items: list[int]) -> str:
    """How many picks are new to the listener (never or once played), counted from the history."""
    rare = sum(1 for i in items if explainer.plays[i] <= 1)
    return f"{rare} of {len(items)} new to you (never or once played)"


class RightNowSession:
    """An endless queue (Right now or radio) in track terms; tell it about skips. Each pick is
    explained when drawn, by the facts as of the session's start."""

    def __init__(self, service: RecommendationService, fitted: Fitted, made: station.Station,
                 source: str, source_id: str, explainer: Explainer | None = None,
                 kind: str = "now", seeds: tuple[int, ...] = ()) -> None:
        self.service, self.fitted, self.station = service, fitted, made
        self.title, self.source, self.source_id = made.title, source, source_id
        self.opening: list[Track] = []
        self.explainer = explainer or service.explainer(fitted, service.clock.now())
        self.kind, self.seeds = kind, seeds
        self.last_facts: list[Fact] = []  # the facts of the last next_tracks() call

    def next_tracks(self, count: int = 1) -> list[tuple[Track, str]]:
        """The next tracks; one banned since this radio began is left out."""
        out = []
        banned = self.service.banned_since_fit
        self.last_facts = []
        for item in self.station.take(count):
            track_id = int(self.fitted.ids[item])
            if item in self.fitted.banned or track_id in banned:
                continue
            fact = self.explainer.fact(item, self.kind, self.seeds)
            self.last_facts.append(fact)
            out.append((self.service._track(track_id), fact.text))
        return out

    def skipped(self, track_id: int) -> None:
        """The listener skipped this track: steer away from tracks like it."""
        if track_id in self.fitted.index:
            self.station.skip(self.fitted.index[track_id])
