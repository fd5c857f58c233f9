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
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, NamedTuple

from player.core import rules
from player.core.errors import DatabaseError
from player.db.connection import Database

# What an importer hands over per listen (add_listens). flags packs is_play (1), is_skip (2),
# is_early_skip (4) and is_repeat (8); the SQL below unpacks it and fills the columns that
# repeat a value (end_position_ms = ms_played, source_id = origin) or are constant (source):
# fewer values per row keep the JSON batches small and cheap to read.
ROW_FIELDS = (
    "track_id", "external_id", "started_at", "utc_offset_min", "ms_played", "duration_ms",
    "end_reason", "heartbeat_at", "flags", "origin", "origin_key", "session_id",
)
FLAG_PLAY, FLAG_SKIP, FLAG_EARLY_SKIP, FLAG_REPEAT = 1, 2, 4, 8
_LISTEN_COLUMNS = (
    "track_id, external_id, started_at, utc_offset_min, ms_played, duration_ms, end_reason, "
    "end_position_ms, source, source_id, heartbeat_at, is_play, is_skip, is_early_skip, origin, "
    "origin_key, session_id, is_repeat"
)
# The values of _LISTEN_COLUMNS from ROW_FIELDS numbered 1..12 (prefix: "?" or "v").
_VALUES = ("{p}1, {p}2, {p}3, {p}4, {p}5, {p}6, {p}7, {p}5, 'import', {p}10, {p}8, {p}9 & 1, "
           "({p}9 >> 1) & 1, ({p}9 >> 2) & 1, {p}10, {p}11, {p}12, ({p}9 >> 3) & 1")
DAY_S = 86_400.0  # no listen is longer: how far back an older listen can still be heard
IMPORT_CACHE_KIB = -64_000  # 64 MB: the listen indexes of a 2,000,000-row import stay cached
IMPORT_LOCK_WAIT_MS = 120_000  # how long the final swap waits for the write lock

# Sessions and repeats over listens with lo <= started_at <= hi (see assign_sessions).
# w: the previous listen's last heartbeat, and when the same track's latest earlier play ended;
# g: session ordinals (a running count of session starts); s: each session's Encore id if any.
# The repeat and session tests are the rulebook's (core/rules.py), not spelled here.
_ASSIGN_SESSIONS = """
WITH w AS (
    SELECT id, origin, session_id, started_at,
           LAG(heartbeat_at) OVER (ORDER BY started_at, id) AS prev_heard,
           CASE WHEN track_id IS NULL AND external_id IS NULL THEN NULL ELSE
               MAX(CASE WHEN is_play THEN heartbeat_at END) OVER (
                   PARTITION BY track_id, CASE WHEN track_id IS NULL THEN external_id END
                   ORDER BY started_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
           END AS last_play
    FROM listen WHERE started_at BETWEEN ?1 AND ?2
), g AS (
    SELECT id, origin, session_id,
           CASE WHEN {repeat} THEN 1 ELSE 0 END AS rep,
           SUM(CASE WHEN {new_session} THEN 1 ELSE 0 END)
               OVER (ORDER BY started_at, id ROWS UNBOUNDED PRECEDING) AS ordinal
    FROM w
), s AS (
    SELECT id, origin, session_id, rep, ordinal,
           MIN(CASE WHEN origin = 'encore' THEN session_id END) OVER (PARTITION BY ordinal)
               AS encore_session
    FROM g
)
UPDATE listen SET
    session_id = CASE WHEN s.origin = 'encore' THEN s.session_id
                      ELSE COALESCE(s.encore_session, ?5 - s.ordinal) END,
    is_repeat = s.rep
FROM s
WHERE listen.id = s.id AND (listen.is_repeat != s.rep OR listen.session_id !=
    CASE WHEN s.origin = 'encore' THEN s.session_id ELSE COALESCE(s.encore_session, ?5 - s.ordinal) END)
""".format(repeat=rules.sql_is_repeat("started_at", "last_play"),
           new_session=rules.sql_is_new_session("started_at", "prev_heard"))


