"""Declared schema migrations. The database's PRAGMA user_version is the last one applied.

Append new steps; never edit a released one. Each step runs in one transaction.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the library.
    """
    CREATE TABLE library_folder (
        id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, added_at REAL NOT NULL
    );
    CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    CREATE TABLE album (
        id INTEGER PRIMARY KEY, title TEXT NOT NULL, album_artist TEXT NOT NULL,
        UNIQUE (title, album_artist)
    );
    CREATE TABLE genre (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    CREATE TABLE track (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL DEFAULT 0,
        mtime REAL NOT NULL DEFAULT 0,
        title TEXT NOT NULL DEFAULT '',
        artist TEXT NOT NULL DEFAULT '',
        artist_id INTEGER REFERENCES artist(id),
        album TEXT NOT NULL DEFAULT '',
        album_id INTEGER REFERENCES album(id),
        album_artist TEXT NOT NULL DEFAULT '',
        genre TEXT NOT NULL DEFAULT '',
        track_number INTEGER, track_total INTEGER, disc_number INTEGER, disc_total INTEGER,
        date TEXT NOT NULL DEFAULT '', year INTEGER,
        duration REAL NOT NULL DEFAULT 0,
        bitrate INTEGER NOT NULL DEFAULT 0, sample_rate INTEGER NOT NULL DEFAULT 0,
        channels INTEGER NOT NULL DEFAULT 0, codec TEXT NOT NULL DEFAULT '',
        compilation INTEGER NOT NULL DEFAULT 0,
        mb_track_id TEXT NOT NULL DEFAULT '', mb_recording_id TEXT NOT NULL DEFAULT '',
        mb_album_id TEXT NOT NULL DEFAULT '', mb_artist_id TEXT NOT NULL DEFAULT '',
        rg_track_gain REAL, rg_track_peak REAL, rg_album_gain REAL, rg_album_peak REAL,
        bpm REAL,
        has_cover INTEGER NOT NULL DEFAULT 0, has_lyrics INTEGER NOT NULL DEFAULT 0,
        added_at REAL NOT NULL DEFAULT 0,
        missing INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX track_artist ON track(artist_id);
    CREATE INDEX track_album ON track(album_id);
    CREATE TABLE track_genre (
        track_id INTEGER NOT NULL REFERENCES track(id) ON DELETE CASCADE,
        genre_id INTEGER NOT NULL REFERENCES genre(id),
        PRIMARY KEY (track_id, genre_id)
    ) WITHOUT ROWID;
    CREATE TABLE scan_issue (
        id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
        reason TEXT NOT NULL, seen_at REAL NOT NULL
    );
    CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: a content fingerprint, so moved and renamed files keep their history.
    """
    ALTER TABLE track ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
    CREATE INDEX track_fingerprint ON track(fingerprint);
    """,
    # 3: the listening history, likes and bans, imported (external) tracks.
    """
    CREATE TABLE external_track (
        id INTEGER PRIMARY KEY,
        artist TEXT NOT NULL, title TEXT NOT NULL, album TEXT NOT NULL DEFAULT '',
        mbid TEXT NOT NULL DEFAULT '',
        match_key TEXT NOT NULL,
        track_id INTEGER REFERENCES track(id) ON DELETE SET NULL,
        UNIQUE (artist, title, album)
    );
    CREATE INDEX external_track_key ON external_track(match_key);
    CREATE TABLE listen (
        id INTEGER PRIMARY KEY,
        track_id INTEGER REFERENCES track(id) ON DELETE SET NULL,
        external_id INTEGER REFERENCES external_track(id),
        started_at REAL NOT NULL,
        utc_offset_min INTEGER NOT NULL DEFAULT 0,
        ms_played INTEGER,
        duration_ms INTEGER,
        end_reason TEXT,
        end_position_ms INTEGER,
        source TEXT NOT NULL DEFAULT 'library',
        source_id TEXT NOT NULL DEFAULT '',
        session_id INTEGER NOT NULL DEFAULT 0,
        shuffle INTEGER NOT NULL DEFAULT 0,
        repeat_mode TEXT NOT NULL DEFAULT 'off',
        heartbeat_at REAL,
        is_play INTEGER NOT NULL DEFAULT 0,
        is_skip INTEGER NOT NULL DEFAULT 0,
        is_early_skip INTEGER NOT NULL DEFAULT 0,
        is_repeat INTEGER NOT NULL DEFAULT 0,
        origin TEXT NOT NULL DEFAULT 'encore',
        origin_key TEXT UNIQUE
    );
    CREATE INDEX listen_started ON listen(started_at);
    CREATE INDEX listen_track ON listen(track_id, started_at);
    CREATE INDEX listen_external ON listen(external_id);
    CREATE INDEX listen_open ON listen(end_reason) WHERE end_reason IS NULL;
    CREATE TABLE track_feedback (
        track_id INTEGER PRIMARY KEY REFERENCES track(id) ON DELETE CASCADE,
        liked INTEGER NOT NULL DEFAULT 0,
        banned INTEGER NOT NULL DEFAULT 0,
        updated_at REAL NOT NULL
    );
    """,
    # 4: audio features (analysis) and playlists.
    """
    CREATE TABLE audio_features (
        track_id INTEGER PRIMARY KEY REFERENCES track(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        analysed_at REAL NOT NULL,
        features TEXT NOT NULL DEFAULT '{}',
        vector BLOB,
        error TEXT
    );
    CREATE TABLE playlist (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'user',
        rules TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL, updated_at REAL NOT NULL
    );
    CREATE TABLE playlist_entry (
        playlist_id INTEGER NOT NULL REFERENCES playlist(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        track_id INTEGER REFERENCES track(id) ON DELETE SET NULL,
        PRIMARY KEY (playlist_id, position)
    );
    CREATE TABLE recommendation_cache (
        key TEXT PRIMARY KEY, created_at REAL NOT NULL, payload TEXT NOT NULL
    );
    """,
    # 5: playlists: soft delete (undo), lookups by track, star ratings for smart playlists,
    # and a covering index so per-track listen stats need not read the listen table itself.
    """
    ALTER TABLE playlist ADD COLUMN deleted_at REAL;
    CREATE INDEX playlist_entry_track ON playlist_entry(track_id);
    CREATE TABLE track_rating (
        track_id INTEGER PRIMARY KEY REFERENCES track(id) ON DELETE CASCADE,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 5),
        updated_at REAL NOT NULL
    );
    CREATE INDEX listen_track_stats ON listen(track_id, started_at, is_play, is_skip);
    """,
    # Spotify account-data listens imported before PRODUCT.md said: the track length unknown,
    # under 30 s heard is an early skip (rules.classify_imported); they were stored unmarked.
    """
    UPDATE listen SET is_skip = 1, is_early_skip = 1
    WHERE origin = 'spotify' AND origin_key LIKE 'spotify-account:%' AND end_reason = 'imported'
      AND ms_played IS NOT NULL AND ms_played < 30000 AND is_skip = 0;
    """,
    # 7: the process playing an open listen ("pid:start time"), so start-up recovery closes
    # only the listens of players that are gone.
    """
    ALTER TABLE listen ADD COLUMN owner TEXT;
    """,
    # 8: imports written in short transactions (db/import_runs.py): a run's listens carry its
    # id and stay hidden until its import_run row is deleted at the end. The per-track stats
    # index also covers import_run, so the stats still never read the table itself.
    """
    CREATE TABLE import_run (
        id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, started_at REAL NOT NULL,
        after_listen INTEGER NOT NULL, after_external INTEGER NOT NULL
    );
    ALTER TABLE listen ADD COLUMN import_run INTEGER;
    DROP INDEX listen_track_stats;
    CREATE INDEX listen_track_stats ON listen(track_id, started_at, is_play, is_skip, import_run);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
