"""Reads for the recommender (tracks as arrays, listens, playlists, feedback) and its cache.

Rows come out as plain tuples/lists ready for player.recommend.data; nothing here knows about
models. Listens of imported history count when the imported track matched a library track.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from player.db.connection import Database
from player.db.import_runs import heard


@dataclass(frozen=True)
class TrackRows:
    ids: list[int]
    titles: list[str]
    artists: list[str]
    albums: list[str]
    genres: list[tuple[str, ...]]
    years: list[float]
    added_at: list[float]
    audio: np.ndarray | None  # n x d float32, NaN rows where not analysed


@dataclass(frozen=True)
class ListenRows:
    track_ids: list[int]
    started_at: list[float]
    utc_offset_min: list[int]
    ms_played: list[float | None]
    duration_ms: list[float | None]
    skipped: list[bool]
    session_id: list[int] = field(default_factory=list)  # the stored session (rulebook's)


def load_tracks(db: Database) -> TrackRows:
    """Every present track, ordered by id."""
    rows = db.query("SELECT id, title, artist, album, genre, year, added_at FROM track "
                    "WHERE missing = 0 ORDER BY id")
    ids = [int(r[0]) for r in rows]
    tagged: dict[int, list[str]] = {}
    for track_id, name in db.iterate("SELECT tg.track_id, g.name FROM track_genre tg "
                                     "JOIN genre g ON g.id = tg.genre_id"):
        tagged.setdefault(int(track_id), []).append(str(name))
    genres = [tuple(tagged.get(int(r[0])) or _split_genres(r[4] or "")) for r in rows]
    return TrackRows(ids, [r[1] or "" for r in rows], [r[2] or "" for r in rows],
                     [r[3] or "" for r in rows], genres,
                     [float(r[5]) if r[5] else float("nan") for r in rows],
                     [float(r[6] or 0.0) for r in rows], _audio(db, ids))


def _split_genres(text: str) -> list[str]:
    for sep in (";", "/", ","):
        text = text.replace(sep, "\x00")
    return [g.strip() for g in text.split("\x00") if g.strip()]


def _audio(db: Database, ids: list[int]) -> np.ndarray | None:
    vectors = {int(t): np.frombuffer(v, dtype=np.float32) for t, v in db.iterate(
        "SELECT track_id, vector FROM audio_features WHERE vector IS NOT NULL")}
    if not vectors:
        return None
    dim = Counter(v.shape[0] for v in vectors.values()).most_common(1)[0][0]
    out = np.full((len(ids), dim), np.nan, dtype=np.float32)
    for row, track_id in enumerate(ids):
        v = vectors.get(track_id)
        if v is not None and v.shape[0] == dim:
            out[row] = v
    return out


def load_listens(db: Database) -> ListenRows:
    """Every listen of a library track (own or matched import), oldest first."""
    out = ListenRows([], [], [], [], [], [], [])
    for r in _listen_rows(db):
        out.track_ids.append(int(r[0]))
        out.started_at.append(float(r[1]))
        out.utc_offset_min.append(int(r[2] or 0))
        out.ms_played.append(None if r[3] is None else float(r[3]))
        out.duration_ms.append(None if r[4] is None else float(r[4]))
        out.skipped.append(bool(r[5]))
        out.session_id.append(int(r[6] or 0))
    return out


def _listen_rows(db: Database) -> Iterator[tuple[Any, ...]]:
    return db.iterate(
        "SELECT COALESCE(l.track_id, e.track_id) AS tid, l.started_at, l.utc_offset_min, "
        "l.ms_played, l.duration_ms, (l.is_skip OR l.is_early_skip), l.session_id FROM listen l "
        "LEFT JOIN external_track e ON e.id = l.external_id "
        f"WHERE COALESCE(l.track_id, e.track_id) IS NOT NULL AND {heard('l')} "
        "ORDER BY l.started_at, l.id")


def load_playlists(db: Database) -> list[list[int]]:
    """Track ids of every live user playlist, in order."""
    lists: dict[int, list[int]] = {}
    for playlist_id, track_id in db.iterate(
            "SELECT e.playlist_id, e.track_id FROM playlist_entry e "
            "JOIN playlist p ON p.id = e.playlist_id WHERE p.kind = 'user' "
            "AND p.deleted_at IS NULL AND e.track_id IS NOT NULL ORDER BY e.playlist_id, e.position"):
        lists.setdefault(int(playlist_id), []).append(int(track_id))
    return list(lists.values())


def load_feedback(db: Database) -> tuple[set[int], set[int]]:
    """(liked, banned) track ids."""
    liked, banned = set(), set()
    for track_id, like, ban in db.iterate("SELECT track_id, liked, banned FROM track_feedback"):
        if like:
            liked.add(int(track_id))
        if ban:
            banned.add(int(track_id))
    return liked, banned


def read_cache(db: Database, key: str) -> tuple[float, Any] | None:
    rows = db.query("SELECT created_at, payload FROM recommendation_cache WHERE key = ?", (key,))
    if not rows:
        return None
    try:
        return float(rows[0][0]), json.loads(rows[0][1])
    except ValueError:  # a damaged entry is just a miss
        return None


def write_cache(db: Database, key: str, payload: Any, at: float | None = None) -> None:
    db.execute("INSERT OR REPLACE INTO recommendation_cache (key, created_at, payload) VALUES (?, ?, ?)",
               (key, time.time() if at is None else at, json.dumps(payload, separators=(",", ":"))))


def prune_cache(db: Database, prefix: str, keep: set[str]) -> None:
    """Delete cache entries starting with `prefix` except those in `keep`."""
    for (key,) in db.query("SELECT key FROM recommendation_cache WHERE key LIKE ?", (prefix + "%",)):
        if key not in keep:
            db.execute("DELETE FROM recommendation_cache WHERE key = ?", (key,))


def load_playlists_named(db: Database, name: str) -> list[list[int]]:
    """Track ids of live playlists whose name is `name` (case-insensitive)."""
    out = []
    for (playlist_id,) in db.query("SELECT id FROM playlist WHERE deleted_at IS NULL "
                                   "AND lower(name) = lower(?)", (name,)):
        out.append([int(t) for (t,) in db.query(
            "SELECT track_id FROM playlist_entry WHERE playlist_id = ? AND track_id IS NOT NULL "
            "ORDER BY position", (playlist_id,))])
    return out


@dataclass(frozen=True)
class TrackTraits:
    """What decides whether a track is music a listener could want picked for them."""

    durations_s: list[float]  # 0 when unknown
    is_music: list[float]  # the analysis's verdict: 1.0 music, 0.0 not, NaN not analysed
    quiet_share: list[float]  # share of the audio below half its average level; NaN not analysed


def load_traits(db: Database, ids: list[int]) -> TrackTraits:
    """Duration, the analysis's music verdict and quiet share for the tracks `ids` (in order)."""
    duration = {int(t): float(d or 0.0) for t, d in db.iterate("SELECT id, duration FROM track")}
    verdict: dict[int, float] = {}
    quiet: dict[int, float] = {}
    for track_id, is_music, low_energy in db.iterate(
            "SELECT track_id, json_extract(features, '$.is_music'), "
            "json_extract(features, '$.low_energy_ratio') FROM audio_features "
            "WHERE error IS NULL OR error = ''"):
        if is_music is not None:
            verdict[int(track_id)] = 1.0 if is_music else 0.0
        if low_energy is not None:
            quiet[int(track_id)] = float(low_energy)
    nan = float("nan")
    return TrackTraits([duration.get(t, 0.0) for t in ids], [verdict.get(t, nan) for t in ids],
                       [quiet.get(t, nan) for t in ids])


