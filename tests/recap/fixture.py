"""A small listening history whose recap was worked out by hand (see test_fixture_year.py).

Times are written as LOCAL wall-clock times with the listen's UTC offset, exactly as a
listener in Berlin would have lived them (+01:00 in winter, +02:00 in summer).
"""

from __future__ import annotations

import calendar
import time

from player.db.connection import Database

# id, title, artist, album, duration s, bpm tag, genres, liked
TRACKS = [
    (1, "Alpha", "Ann", "First", 200, None, ("Jazz",), False),
    (2, "Beta", "Ann", "First", 180, None, ("Jazz", "Soul"), False),
    (3, "Gamma", "Bob", "Second", 240, 90.0, ("Rock",), False),
    (4, "Delta", "Cat", "", 50, None, ("Pop",), True),
    (5, "Eps", "Bob", "Second", 300, None, (), True),
]
# external id, artist, title, album, matched library track
EXTERNAL = [(1, "Dan", "Zeta", "Third", None), (2, "Bob", "Gamma", "Second", 3)]
FEATURES = {1: '{"tempo": 120.0, "energy": 0.5}', 2: '{"tempo": 100.0, "energy": 0.25}'}

# (local "YYYY-MM-DD HH:MM", offset min, track id, external id, ms_played, duration ms, skip)
LISTENS = [
    ("2024-06-01 12:00", 0, 1, None, 200_000, 200_000, 0),
    ("2024-12-31 22:00", -300, 5, None, 300_000, 300_000, 0),  # 03:00 UTC on 1 Jan 2025
    ("2025-01-01 00:30", 60, 3, None, 240_000, 240_000, 0),  # 23:30 UTC on 31 Dec 2024
    ("2025-01-02 09:00", 60, None, 1, None, None, 0),  # scrobble: unknown length -> 210 s
    ("2025-01-03 09:00", 60, None, 1, None, None, 0),
    ("2025-01-04 09:00", 60, None, 2, None, 240_000, 0),  # imported, matched to track 3
    ("2025-02-01 10:00", 60, 1, None, 200_000, 200_000, 0),
    ("2025-02-01 10:04", 60, 1, None, 200_000, 200_000, 0),
    ("2025-02-01 10:08", 60, 1, None, 200_000, 200_000, 0),
    ("2025-02-02 10:00", 60, 4, None, 20_000, 50_000, 1),  # 20 s of 50 s: not a play
    ("2025-02-03 10:00", 60, 4, None, 26_000, 50_000, 0),  # 26 s of 50 s: a play
    ("2025-03-30 01:30", 60, 2, None, 180_000, 180_000, 0),  # DST starts at 02:00 ...
    ("2025-03-30 03:30", 120, 2, None, 180_000, 180_000, 0),  # ... an hour later in real time
    ("2025-05-10 20:00", 120, 2, None, 180_000, 180_000, 0),
    ("2025-05-10 20:03", 120, 2, None, 180_000, 180_000, 0),
    ("2025-05-10 20:06", 120, 2, None, 180_000, 180_000, 0),
    ("2025-05-10 20:09", 120, 2, None, 180_000, 180_000, 0),
    ("2025-05-10 21:00", 120, 2, None, 180_000, 180_000, 0),  # 48 min later: a new run
    ("2025-06-15 12:00", 120, 3, None, 10_000, 240_000, 1),
    ("2025-10-26 02:30", 120, 5, None, 300_000, 300_000, 0),  # DST ends at 03:00 ...
    ("2025-10-26 02:30", 60, 5, None, 300_000, 300_000, 0),  # ... 02:30 again, 1 h later
    ("2026-01-01 00:30", 60, 4, None, 50_000, 50_000, 0),  # 23:30 UTC on 31 Dec 2025
]
CLUSTERS = [("Mellow", (2, 4)), ("Drive", (3, 5, 99))]


def utc_start(local: str, offset_min: int) -> float:
    return calendar.timegm(time.strptime(local, "%Y-%m-%d %H:%M")) - offset_min * 60


def build(db: Database) -> None:
    for tid, title, artist, album, seconds, bpm, genres, liked in TRACKS:
        db.execute("INSERT INTO track (id, path, title, artist, album, album_artist, duration, bpm) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (tid, f"/music/{title}.flac", title, artist, album, artist if album else "",
                    seconds, bpm))
        for name in genres:
            db.execute("INSERT OR IGNORE INTO genre (name) VALUES (?)", (name,))
            db.execute("INSERT INTO track_genre (track_id, genre_id) "
                       "SELECT ?, id FROM genre WHERE name = ?", (tid, name))
        if liked:
            db.execute("INSERT INTO track_feedback (track_id, liked, updated_at) VALUES (?, 1, 0)",
                       (tid,))
    for tid, features in FEATURES.items():
        db.execute("INSERT INTO audio_features (track_id, version, analysed_at, features) "
                   "VALUES (?, 1, 0, ?)", (tid, features))
    db.execute("INSERT INTO audio_features (track_id, version, analysed_at, features, error) "
               "VALUES (4, 1, 0, '{\"tempo\": 999}', 'decode failed')")
    for eid, artist, title, album, track in EXTERNAL:
        db.execute("INSERT INTO external_track (id, artist, title, album, match_key, track_id) "
                   "VALUES (?, ?, ?, ?, ?, ?)", (eid, artist, title, album, title.lower(), track))
    db.executemany(
        "INSERT INTO listen (track_id, external_id, started_at, utc_offset_min, ms_played, "
        "duration_ms, is_skip, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(tid, eid, utc_start(local, off), off, ms, dur, skip, "lastfm" if eid else "encore")
         for local, off, tid, eid, ms, dur, skip in LISTENS])