# New imported listens that are a listen already there (see drop_same_listens). The time each
# export gave is the number in origin_key ("kind:seconds:digest"): Spotify's end time (account
# data: whole minutes); scrobbles are compared on their UTC start second.
_SAME_REACH_S = 61.0  # equal ms and ends in one minute: starts differ by less than this
_KEY_TIME = "CAST(substr({t}.origin_key, instr({t}.origin_key, ':') + 1) AS INTEGER)"
_MINUTES = "{t}.origin_key LIKE 'spotify-account:%'"
# The few listens within a minute of each new one, through listen_started (the planner would
# rather walk every listen of the same track); each new row's answer computed once.
_SAME_LISTENS = f"""
WITH m AS MATERIALIZED (SELECT n.id AS id, (
    SELECT MIN(o.id) FROM listen o INDEXED BY listen_started
    JOIN external_track oe ON oe.id = o.external_id
    WHERE o.started_at BETWEEN n.started_at - {_SAME_REACH_S} AND n.started_at + {_SAME_REACH_S}
      AND o.id < n.id AND o.origin != 'encore' AND oe.match_key = ne.match_key
      AND (o.origin = 'spotify') = (n.origin = 'spotify')
      AND (n.ms_played IS NULL OR o.ms_played IS NULL OR n.ms_played = o.ms_played)
      AND CASE WHEN n.origin != 'spotify'
               THEN CAST(o.started_at AS INTEGER) = CAST(n.started_at AS INTEGER)
               WHEN {_MINUTES.format(t='n')} OR {_MINUTES.format(t='o')}
               THEN {_KEY_TIME.format(t='o')} / 60 = {_KEY_TIME.format(t='n')} / 60
               ELSE {_KEY_TIME.format(t='o')} = {_KEY_TIME.format(t='n')} END
) AS first
FROM listen n JOIN external_track ne ON ne.id = n.external_id
WHERE {{where}} AND n.origin != 'encore')
SELECT m.id, m.first, substr(f.origin_key, 1, instr(f.origin_key, ':'))
    = substr(n.origin_key, 1, instr(n.origin_key, ':'))
FROM m JOIN listen f ON f.id = m.first JOIN listen n ON n.id = m.id
"""


