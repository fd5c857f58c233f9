"""Track repository: bulk upserts from the scanner, lookups and searches as core.Track."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from player.core.models import LibraryStats, Track, TrackTags
from player.core.paths import from_db, to_db
from player.db.connection import Database

_TRACK_COLUMNS = (
    "id, path, title, artist, album, album_artist, genre, track_number, disc_number, year, "
    "duration, codec, bitrate, sample_rate, channels, rg_track_gain, rg_track_peak, "
    "rg_album_gain, rg_album_peak, bpm, has_cover, mb_recording_id, added_at, missing, size"
)
_TAG_COLUMNS = (
    "title", "artist", "album", "album_artist", "genre", "track_number", "track_total",
    "disc_number", "disc_total", "date", "year", "duration", "bitrate", "sample_rate",
    "channels", "codec", "compilation", "mb_track_id", "mb_recording_id", "mb_album_id",
    "mb_artist_id", "rg_track_gain", "rg_track_peak", "rg_album_gain", "rg_album_peak", "bpm",
    "has_cover", "has_lyrics",
)


@dataclass(frozen=True, slots=True)
class ScannedFile:
    """One file the scanner read: where it is, its stat and fingerprint, and its tags."""

    path: str
    size: int
    mtime: float
    fingerprint: str
    tags: TrackTags

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Sent from a scan worker for every file: cheaper than the default protocol.
        return (ScannedFile, (self.path, self.size, self.mtime, self.fingerprint, self.tags))


@dataclass(frozen=True, slots=True)
class KnownFile:
    id: int
    size: int
    mtime: float
    fingerprint: str
    missing: bool


class _SharedValues:
    """Reads track rows giving equal values of the columns that repeat from track to track one
    shared object (one dict per column, so 1 == 1.0 == True never mixes types)."""

    def __init__(self) -> None:
        self.columns: list[dict[Any, Any]] = [{} for _ in range(11)]

    def tracks(self, rows: Iterable[Sequence[Any]], reuse: Sequence[Track] = ()) -> list[Track]:
        """reuse: Tracks held already; a row equal to one of them gives that object."""
        if not reuse:
            return list(self._tracks(rows))
        held = {t.id: t for t in reuse}
        return [t if held.get(t.id) != t else held[t.id] for t in self._tracks(rows)]

    def _tracks(self, rows: Iterable[Sequence[Any]]) -> Iterator[Track]:
        artist, album, album_artist, genre, codec, year, bitrate, sample_rate, rg_album_gain, \
            rg_album_peak, added_at = (c.setdefault for c in self.columns)
        return (Track(
            id=r[0], path=from_db(r[1]), title=r[2], artist=artist(r[3], r[3]),
            album=album(r[4], r[4]), album_artist=album_artist(r[5], r[5]),
            genre=genre(r[6], r[6]), track_number=r[7], disc_number=r[8], year=year(r[9], r[9]),
            duration=r[10], codec=codec(r[11], r[11]), bitrate=bitrate(r[12], r[12]),
            sample_rate=sample_rate(r[13], r[13]), channels=r[14], rg_track_gain=r[15],
            rg_track_peak=r[16], rg_album_gain=rg_album_gain(r[17], r[17]),
            rg_album_peak=rg_album_peak(r[18], r[18]), bpm=r[19], has_cover=bool(r[20]),
            mb_recording_id=r[21], added_at=added_at(r[22], r[22]), missing=bool(r[23]),
            size=r[24],
        ) for r in rows)


def _row_to_track(row: Sequence[Any]) -> Track:
    return Track(
        id=row[0], path=from_db(row[1]), title=row[2], artist=row[3], album=row[4], album_artist=row[5],
        genre=row[6], track_number=row[7], disc_number=row[8], year=row[9], duration=row[10],
        codec=row[11], bitrate=row[12], sample_rate=row[13], channels=row[14],
        rg_track_gain=row[15], rg_track_peak=row[16], rg_album_gain=row[17],
        rg_album_peak=row[18], bpm=row[19], has_cover=bool(row[20]), mb_recording_id=row[21],
        added_at=row[22], missing=bool(row[23]), size=row[24],
    )


def _tag_values(tags: TrackTags) -> tuple[Any, ...]:
    return (
        tags.title, tags.artist, tags.album, tags.album_artist, "; ".join(tags.genres),
        tags.track_number, tags.track_total, tags.disc_number, tags.disc_total, tags.date,
        tags.year, tags.duration, tags.bitrate, tags.sample_rate, tags.channels, tags.codec,
        int(tags.compilation), tags.mb_track_id, tags.mb_recording_id, tags.mb_album_id,
        tags.mb_artist_id, tags.rg_track_gain, tags.rg_track_peak, tags.rg_album_gain,
        tags.rg_album_peak, tags.bpm, int(tags.has_cover), int(tags.has_lyrics),
    )


class _NameIds:
    """Artist, album and genre ids by name, cached for one repository (a scan)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.artists: dict[str, int] = {n: i for i, n in db.query("SELECT id, name FROM artist")}
        self.albums: dict[tuple[str, str], int] = {
            (t, a): i for i, t, a in db.query("SELECT id, title, album_artist FROM album")}
        self.genres: dict[str, int] = {n: i for i, n in db.query("SELECT id, name FROM genre")}

    def artist(self, name: str) -> int | None:
        if not name:
            return None
        if name not in self.artists:
            self.artists[name] = self.db.execute("INSERT INTO artist (name) VALUES (?)", (name,))
        return self.artists[name]

    def album(self, tags: TrackTags) -> int | None:
        if not tags.album:
            return None
        key = (tags.album, tags.album_artist or tags.artist)
        if key not in self.albums:
            self.albums[key] = self.db.execute(
                "INSERT INTO album (title, album_artist) VALUES (?, ?)", key)
        return self.albums[key]

    def genre(self, name: str) -> int:
        if name not in self.genres:
            self.genres[name] = self.db.execute("INSERT INTO genre (name) VALUES (?)", (name,))
        return self.genres[name]


class TrackRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._names: _NameIds | None = None

    # -- scanner side ----------------------------------------------------------------------
    def known_files(self, folder: str) -> dict[str, KnownFile]:
        """Every stored track under folder (present or missing), by path."""
        prefix = folder.rstrip("/") + "/"
        rows = self.db.query(
            "SELECT path, id, size, mtime, fingerprint, missing FROM track "
            "WHERE substr(path, 1, ?) = ? OR path LIKE 'fsb64:%'",
            (len(prefix), prefix),
        )
        known = {from_db(r[0]): KnownFile(r[1], r[2], r[3], r[4], bool(r[5])) for r in rows}
        return {path: k for path, k in known.items() if path.startswith(prefix)}

    def missing_by_fingerprint(self) -> dict[str, int]:
        rows = self.db.query("SELECT fingerprint, id FROM track WHERE missing = 1 AND fingerprint != ''")
        return {fp: track_id for fp, track_id in rows}

    def write_scanned(self, files: Sequence[ScannedFile], known: dict[str, KnownFile]) -> tuple[int, int]:
        """Insert new files and update changed ones in one transaction. Returns (added, updated)."""
        now = time.time()
        names = self._name_ids()
        columns = ("path", "size", "mtime", "fingerprint", "artist_id", "album_id", *_TAG_COLUMNS)
        new_rows: list[tuple[Any, ...]] = []
        changed: list[tuple[Any, ...]] = []
        try:
            self._write(files, known, names, columns, now, new_rows, changed)
        except Exception:
            self._names = None  # ids made inside the rolled-back transaction are gone
            raise
        return len(new_rows), len(changed)

    def _write(self, files: Sequence[ScannedFile], known: dict[str, KnownFile], names: _NameIds,
               columns: tuple[str, ...], now: float, new_rows: list[tuple[Any, ...]],
               changed: list[tuple[Any, ...]]) -> None:
        with self.db.transaction():
            for f in files:
                links = (names.artist(f.tags.artist), names.album(f.tags))
                values = (f.size, f.mtime, f.fingerprint, *links, *_tag_values(f.tags))
                if f.path in known:
                    changed.append((*values, to_db(f.path)))
                else:
                    new_rows.append((to_db(f.path), *values, now))
            if new_rows:
                self.db.executemany(
                    f"INSERT INTO track ({', '.join(columns)}, added_at) "
                    f"VALUES ({', '.join('?' for _ in columns)}, ?)",
                    new_rows,
                )
            if changed:
                sets = ", ".join(f"{c} = ?" for c in columns[1:])
                self.db.executemany(f"UPDATE track SET {sets}, missing = 0 WHERE path = ?", changed)
            self._link_genres(files, known, names)

    def _name_ids(self) -> _NameIds:
        if self._names is None:
            self._names = _NameIds(self.db)
        return self._names

    def _link_genres(self, files: Sequence[ScannedFile], known: dict[str, KnownFile],
                     names: _NameIds) -> None:
        """Each file's genre links become its tags' genres: a known file's old links go first,
        also when its genre was cleared (a tag edit, a rescan), so no genre lists it any more."""
        self.db.executemany("DELETE FROM track_genre WHERE track_id = ?",
                            [(known[f.path].id,) for f in files if f.path in known])
        tagged = [f for f in files if f.tags.genres]
        if not tagged:
            return
        paths = [to_db(f.path) for f in tagged]
        ids = dict(self.db.query(
            f"SELECT path, id FROM track WHERE path IN ({','.join('?' for _ in paths)})", paths))
        pairs = {(ids[to_db(f.path)], names.genre(g)) for f in tagged for g in f.tags.genres}
        self.db.executemany("INSERT OR IGNORE INTO track_genre (track_id, genre_id) VALUES (?, ?)", pairs)

    def move(self, track_id: int, new_path: str, size: int, mtime: float) -> None:
        """A missing track found again at a new path: same id, so its history stays."""
        self.db.execute(
            "UPDATE track SET path = ?, size = ?, mtime = ?, missing = 0 WHERE id = ?",
            (to_db(new_path), size, mtime, track_id),
        )

    def mark_missing(self, paths: Iterable[str]) -> int:
        rows = [(to_db(p),) for p in paths]
        if rows:
            self.db.executemany("UPDATE track SET missing = 1 WHERE path = ?", rows)
        return len(rows)

    # -- readers ---------------------------------------------------------------------------
    def get(self, track_id: int) -> Track | None:
        rows = self.db.query(f"SELECT {_TRACK_COLUMNS} FROM track WHERE id = ?", (track_id,))
        return _row_to_track(rows[0]) if rows else None

    def by_path(self, path: str) -> Track | None:
        rows = self.db.query(f"SELECT {_TRACK_COLUMNS} FROM track WHERE path = ?", (to_db(path),))
        return _row_to_track(rows[0]) if rows else None

    def all(self, include_missing: bool = False, reuse: Sequence[Track] = ()) -> list[Track]:
        """Tracks by artist, album, disc and number. reuse: Tracks already held (the ones the
        views show); each unchanged track comes back as that same object, so a reload does not
        hold a second copy of the library next to the first."""
        where = "" if include_missing else "WHERE missing = 0"
        rows = self.db.iterate(
            f"SELECT {_TRACK_COLUMNS} FROM track {where} "
            "ORDER BY artist COLLATE NOCASE, album COLLATE NOCASE, disc_number, track_number, title"
        )
        # Streamed (the rows are never all held next to the Tracks) and with one object per
        # distinct artist, album, genre, year...: 100,000 tracks share a few thousand of them
        # instead of holding a copy each (a third of the list's memory).
        return _SharedValues().tracks(rows, reuse)

    def search(self, text: str = "", limit: int | None = None) -> list[Track]:
        """Tracks whose title, artist, album or genre contain every word of text."""
        clauses, params = ["missing = 0"], []
        for word in text.split():
            clauses.append("(title || ' ' || artist || ' ' || album || ' ' || genre) LIKE ? ESCAPE '\\'")
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%{escaped}%")
        sql = (f"SELECT {_TRACK_COLUMNS} FROM track WHERE {' AND '.join(clauses)} "
               "ORDER BY artist COLLATE NOCASE, album COLLATE NOCASE, disc_number, track_number, title")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_row_to_track(r) for r in self.db.query(sql, params)]

    def count(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM track WHERE missing = 0") or 0)

    def stats(self) -> LibraryStats:
        present, missing, duration = self.db.query(
            "SELECT coalesce(sum(missing = 0), 0), coalesce(sum(missing = 1), 0), "
            "coalesce(sum(CASE WHEN missing = 0 THEN duration END), 0) FROM track"
        )[0]
        by_format = dict(self.db.query(
            "SELECT codec, count(*) FROM track WHERE missing = 0 GROUP BY codec ORDER BY count(*) DESC"
        ))
        issues = int(self.db.scalar("SELECT count(*) FROM scan_issue") or 0)
        folders = tuple(r[0] for r in self.db.query("SELECT path FROM library_folder ORDER BY path"))
        return LibraryStats(int(present), int(missing), float(duration), by_format, issues, folders)
