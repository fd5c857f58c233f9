"""SQL for imported history: external tracks (what an export named) and imported listens.

Every imported listen points at the external_track holding the export's own artist/title/album
text, and at the library track when one matched. Unmatched external tracks are matched again
when the library grows (see history.import_service.rematch_external).
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from player.core.errors import DatabaseError
from player.db.connection import Database

LISTEN_COLUMNS = (
    "track_id", "external_id", "started_at", "utc_offset_min", "ms_played", "duration_ms",
    "end_reason", "end_position_ms", "source", "source_id", "heartbeat_at", "is_play",
    "is_skip", "is_early_skip", "origin", "origin_key",
)
IMPORT_CACHE_KIB = -64_000  # 64 MB: the listen indexes of a 2,000,000-row import stay cached
_INSERT_EXTERNAL = (
    "INSERT INTO external_track (id, artist, title, album, mbid, match_key, track_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_LISTEN = (
    f"INSERT OR IGNORE INTO listen ({', '.join(LISTEN_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in LISTEN_COLUMNS)})"
)
# The same, for a whole batch passed as one JSON array of rows: one statement, one step, so
# SQLite inserts the batch without taking Python's GIL back row by row (executemany does).
_INSERT_LISTEN_JSON = (
    f"INSERT OR IGNORE INTO listen ({', '.join(LISTEN_COLUMNS)}) "
    f"SELECT {', '.join(f'json_extract(value, {chr(39)}$[{i}]{chr(39)})' for i in range(len(LISTEN_COLUMNS)))} "
    "FROM json_each(?)"
)


class ImportRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- the library side ------------------------------------------------------------------
    def library_rows(self, min_id: int = 0) -> Iterator[tuple[int, str, str, str, str]]:
        """(id, artist, title, album, recording MBID) of present tracks with id > min_id."""
        yield from self.db.iterate(
            "SELECT id, artist, title, album, mb_recording_id FROM track "
            "WHERE missing = 0 AND id > ? ORDER BY id", (min_id,))

    def library_stamp(self) -> tuple[int, int]:
        """(highest track id, track count): changes whenever tracks are added or removed."""
        row = self.db.query("SELECT COALESCE(MAX(id), 0), COUNT(*) FROM track WHERE missing = 0")[0]
        return int(row[0]), int(row[1])

    # -- external tracks -------------------------------------------------------------------
    def external_ids(self) -> dict[tuple[str, str, str], tuple[int, int | None]]:
        """(artist, title, album) -> (external id, matched track id) of every external track."""
        return {(r[1], r[2], r[3]): (r[0], r[4])
                for r in self.db.iterate("SELECT id, artist, title, album, track_id FROM external_track")}

    def unmatched_externals(self) -> list[tuple[int, str, str, str, str]]:
        """(id, artist, title, album, mbid) of external tracks with no library track yet."""
        return self.db.query(
            "SELECT id, artist, title, album, mbid FROM external_track WHERE track_id IS NULL")

    def unmatched_by_keys(self, keys: Sequence[str]) -> list[tuple[int, str]]:
        """(external id, match key) of unmatched external tracks having one of the keys."""
        found: list[tuple[int, str]] = []
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" for _ in chunk)
            found += self.db.query(
                f"SELECT id, match_key FROM external_track WHERE track_id IS NULL "
                f"AND match_key IN ({marks})", chunk)
        return found

    def count_unmatched(self) -> int:
        return int(self.db.scalar("SELECT COUNT(*) FROM external_track WHERE track_id IS NULL") or 0)

    def link(self, pairs: Iterable[tuple[int, int]]) -> int:
        """Point external tracks (and their listens) at library tracks: (external id, track id)."""
        pairs = list(pairs)
        if not pairs:
            return 0
        with self.db.transaction():
            self.db.executemany("UPDATE external_track SET track_id = ? WHERE id = ?",
                                [(track_id, ext) for ext, track_id in pairs])
            self.db.executemany("UPDATE listen SET track_id = ? WHERE external_id = ? AND track_id IS NULL",
                                [(track_id, ext) for ext, track_id in pairs])
        return len(pairs)

    # -- listens ---------------------------------------------------------------------------
    def imported_count(self, origin: str | None = None) -> int:
        if origin is None:
            return int(self.db.scalar("SELECT COUNT(*) FROM listen WHERE origin != 'encore'") or 0)
        return int(self.db.scalar("SELECT COUNT(*) FROM listen WHERE origin = ?", (origin,)) or 0)


class BatchWriter:
    """Writes import batches on a second thread, inside the caller's open transaction.

    SQLite releases the GIL while it inserts, so parsing the next rows overlaps with writing
    these (about twice the throughput). The thread uses the caller's own connection (peewee's
    are per thread; this one was opened with check_same_thread=False) so everything stays in
    the caller's single transaction: the caller must not use the database until close().
    External track ids are allocated here, so listens can name them before they are written.
    """

    def __init__(self, db: Database) -> None:
        self._conn: sqlite3.Connection = db._db.connection()  # this thread's, in its transaction
        # Take the write lock now: no other writer can allocate external ids under us.
        self._conn.execute("UPDATE external_track SET id = id WHERE 0")
        # A bigger page cache while millions of rows go into the listen indexes (restored after).
        self._cache_size = self._conn.execute("PRAGMA cache_size").fetchone()[0]
        self._conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
        self._next_external = int(self._conn.execute(
            "SELECT COALESCE(MAX(id), 0) FROM external_track").fetchone()[0]) + 1
        self._externals: list[tuple[Any, ...]] = []
        self._json = _has_json(self._conn)
        self._queue: queue.Queue[tuple[str, Any] | None] = queue.Queue(maxsize=4)
        self.inserted = 0
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
        self._thread.start()

    def add_external(self, artist: str, title: str, album: str, mbid: str, key: str,
                     track_id: int | None) -> int:
        external_id = self._next_external
        self._next_external += 1
        self._externals.append((external_id, artist, title, album, mbid, key, track_id))
        return external_id

    def add_listens(self, rows: list[tuple[Any, ...]]) -> None:
        """Queue listens (LISTEN_COLUMNS order); existing origin keys are skipped, not counted."""
        if self._externals:  # the listens' external tracks first (foreign keys)
            self._put(("externals", self._externals))
            self._externals = []
        self._put(("listens", json.dumps(rows, ensure_ascii=False) if self._json else rows))

    def close(self) -> int:
        """Wait for every write; returns the listens inserted. Raises the writer's error."""
        if self._externals:
            self._put(("externals", self._externals))
            self._externals = []
        self._queue.put(None)
        self._thread.join()
        self._restore()
        self._raise()
        return self.inserted

    def abort(self) -> None:
        """Stop without raising (the caller is already failing and will roll back)."""
        self._externals = []
        self._queue.put(None)
        self._thread.join()
        self._restore()

    def _restore(self) -> None:
        self._conn.execute(f"PRAGMA cache_size = {int(self._cache_size)}")

    def _put(self, item: tuple[str, Any]) -> None:
        self._raise()
        self._queue.put(item)

    def _raise(self) -> None:
        if self.error is not None:
            if isinstance(self.error, sqlite3.Error):
                raise DatabaseError(f"Writing the imported listens failed: {self.error}") from self.error
            raise self.error

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self.error is not None:
                continue  # drain so the producer never blocks on a full queue
            kind, rows = item
            try:
                if kind == "externals":
                    self._conn.executemany(_INSERT_EXTERNAL, rows)
                else:
                    self.inserted += self._insert_listens(rows)
            except BaseException as exc:  # handed to the importing thread
                self.error = exc

    def _insert_listens(self, rows: list[tuple[Any, ...]] | str) -> int:
        before = self._conn.total_changes
        if isinstance(rows, str):
            self._conn.execute(_INSERT_LISTEN_JSON, (rows,))
        else:
            self._conn.executemany(_INSERT_LISTEN, rows)
        return self._conn.total_changes - before


def _has_json(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite has the JSON functions (built in since 3.38, usually before)."""
    try:
        return conn.execute("SELECT json_extract('[7]', '$[0]')").fetchone()[0] == 7
    except sqlite3.Error:
        return False