class SameListens(NamedTuple):
    """New imported listens found already there (see drop_same_listens), by where from."""

    other_export: int  # imported before from another export kind (or time zone)
    same_kind: int  # imported before from this kind, keyed before issue 15: a re-import
    this_import: int  # another file of this import held it (another export kind)


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
    def assign_sessions(self, after_id: int, gap_s: float, repeat_s: float,
                        in_order_span: tuple[float, float] | None = None) -> int:
        """Sessions and repeats of the listens around newly imported ones; returns rows changed.

        New imported rows are those with id > after_id (and, from imports before sessions were
        computed, imported rows still in session 0). The range recomputed runs from the start
        of the session holding the earliest of them to the end of the session holding the
        latest, over every listen in it (Encore's own and imported) in start-time order:
        - a session starts when a listen starts gap_s or more after the previous listen (in
          start order) was last heard (its heartbeat_at);
        - a listen is a repeat when the same track (library track, else external track) was
          last heard as a play less than repeat_s before it started.
        Encore's own listens keep their session ids; imported listens in a session with one of
        Encore's take its id, other imported sessions get new NEGATIVE ids (below every id
        used): the live logger numbers its sessions MAX(session_id) + 1 >= 1, so the two can
        never collide, even when the logger read MAX before this import committed.
        is_repeat is recomputed for every listen in the range. Runs in SQLite, one statement.
        The tests themselves are core/rules.py's (sql_is_new_session, sql_is_repeat); gap_s and
        repeat_s only bound the range looked at, and must be the rulebook's constants.

        in_order_span: (first start, last heard) when the new rows came in start order and were
        written with sessions and repeats computed among themselves (BatchWriter.session_base
        and down). They stand, and nothing is recomputed, unless an older listen is within
        reach of that span or older imported rows still lack sessions.
        """
        if in_order_span is not None:
            lo, heard = in_order_span
            window = max(gap_s, repeat_s)
            near = self.db.scalar(
                "SELECT 1 FROM listen WHERE started_at BETWEEN ? AND ? AND id <= ? "
                "AND (started_at >= ? OR heartbeat_at > ?) LIMIT 1",
                (lo - DAY_S, heard + window, after_id, lo, lo - window))
            legacy = self.db.scalar(
                "SELECT 1 FROM listen WHERE session_id = 0 AND origin != 'encore' LIMIT 1")
            if near is None and legacy is None:
                return 0
        row = self.db.query(
            "SELECT MIN(started_at), MAX(started_at) FROM listen WHERE id > ? "
            "OR (session_id = 0 AND origin != 'encore')", (after_id,))[0]
        if row[0] is None:
            return 0
        lo, hi = self._session_bounds(float(row[0]), float(row[1]), gap_s)
        base = int(self.db.scalar("SELECT MIN(MIN(session_id), 0) FROM listen") or 0)
        with self.db.transaction():
            before = int(self.db.scalar("SELECT total_changes()"))
            self.db.execute(_ASSIGN_SESSIONS, (lo, hi, gap_s, repeat_s, base))
            return int(self.db.scalar("SELECT total_changes()")) - before

    def _session_bounds(self, lo: float, hi: float, gap_s: float) -> tuple[float, float]:
        """(start of the session holding lo, start of the last listen of the one holding hi).

        The second is the last listen before the next gap of gap_s after hi, or the very last.
        """
        start = self.db.scalar(
            "SELECT started_at FROM (SELECT started_at, started_at - LEAD(heartbeat_at) "
            "OVER (ORDER BY started_at DESC, id DESC) AS gap FROM listen WHERE started_at <= ?) "
            "WHERE gap IS NULL OR gap >= ? LIMIT 1", (lo, gap_s))
        after = self.db.scalar(
            "SELECT started_at FROM (SELECT started_at, started_at - LAG(heartbeat_at) "
            "OVER (ORDER BY started_at, id) AS gap FROM listen WHERE started_at >= ?) "
            "WHERE gap >= ? LIMIT 1", (hi, gap_s))
        end = self.db.scalar("SELECT MAX(started_at) FROM listen WHERE started_at < ?",
                             (float("inf") if after is None else after,))
        return (lo if start is None else float(start)), float(end if end is not None else hi)

    def drop_same_listens(self, after_id: int, whole_import: bool = False) -> SameListens:
        """Delete new imported listens (id > after_id) that are a listen already there.

        PRODUCT.md: two rows are one listen when they are the same event: the same time at the
        coarser of the two exports' resolutions, the same track and the same ms played where
        both know it. Rows of one export kind already meet on origin_key (UNIQUE); this matches
        across kinds and zones: Spotify's account data (end minute) against its extended
        history (end second), a scrobble against a scrobble of another export (same second).
        Only rows of the same family are compared (Spotify ends vs scrobbled starts).
        Tracks are the same when their normalised artist and title (external_track.match_key)
        are. Only new rows within reach of older imported ones are looked at, unless
        whole_import (the import itself mixed export kinds).
        Returns how many were deleted: SameListens(a listen of another export kind from before
        this import, one of the same kind from before it (keyed before issue 15), one of this
        import).
        """
        where, params = "n.id > ?", [float(after_id)]
        if not whole_import:
            span = self.db.query(
                "SELECT MIN(started_at), MAX(started_at) FROM listen "
                "WHERE id <= ? AND origin != 'encore'", (after_id,))[0]
            if span[0] is None:
                return SameListens(0, 0, 0)
            where += " AND n.started_at BETWEEN ? AND ?"
            params += [float(span[0]) - _SAME_REACH_S, float(span[1]) + _SAME_REACH_S]
        found = self.db.query(_SAME_LISTENS.format(where=where), params)
        if not found:
            return SameListens(0, 0, 0)
        ids = [int(r[0]) for r in found]
        with self.db.transaction():
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                self.db.execute(f"DELETE FROM listen WHERE id IN ({','.join('?' * len(chunk))})",
                                chunk)
        other = sum(1 for r in found if int(r[1]) <= after_id and not r[2])
        same = sum(1 for r in found if int(r[1]) <= after_id and r[2])
        return SameListens(other, same, len(found) - other - same)

    def imported_count(self, origin: str | None = None) -> int:
        if origin is None:
            return int(self.db.scalar("SELECT COUNT(*) FROM listen WHERE origin != 'encore'") or 0)
        return int(self.db.scalar("SELECT COUNT(*) FROM listen WHERE origin = ?", (origin,)) or 0)