@dataclass(frozen=True)
class ListenFactRows:
    """Every listen (matched or not) with the stored verdicts, oldest first: the facts a reason
    may state come from these flags, as written by the history logger and the importer."""

    track_ids: list[int | None]  # None: an imported listen that matches no library track
    started_at: list[float]
    utc_offset_min: list[int]
    is_play: list[bool]
    is_early_skip: list[bool]
    session_id: list[int]
    origin: list[str]


def load_listen_facts(db: Database) -> ListenFactRows:
    out = ListenFactRows([], [], [], [], [], [], [])
    for r in db.iterate(
            "SELECT COALESCE(l.track_id, e.track_id), l.started_at, l.utc_offset_min, l.is_play, "
            "l.is_early_skip, l.session_id, l.origin FROM listen l "
            f"LEFT JOIN external_track e ON e.id = l.external_id WHERE {heard('l')} "
            "ORDER BY l.started_at, l.id"):
        out.track_ids.append(None if r[0] is None else int(r[0]))
        out.started_at.append(float(r[1]))
        out.utc_offset_min.append(int(r[2] or 0))
        out.is_play.append(bool(r[3]))
        out.is_early_skip.append(bool(r[4]))
        out.session_id.append(int(r[5] or 0))
        out.origin.append(str(r[6] or ""))
    return out


def library_state(db: Database, history_before: float) -> str:
    """A cheap fingerprint of what a day's mixes were built from: present tracks, analysed
    tracks, and listens before the day began (a new listen today does not change it: the mixes
    stay stable through the day; a scan, an analysis or an import does)."""
    tracks, top = db.query("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM track WHERE missing = 0")[0]
    analysed = db.query("SELECT COUNT(*) FROM audio_features")[0][0]
    listens = db.query(f"SELECT COUNT(*) FROM listen WHERE started_at < ? AND {heard()}",
                       (history_before,))[0][0]
    return f"{tracks}:{top}:{analysed}:{listens}"


def history_match_counts(db: Database) -> tuple[int, int]:
    """(imported listens, those matched to a library track)."""
    row = db.query(
        "SELECT COUNT(*), COUNT(COALESCE(l.track_id, e.track_id)) FROM listen l "
        f"LEFT JOIN external_track e ON e.id = l.external_id WHERE l.origin != 'encore' "
        f"AND {heard('l')}")[0]
    return int(row[0]), int(row[1])
