"""A believable, deterministic listening history (for screenshots and the recap benchmark).

A library of made-up artists and albums, Zipf-like favourites, daily and weekly rhythms,
sessions with repeats, skips, Berlin time with its clock changes, audio features, and a
smaller previous year. Nothing here is real data.
"""

from __future__ import annotations

import calendar
import json

import numpy as np

from player.db.connection import Database
from player.recap.model import Cluster

ARTISTS = [
    ("Nina Vale", "Indie Pop"), ("The Paper Boats", "Indie Rock"), ("Orbit Lane", "Electronic"),
    ("Marlow & Finch", "Folk"), ("Kofi Adeyemi", "Afrobeat"), ("Luna Ortiz", "Latin Pop"),
    ("Static Gardens", "Shoegaze"), ("Hugo Brandt", "Jazz"), ("Mirela Sands", "Soul"),
    ("Night Ferry", "Synthwave"), ("Ada Okafor", "R&B"), ("Velvet Hours", "Dream Pop"),
]
WORDS = ["Golden", "Hour", "Paper", "Moon", "Slow", "Fire", "River", "Neon", "Quiet", "Storm",
         "Summer", "Glass", "Heart", "Midnight", "Static", "Bloom", "Echo", "Wild", "Blue", "Home"]
ALBUM_WORDS = ["Lanterns", "Open Water", "Small Hours", "Night Bus", "Satellites", "Kindred",
               "Afterglow", "Low Tide", "Paper Moons", "Wildflowers", "City Lights", "Harbour"]
HOUR_WEIGHT = np.array([2, 1, 1, 1, 1, 2, 4, 9, 12, 8, 6, 6, 7, 6, 5, 6, 7, 9, 11, 13, 14, 12, 8, 4],
                       dtype=float)
WEEKDAY_WEIGHT = np.array([1.0, 0.95, 1.0, 1.05, 1.2, 1.45, 1.3])
MONTH_WEIGHT = np.array([1.25, 1.1, 1.0, 0.9, 0.85, 0.8, 0.95, 1.0, 1.05, 1.1, 1.2, 1.45])


def _berlin_offset(utc: np.ndarray, year: int) -> np.ndarray:
    """+60, or +120 between the last Sundays of March and October at 01:00 UTC."""
    def last_sunday(month: int) -> int:
        last = calendar.monthrange(year, month)[1]
        day = max(d for d in range(last - 6, last + 1) if calendar.weekday(year, month, d) == 6)
        return calendar.timegm((year, month, day, 1, 0, 0))
    summer = (utc >= last_sunday(3)) & (utc < last_sunday(10))
    return np.where(summer, 120, 60)


def build_library(db: Database, tracks: int = 240, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    rows, genres, features = [], [], []
    for i in range(1, tracks + 1):
        artist, genre = ARTISTS[(i * 7) % len(ARTISTS)]
        album = f"{ALBUM_WORDS[(i * 5 + len(artist)) % len(ALBUM_WORDS)]}"
        title = f"{WORDS[int(rng.integers(len(WORDS)))]} {WORDS[int(rng.integers(len(WORDS)))]}"
        duration = float(rng.integers(150, 330))
        rows.append((i, f"/music/{i}.flac", title, artist, album, artist, genre, duration))
        genres.append((i, genre))
        if i % 5:  # most of the library is analysed
            tempo = round(float(rng.normal(118 if genre != "Jazz" else 96, 18)), 1)
            energy = round(float(np.clip(rng.normal(0.55, 0.18), 0.05, 0.98)), 3)
            features.append((i, json.dumps({"tempo": tempo, "energy": energy})))
    db.executemany("INSERT INTO track (id, path, title, artist, album, album_artist, genre, "
                   "duration) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany("INSERT OR IGNORE INTO genre (name) VALUES (?)", {(g,) for _, g in genres})
    db.executemany("INSERT INTO track_genre (track_id, genre_id) SELECT ?, id FROM genre "
                   "WHERE name = ?", genres)
    db.executemany("INSERT INTO audio_features (track_id, version, analysed_at, features) "
                   "VALUES (?, 1, 0, ?)", features)
    db.executemany("INSERT INTO track_feedback (track_id, liked, updated_at) VALUES (?, 1, 0)",
                   [(i,) for i in range(3, tracks + 1, 17)])


def build_year(db: Database, year: int, listens: int, tracks: int = 240, seed: int = 7) -> None:
    """listens listens spread over year, in sessions; written in one transaction."""
    rng = np.random.default_rng(seed + year)
    lo = calendar.timegm((year, 1, 1, 0, 0, 0))
    days = (calendar.timegm((year + 1, 1, 1, 0, 0, 0)) - lo) // 86400
    first = calendar.weekday(year, 1, 1)
    day_weight = np.array([MONTH_WEIGHT[_month(year, d) - 1] * WEEKDAY_WEIGHT[(first + d) % 7]
                           for d in range(days)])
    day_weight *= rng.random(days) > 0.1  # some days without music, so streaks end
    day = rng.choice(days, size=listens, p=day_weight / day_weight.sum())
    hour = rng.choice(24, size=listens, p=HOUR_WEIGHT / HOUR_WEIGHT.sum())
    local = lo + day * 86400 + hour * 3600 + rng.integers(0, 3600, size=listens)
    local.sort()
    # Favourites: a Zipf-like pick, and a song often played again straight after.
    rank = np.minimum(rng.zipf(1.35, size=listens), tracks) - 1
    track = (rank * 37 + year) % tracks + 1
    again = rng.random(listens) < 0.08
    track[1:] = np.where(again[1:], track[:-1], track[1:])
    duration = 150 + (track * 53) % 180
    skip = rng.random(listens) < 0.14
    heard = np.where(skip, rng.integers(3, 40, size=listens), duration) * 1000
    utc = local - 3600  # near enough to find the offset; then exact
    offset = _berlin_offset(utc, year)
    started = local - offset * 60
    db.executemany(
        "INSERT INTO listen (track_id, started_at, utc_offset_min, ms_played, duration_ms, "
        "is_skip, is_play) VALUES (?, ?, ?, ?, ?, ?, ?)",
        zip(track.tolist(), started.astype(float).tolist(), offset.tolist(), heard.tolist(),
            (duration * 1000).tolist(), skip.astype(int).tolist(),
            (heard >= 30000).astype(int).tolist(), strict=True))


def _month(year: int, day: int) -> int:
    total = 0
    for month in range(1, 13):
        total += calendar.monthrange(year, month)[1]
        if day < total:
            return month
    return 12


def demo_clusters(tracks: int = 240) -> list[Cluster]:
    names = ["Late-night synths", "Sunday folk", "Upbeat indie", "Slow soul"]
    by_genre = {
        0: ("Electronic", "Synthwave", "Dream Pop"), 1: ("Folk", "Jazz"),
        2: ("Indie Pop", "Indie Rock", "Shoegaze", "Latin Pop"), 3: ("Soul", "R&B", "Afrobeat"),
    }
    out = []
    for c, name in enumerate(names):
        ids = tuple(i for i in range(1, tracks + 1)
                    if ARTISTS[(i * 7) % len(ARTISTS)][1] in by_genre[c] and i % 3 != 0)
        out.append(Cluster(name, ids))
    return out


def build_demo(db: Database, year: int = 2025, listens: int = 6000) -> None:
    build_library(db)
    build_year(db, year - 1, listens // 2)
    build_year(db, year, listens)