# Staged (temp) external track ids start above this; real ids are given at the swap.
STAGED_EXTERNAL = 1 << 40
_STAGE_SCHEMA = (
    "DROP TABLE IF EXISTS temp.import_listen",
    "DROP TABLE IF EXISTS temp.import_external",
    "CREATE TEMP TABLE import_listen (seq INTEGER PRIMARY KEY, "
    + ", ".join(f"v{i + 1}" for i in range(len(ROW_FIELDS))) + ")",
    "CREATE TEMP TABLE import_external (sid INTEGER PRIMARY KEY, artist TEXT, title TEXT, "
    "album TEXT, mbid TEXT, match_key TEXT, track_id INTEGER, real INTEGER)",
)
_STAGE_COLUMNS = ", ".join(f"v{i + 1}" for i in range(len(ROW_FIELDS)))
_STAGE_LISTEN = (f"INSERT INTO temp.import_listen ({_STAGE_COLUMNS}) VALUES "
                 f"({', '.join('?' for _ in ROW_FIELDS)})")
_STAGE_LISTEN_JSON = (
    f"INSERT INTO temp.import_listen ({_STAGE_COLUMNS}) SELECT "
    + ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(ROW_FIELDS)))
    + " FROM json_each(?)"
)
_STAGE_EXTERNAL = ("INSERT INTO temp.import_external (sid, artist, title, album, mbid, match_key, "
                   "track_id) VALUES (?, ?, ?, ?, ?, ?, ?)")
# The swap (one short write transaction): staged external tracks get real ids above ?1 (or the
# id of the same track another import wrote meanwhile); staged sessions (< 0) are shifted
# below ?2 (see assign_sessions); listens whose origin key is already there are skipped.
_SWAP_EXTERNALS = (
    "INSERT OR IGNORE INTO external_track (id, artist, title, album, mbid, match_key, track_id) "
    f"SELECT ?1 + sid - {STAGED_EXTERNAL}, artist, title, album, mbid, match_key, track_id "
    "FROM temp.import_external ORDER BY sid",
    "UPDATE temp.import_external SET real = (SELECT e.id FROM main.external_track e WHERE "
    "e.artist = import_external.artist AND e.title = import_external.title "
    "AND e.album = import_external.album)",
)
_SWAP_LISTENS = (
    f"INSERT OR IGNORE INTO listen ({_LISTEN_COLUMNS}) SELECT "
    + _VALUES.format(p="v").replace("v2,", "COALESCE(x.real, v2),", 1).replace(
        "v12,", "CASE WHEN v12 < 0 THEN v12 + ?1 ELSE v12 END,", 1)
    + " FROM temp.import_listen LEFT JOIN temp.import_external x "
    f"ON v2 > {STAGED_EXTERNAL} AND x.sid = v2 ORDER BY seq"
)


