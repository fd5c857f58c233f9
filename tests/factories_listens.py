"""Synthetic listening logs with planted habits, for the recommender's tests and benchmarks.

A listener with a few genres of music who plays jazz on weekday mornings, rock in the evenings,
electronic on weekend afternoons, often whole albums in order, and skips a few tracks early.
Records have the fields of the importer's ImportedListen (duck-typed: no import needed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GENRES = ("jazz", "rock", "electronic", "classical", "pop")
HABITS = {  # (weekday?, local start hour) -> genre
    (True, 7): "jazz", (True, 19): "rock", (False, 14): "electronic", (False, 21): "rock",
    (True, 12): "pop",
}


@dataclass(frozen=True)
class SyntheticListen:
    user: str
    started_at: float
    utc_offset_min: int
    ms_played: int | None
    duration_ms: int | None
    artist: str
    title: str
    album: str
    mbid: str = ""
    skipped: bool | None = None
    end_reason: str | None = None
    origin: str = "synthetic"
    origin_key: str = ""
    is_music: bool = True


@dataclass(frozen=True)
class SyntheticTrack:
    genre: str
    artist: str
    album: str
    title: str
    number: int
    duration_ms: int


def synthetic_library(artists_per_genre: int = 4, albums_per_artist: int = 3,
                      tracks_per_album: int = 10, seed: int = 1) -> list[SyntheticTrack]:
    rng = np.random.default_rng(seed)
    out = []
    for genre in GENRES:
        for a in range(artists_per_genre):
            artist = f"{genre.title()} Artist {a + 1}"
            for b in range(albums_per_artist):
                album = f"{genre.title()} Album {a + 1}.{b + 1}"
                for t in range(tracks_per_album):
                    out.append(SyntheticTrack(genre, artist, album, f"{album} track {t + 1}",
                                              t + 1, int(rng.integers(150, 330)) * 1000))
    return out


def _session(tracks: list[SyntheticTrack], rng: np.random.Generator) -> list[SyntheticTrack]:
    """An album run (in order) or a shuffle of favourites of the genre."""
    if rng.random() < 0.5:
        albums = sorted({t.album for t in tracks})
        album = albums[int(rng.zipf(1.6) - 1) % len(albums)]
        run = [t for t in tracks if t.album == album]
        start = int(rng.integers(0, 3))
        return run[start:start + int(rng.integers(5, 11))]
    weights = 1.0 / np.arange(1, len(tracks) + 1) ** 0.8  # favourites: the first tracks
    order = rng.permutation(len(tracks))  # which tracks are favourites is random
    picks = rng.choice(len(tracks), size=int(rng.integers(4, 10)), p=weights / weights.sum())
    return [tracks[order[p]] for p in picks]


def synthetic_log(days: int = 120, seed: int = 7, user: str = "synthetic",
                  utc_offset_min: int = 60, start: float = 1_700_000_000.0) -> list[SyntheticListen]:
    """Listens over `days` days with the planted habits; some early skips of disliked tracks."""
    rng = np.random.default_rng(seed)
    library = synthetic_library()
    by_genre = {g: [t for t in library if t.genre == g] for g in GENRES}
    disliked = {t.title for t in library if rng.random() < 0.08}
    day0 = np.floor(start / 86400) * 86400
    out: list[SyntheticListen] = []
    for d in range(days):
        day = day0 + d * 86400
        weekday = (int(day // 86400) + 3) % 7 < 5
        for (is_weekday, hour), genre in HABITS.items():
            if is_weekday != weekday or rng.random() > 0.75:
                continue
            genre = genre if rng.random() > 0.15 else str(rng.choice(GENRES))
            t = day + hour * 3600 - utc_offset_min * 60 + float(rng.integers(0, 1800))
            for track in _session(by_genre[genre], rng):
                skip = track.title in disliked and rng.random() < 0.8
                ms = int(rng.integers(3000, 25000)) if skip else track.duration_ms
                out.append(SyntheticListen(user, t, utc_offset_min, ms, track.duration_ms,
                                           track.artist, track.title, track.album, skipped=skip,
                                           end_reason="next" if skip else "finished",
                                           origin_key=f"{user}:{len(out)}"))
                t += ms / 1000.0 + 2.0
    return out


def fill_database(db: object, listens: list[SyntheticListen], added_at: float = 1_690_000_000.0) -> dict[str, int]:
    """Tracks of the synthetic library and these listens in a real database. Returns title -> id."""
    genre_of = {t.title: t.genre for t in synthetic_library()}
    ids: dict[str, int] = {}
    rows = []
    for t in synthetic_library():
        ids[t.title] = len(ids) + 1
        rows.append((ids[t.title], f"/music/{ids[t.title]}.ogg", t.title, t.artist, t.album,
                     t.genre, t.duration_ms / 1000.0, added_at + ids[t.title]))
    db.executemany(  # type: ignore[attr-defined]
        "INSERT INTO track (id, path, title, artist, album, genre, duration, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany(  # type: ignore[attr-defined]
        "INSERT INTO listen (track_id, started_at, utc_offset_min, ms_played, duration_ms, "
        "end_reason, is_play, is_skip, is_early_skip, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'encore')",
        [(ids[r.title], r.started_at, r.utc_offset_min, r.ms_played, r.duration_ms, r.end_reason,
          int(not r.skipped), int(bool(r.skipped)), int(bool(r.skipped) and (r.ms_played or 0) < 30000))
         for r in listens if r.title in genre_of])
    return ids