class BatchWriter:
    """Stages an import's rows in temporary tables, then swaps them in with one short write.

    While rows are parsed, each batch is written to this connection's TEMP tables (its own
    file: no lock on the library, so the live listen logger and `encore play` write freely
    meanwhile). commit() then copies the staged rows into the library in ONE transaction (a
    few seconds for millions of rows, pure SQLite): the import is still all-or-nothing.
    Staging runs on a second thread (SQLite releases the GIL while it inserts, so parsing
    the next rows overlaps with writing these) on the caller's own connection (opened with
    check_same_thread=False): the caller must not use the database until commit()/abort().
    New external tracks get staged ids (above STAGED_EXTERNAL) and new sessions ids below 0;
    both are made real at the swap.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._conn: sqlite3.Connection = db._db.connection()  # this thread's connection
        for statement in _STAGE_SCHEMA:
            self._conn.execute(statement)
        # Listens this import writes get ids above this one (set again at the swap).
        self.last_listen_id = 0
        self.session_base = 0  # staged sessions are 0 - ordinal; shifted at the swap
        self._next_external = STAGED_EXTERNAL + 1
        self._externals: list[tuple[Any, ...]] = []
        self._json = _has_json(self._conn)
        self._queue: queue.Queue[tuple[str, Any] | None] = queue.Queue(maxsize=4)
        self.inserted = 0
        self.lock_seconds = 0.0  # how long commit() held the library's write lock
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
        """Queue listens (ROW_FIELDS order); existing origin keys are skipped, not counted."""
        if self._externals:
            self._put(("externals", self._externals))
            self._externals = []
        self._put(("listens", json.dumps(rows, ensure_ascii=False) if self._json else rows))

    def _finish_staging(self) -> None:
        if self._externals:
            self._put(("externals", self._externals))
            self._externals = []
        self._queue.put(None)
        self._thread.join()
        self._raise()

    @contextmanager
    def commit(self) -> Iterator[int]:
        """Wait for the staged writes, then copy them into the library in one transaction.

        Yields the listens inserted; the caller's writes inside the block (links, sessions)
        join the same transaction. On any error nothing is written.
        """
        locked_at = None
        try:
            self._finish_staging()
            # an import is a batch job: it waits for another writer (a player's heartbeat, a
            # scan) far longer than the interactive 5 s rather than fail after all its parsing
            with self._db.busy_wait(IMPORT_LOCK_WAIT_MS), self._db.transaction(immediate=True):
                locked_at = time.perf_counter()
                conn = self._conn
                self.last_listen_id, base = (int(v) for v in conn.execute(
                    "SELECT COALESCE(MAX(id), 0), MIN(COALESCE(MIN(session_id), 0), 0) FROM listen"
                ).fetchone())
                first_external = int(conn.execute(
                    "SELECT COALESCE(MAX(id), 0) FROM external_track").fetchone()[0])
                cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
                conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
                try:
                    for statement in _SWAP_EXTERNALS:
                        conn.execute(statement, (first_external + 1,) if "?1" in statement else ())
                    before = conn.total_changes
                    conn.execute(_SWAP_LISTENS, (base,))
                    self.inserted = conn.total_changes - before
                finally:
                    conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
                yield self.inserted
        except sqlite3.Error as exc:
            raise DatabaseError(f"Writing the imported listens failed: {exc}") from exc
        finally:
            if locked_at is not None:
                self.lock_seconds = time.perf_counter() - locked_at
            self._drop()

    def abort(self) -> None:
        """Stop without raising (the caller is already failing): nothing reaches the library."""
        self._externals = []
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._drop()

    def _drop(self) -> None:
        for statement in _STAGE_SCHEMA[:2]:
            with suppress(sqlite3.Error):  # temp tables go with the connection anyway
                self._conn.execute(statement)

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
                    self._conn.executemany(_STAGE_EXTERNAL, rows)
                else:
                    self._insert_listens(rows)
            except BaseException as exc:  # handed to the importing thread
                self.error = exc

    def _insert_listens(self, rows: list[tuple[Any, ...]] | str) -> int:
        """Stage one batch (its own small transaction, in the temp database only)."""
        before = self._conn.total_changes
        if isinstance(rows, str):
            self._conn.execute(_STAGE_LISTEN_JSON, (rows,))
        else:
            self._conn.executemany(_STAGE_LISTEN, rows)
        return self._conn.total_changes - before


def _has_json(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite has the JSON functions (built in since 3.38, usually before)."""
    try:
        return conn.execute("SELECT json_extract('[7]', '$[0]')").fetchone()[0] == 7
    except sqlite3.Error:
        return False
