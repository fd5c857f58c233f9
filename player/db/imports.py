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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, NamedTuple

from player.core import rules
from player.core.errors import DatabaseError, KnownError
from player.db.connection import Database
from player.db.import_runs import ImportRun, heard

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
IMPORT_LOCK_WAIT_MS = 120_000  # how long each of an import's transactions waits for the lock


class ImportUnderway(KnownError):
    """Another process is writing an import into the same database."""

# Sessions and repeats over listens with lo <= started_at <= hi (see assign_sessions), as the
# changes to make: (id, new session, new repeat, whether the row is this import's own).
# w: the previous listen's last heartbeat, and when the same track's latest earlier play ended;
# g: session ordinals (a running count of session starts); s: each session's Encore id if any.
# The repeat and session tests are the rulebook's (core/rules.py), not spelled here.
# {scope}: the listens of the history plus this import's own; {mine}: this import's own.
_SESSION_CHANGES = """
INSERT INTO temp.session_change (id, session_id, is_repeat, mine)
WITH w AS (
    SELECT id, origin, session_id, is_repeat, started_at, {mine} AS mine,
           LAG(heartbeat_at) OVER (ORDER BY started_at, id) AS prev_heard,
           CASE WHEN track_id IS NULL AND external_id IS NULL THEN NULL ELSE
               MAX(CASE WHEN is_play THEN heartbeat_at END) OVER (
                   PARTITION BY track_id, CASE WHEN track_id IS NULL THEN external_id END
                   ORDER BY started_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
           END AS last_play
    FROM listen WHERE started_at BETWEEN ?1 AND ?2 AND {scope}
), g AS (
    SELECT id, origin, session_id, is_repeat, mine,
           CASE WHEN {repeat} THEN 1 ELSE 0 END AS rep,
           SUM(CASE WHEN {new_session} THEN 1 ELSE 0 END)
               OVER (ORDER BY started_at, id ROWS UNBOUNDED PRECEDING) AS ordinal
    FROM w
), s AS (
    SELECT id, origin, session_id, is_repeat, mine, rep,
           CASE WHEN origin = 'encore' THEN session_id ELSE COALESCE(
               MIN(CASE WHEN origin = 'encore' THEN session_id END) OVER (PARTITION BY ordinal),
               ?5 - ordinal) END AS new_session
    FROM g
)
SELECT id, new_session, rep, mine FROM s WHERE is_repeat != rep OR session_id != new_session
"""
_SESSION_RULES = {"repeat": rules.sql_is_repeat("started_at", "last_play"),
                  "new_session": rules.sql_is_new_session("started_at", "prev_heard")}


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
      AND o.id < n.id AND o.origin != 'encore' AND oe.match_key = ne.match_key AND {{scope}}
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
    = substr(n.origin_key, 1, instr(n.origin_key, ':')), f.import_run IS {{run}}
FROM m JOIN listen f ON f.id = m.first JOIN listen n ON n.id = m.id
"""


class SameListens(NamedTuple):
    """New imported listens found already there (see drop_same_listens), by where from."""

    other_export: int  # imported before from another export kind (or time zone)
    same_kind: int  # imported before from this kind, keyed before issue 15: a re-import
    this_import: int  # another file of this import held it (another export kind)


class ImportRepository:
    def __init__(self, db: Database, clock: LockClock | None = None) -> None:
        self.db = db
        self.clock = clock or LockClock(db)

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
                        in_order_span: tuple[float, float] | None = None,
                        run: int | None = None) -> int:
        """Sessions and repeats of the listens around newly imported ones; returns rows changed.

        New imported rows are those of the import run `run` (else those with id > after_id),
        and, from imports before sessions were computed, imported rows still in session 0.
        The range recomputed runs from the start of the session holding the earliest of them
        to the end of the session holding the latest, over every listen in it (Encore's own
        and imported) in start-time order:
        - a session starts when a listen starts gap_s or more after the previous listen (in
          start order) was last heard (its heartbeat_at);
        - a listen is a repeat when the same track (library track, else external track) was
          last heard as a play less than repeat_s before it started.
        Encore's own listens keep their session ids; imported listens in a session with one of
        Encore's take its id, other imported sessions get new NEGATIVE ids (below every id
        used): the live logger numbers its sessions MAX(session_id) + 1 >= 1, so the two can
        never collide, even when the logger read MAX before this import committed.
        is_repeat is recomputed for every listen in the range, in SQLite (one statement that
        only reads the library). The tests themselves are core/rules.py's (sql_is_new_session,
        sql_is_repeat); gap_s and repeat_s only bound the range, and must be the rulebook's.

        With a run, the run's own (still hidden) rows are changed here in short transactions
        and the changes to listens already in the history wait for publish_session_changes
        (the import's last transaction); without one, everything is changed at once.

        in_order_span: (first start, last heard) when the new rows came in start order and were
        written with sessions and repeats computed among themselves (BatchWriter.session_base
        and down). They stand, and nothing is recomputed, unless an older listen is within
        reach of that span or older imported rows still lack sessions.
        """
        new, older, scope, mine = _scopes(after_id, run)
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS session_change (id INTEGER PRIMARY KEY, "
                        "session_id INTEGER, is_repeat INTEGER, mine INTEGER)")
        self.db.execute("DELETE FROM temp.session_change")
        if in_order_span is not None:
            lo, last_heard = in_order_span
            window = max(gap_s, repeat_s)
            near = self.db.scalar(
                f"SELECT 1 FROM listen WHERE started_at BETWEEN ? AND ? AND {older} "
                "AND (started_at >= ? OR heartbeat_at > ?) LIMIT 1",
                (lo - DAY_S, last_heard + window, lo, lo - window))
            legacy = self.db.scalar(
                f"SELECT 1 FROM listen WHERE session_id = 0 AND origin != 'encore' AND {heard()} "
                "LIMIT 1")
            if near is None and legacy is None:
                return 0
        row = self.db.query(
            f"SELECT MIN(started_at), MAX(started_at) FROM listen WHERE {new} "
            f"OR (session_id = 0 AND origin != 'encore' AND {heard()})")[0]
        if row[0] is None:
            return 0
        lo, hi = self._session_bounds(float(row[0]), float(row[1]), gap_s, scope)
        base = int(self.db.scalar(f"SELECT MIN(MIN(session_id), 0) FROM listen WHERE {scope}") or 0)
        self.db.execute(_SESSION_CHANGES.format(scope=scope, mine=mine, **_SESSION_RULES),
                        (lo, hi, gap_s, repeat_s, base))
        changed = int(self.db.scalar("SELECT COUNT(*) FROM temp.session_change") or 0)
        if run is None:
            with self.db.transaction():
                self.db.execute(_APPLY_SESSIONS)
        else:
            ids = [int(r[0]) for r in self.db.query(
                "SELECT id FROM temp.session_change WHERE mine ORDER BY id")]
            self.clock.in_steps(ids, "sessions", lambda chunk: self.db.execute(
                _APPLY_SESSIONS + " AND c.mine AND c.id BETWEEN ? AND ?", (chunk[0], chunk[-1])))
        return changed

    def publish_session_changes(self) -> None:
        """Changes assign_sessions left for listens already in the history (inside the
        import's last transaction: they change with the new listens' arrival, not before)."""
        self.db.execute(_APPLY_SESSIONS + " AND NOT c.mine")

    def _session_bounds(self, lo: float, hi: float, gap_s: float, scope: str) -> tuple[float, float]:
        """(start of the session holding lo, start of the last listen of the one holding hi).

        The second is the last listen before the next gap of gap_s after hi, or the very last.
        """
        start = self.db.scalar(
            "SELECT started_at FROM (SELECT started_at, started_at - LEAD(heartbeat_at) "
            "OVER (ORDER BY started_at DESC, id DESC) AS gap FROM listen WHERE started_at <= ? "
            f"AND {scope}) WHERE gap IS NULL OR gap >= ? LIMIT 1", (lo, gap_s))
        after = self.db.scalar(
            "SELECT started_at FROM (SELECT started_at, started_at - LAG(heartbeat_at) "
            f"OVER (ORDER BY started_at, id) AS gap FROM listen WHERE started_at >= ? AND {scope}) "
            "WHERE gap >= ? LIMIT 1", (hi, gap_s))
        end = self.db.scalar(f"SELECT MAX(started_at) FROM listen WHERE started_at < ? AND {scope}",
                             (float("inf") if after is None else after,))
        return (lo if start is None else float(start)), float(end if end is not None else hi)

    def drop_same_listens(self, run: int, whole_import: bool = False) -> SameListens:
        """Delete listens of the import run that are a listen already there.

        PRODUCT.md: two rows are one listen when they are the same event: the same time at the
        coarser of the two exports' resolutions, the same track and the same ms played where
        both know it. Rows of one export kind already meet on origin_key (UNIQUE); this matches
        across kinds and zones: Spotify's account data (end minute) against its extended
        history (end second), a scrobble against a scrobble of another export (same second).
        Only rows of the same family are compared (Spotify ends vs scrobbled starts).
        Tracks are the same when their normalised artist and title (external_track.match_key)
        are. Only new rows within reach of older imported ones are looked at, unless
        whole_import (the import itself mixed export kinds). The run's rows are still hidden:
        they are deleted in short transactions.
        Returns how many were deleted: SameListens(a listen of another export kind from before
        this import, one of the same kind from before it (keyed before issue 15), one of this
        import).
        """
        where, params = _scopes(0, run, "n")[0], []
        older = _scopes(0, run)[1]
        if not whole_import:
            span = self.db.query(
                f"SELECT MIN(started_at), MAX(started_at) FROM listen "
                f"WHERE {older} AND origin != 'encore'")[0]
            if span[0] is None:
                return SameListens(0, 0, 0)
            where += " AND n.started_at BETWEEN ? AND ?"
            params += [float(span[0]) - _SAME_REACH_S, float(span[1]) + _SAME_REACH_S]
        found = self.db.query(_SAME_LISTENS.format(
            where=where, run=int(run), scope=_scopes(0, run, "o")[2]), params)
        if not found:
            return SameListens(0, 0, 0)
        def delete(chunk: list[int]) -> None:
            for part in _chunks(chunk, 500):  # SQLite's bound-parameter limit
                self.db.execute(f"DELETE FROM listen WHERE id IN ({','.join('?' * len(part))})",
                                part)

        self.clock.in_steps(sorted(int(r[0]) for r in found), "same listens", delete)
        other = sum(1 for r in found if not r[3] and not r[2])
        same = sum(1 for r in found if not r[3] and r[2])
        return SameListens(other, same, len(found) - other - same)

    def imported_count(self, origin: str | None = None) -> int:
        if origin is None:
            return int(self.db.scalar(
                f"SELECT COUNT(*) FROM listen WHERE origin != 'encore' AND {heard()}") or 0)
        return int(self.db.scalar(f"SELECT COUNT(*) FROM listen WHERE origin = ? AND {heard()}",
                                  (origin,)) or 0)

    # -- imports being written (db/import_runs.py) ------------------------------------------
    def runs(self) -> list[ImportRun]:
        """Every import still being written (or left half-written by a process that died)."""
        return [ImportRun(int(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in self.db.query(
            "SELECT id, owner, after_listen, after_external FROM import_run ORDER BY id")]

    def discard_run(self, run: ImportRun) -> int:
        """Delete a run's hidden listens and the external tracks only they used, in short
        transactions, then the run itself (last: an interrupted discard is resumed by the
        next one). Nothing of the history changes. Returns the listens deleted."""
        ids = [int(r[0]) for r in self.db.query(
            "SELECT id FROM listen WHERE id > ? AND import_run = ? ORDER BY id",
            (run.after_listen, run.id))]
        self.clock.in_steps(ids, "discard", lambda chunk: self.db.execute(
            "DELETE FROM listen WHERE id BETWEEN ? AND ? AND import_run = ?",
            (chunk[0], chunk[-1], run.id)))
        with self.clock.write("discard"):
            self.db.execute(
                "DELETE FROM external_track WHERE id > ? AND id NOT IN (SELECT external_id FROM "
                "listen WHERE external_id > ?)", (run.after_external, run.after_external))
            self.db.execute("DELETE FROM import_run WHERE id = ?", (run.id,))
        return len(ids)


# Applies temp.session_change (see assign_sessions); callers add which rows.
_APPLY_SESSIONS = ("UPDATE listen SET session_id = c.session_id, is_repeat = c.is_repeat "
                   "FROM temp.session_change c WHERE listen.id = c.id")


def _scopes(after_id: int, run: int | None, t: str = "listen") -> tuple[str, str, str, str]:
    """SQL over `listen` as t for (the new rows, the rows from before them, both, is-a-new-row).

    Within an import run its rows are the new ones; they are hidden from `heard` until the
    run is published. Without a run (a recomputation over the history) rows above after_id
    are new.
    """
    if run is None:
        new = f"{t}.id > {int(after_id)}"
        return new, f"{t}.id <= {int(after_id)} AND {heard(t)}", heard(t), new
    new = f"{t}.import_run = {int(run)}"
    return new, heard(t), f"({heard(t)} OR {new})", f"{t}.import_run IS {int(run)}"


def _chunks(values: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


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
# The swap (short write transactions): staged external tracks get real ids from ?1 on (or the
# id of the same track written before); staged sessions (< 0) are shifted below ?1 (see
# assign_sessions); listens whose origin key is already there are skipped.
_SWAP_EXTERNALS = (
    "INSERT OR IGNORE INTO external_track (id, artist, title, album, mbid, match_key, track_id) "
    f"SELECT ?1 + sid - {STAGED_EXTERNAL}, artist, title, album, mbid, match_key, track_id "
    "FROM temp.import_external WHERE sid BETWEEN ?2 AND ?3 ORDER BY sid",
    "UPDATE temp.import_external SET real = (SELECT e.id FROM main.external_track e WHERE "
    "e.artist = import_external.artist AND e.title = import_external.title "
    "AND e.album = import_external.album)",
)
_SWAP_LISTENS = (
    f"INSERT OR IGNORE INTO listen ({_LISTEN_COLUMNS}, import_run) SELECT "
    + _VALUES.format(p="v").replace("v2,", "COALESCE(x.real, v2),", 1).replace(
        "v12,", "CASE WHEN v12 < 0 THEN v12 + ?1 ELSE v12 END,", 1)
    + ", ?4 FROM temp.import_listen LEFT JOIN temp.import_external x "
    f"ON v2 > {STAGED_EXTERNAL} AND x.sid = v2 WHERE seq > ?2 AND seq <= ?3 ORDER BY seq"
)
# How the swap shares the write lock: each transaction is sized to hold it about SWAP_HOLD_S
# (the rows per transaction follow the last one's time, within SWAP_ROWS), then the import
# lets go for as long, at most SWAP_GAP_S: SQLite's busy handler retries a waiting writer at
# least every 100 ms, so a like, a scan or the listen logger gets its turn between two.
SWAP_HOLD_S = 0.2
SWAP_GAP_S = 0.12
SWAP_ROWS = (500, 5_000, 50_000)  # fewest, first, most rows per transaction


class LockClock:
    """The import's write transactions: each waits up to IMPORT_LOCK_WAIT_MS for the lock,
    is timed (`holds`: seconds from taking the lock to committing) and, with pause, is
    followed by as long without it, at most SWAP_GAP_S."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.holds: list[float] = []
        self.steps: list[tuple[str, float]] = []  # (what, seconds held) of each transaction

    @contextmanager
    def write(self, what: str = "", pause: bool = True) -> Iterator[None]:
        taken = None
        try:
            with self.db.busy_wait(IMPORT_LOCK_WAIT_MS), self.db.transaction(immediate=True):
                taken = time.perf_counter()
                yield
        finally:
            if taken is not None:
                self.holds.append(time.perf_counter() - taken)
                self.steps.append((what, self.holds[-1]))
        if pause:  # a short hold needs only a short gap (small imports stay quick)
            time.sleep(min(SWAP_GAP_S, self.holds[-1]))

    def next_size(self, rows: int) -> int:
        """Rows for the next transaction, from how long this one (of `rows`) held the lock."""
        fewest, _first, most = SWAP_ROWS
        return max(fewest, min(most, int(rows * SWAP_HOLD_S / max(self.holds[-1], 1e-3))))

    def in_steps(self, ids: Sequence[int], what: str, write: Callable[[list[int]], Any]) -> None:
        """write(chunk) over ids (sorted) in transactions sized like the swap's."""
        start, size = 0, SWAP_ROWS[1]
        while start < len(ids):
            chunk = list(ids[start:start + size])
            with self.write(what):
                write(chunk)
            start += len(chunk)
            size = self.next_size(len(chunk))


SwapProgress = Callable[[int, int], None]  # (rows written, rows to write); may raise to stop


class BatchWriter:
    """Stages an import's rows in temporary tables, then swaps them in by short transactions.

    While rows are parsed, each batch is written to this connection's TEMP tables (its own
    file: no lock on the library, so the live listen logger and `encore play` write freely
    meanwhile). swap() then registers an import run (db/import_runs.py) and copies the staged
    rows into the library in transactions of about SWAP_HOLD_S each, every row tagged with
    the run and hidden from the history; publish() is the last short transaction that shows
    them all at once. The import is still all-or-nothing: abort() (or, after kill -9, the
    next import or player start) deletes a run's rows. Staging runs on a second thread
    (SQLite releases the GIL while it inserts, so parsing the next rows overlaps with writing
    these) on the caller's own connection (opened with check_same_thread=False): the caller
    must not use the database until swap(). New external tracks get staged ids (above
    STAGED_EXTERNAL) and new sessions ids below 0; both are made real by the swap.
    """

    def __init__(self, db: Database, clock: LockClock | None = None) -> None:
        self._db = db
        self.clock = clock or LockClock(db)
        self._conn: sqlite3.Connection = db._db.connection()  # this thread's connection
        for statement in _STAGE_SCHEMA:
            self._conn.execute(statement)
        self.run: ImportRun | None = None  # set by swap()
        self.session_base = 0  # staged sessions are 0 - ordinal; shifted by the swap
        self._next_external = STAGED_EXTERNAL + 1
        self._externals: list[tuple[Any, ...]] = []
        self._json = _has_json(self._conn)
        self._queue: queue.Queue[tuple[str, Any] | None] = queue.Queue(maxsize=4)
        self.staged = 0
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
        """Queue listens (ROW_FIELDS order); existing origin keys are skipped, not counted."""
        if self._externals:
            self._put(("externals", self._externals))
            self._externals = []
        self.staged += len(rows)
        self._put(("listens", json.dumps(rows, ensure_ascii=False) if self._json else rows))

    def _finish_staging(self) -> None:
        if self._externals:
            self._put(("externals", self._externals))
            self._externals = []
        self._queue.put(None)
        self._thread.join()
        self._raise()

    def swap(self, owner: str, progress: SwapProgress | None = None) -> int:
        """Copy the staged rows into the library as the hidden rows of a new import run, in
        short transactions; returns the listens inserted (origin keys already there are
        skipped). owner: this process ("pid:start"), so a dead run can be told from a live one.
        Raises DatabaseError (nothing shown; abort() removes what was written)."""
        try:
            self._finish_staging()
            conn = self._conn
            with self.clock.write("start"):
                if conn.execute("SELECT 1 FROM import_run LIMIT 1").fetchone() is not None:
                    raise ImportUnderway("Another import is being written to this database.",
                                         "Import again when it is done.")
                after_listen, base = (int(v) for v in conn.execute(
                    "SELECT COALESCE(MAX(id), 0), MIN(COALESCE(MIN(session_id), 0), 0) FROM listen"
                ).fetchone())
                after_external = int(conn.execute(
                    "SELECT COALESCE(MAX(id), 0) FROM external_track").fetchone()[0])
                run_id = int(conn.execute(
                    "INSERT INTO import_run (owner, started_at, after_listen, after_external) "
                    "VALUES (?, ?, ?, ?)", (owner, time.time(), after_listen, after_external)
                ).lastrowid or 0)
            self.run = ImportRun(run_id, owner, after_listen, after_external)
            self._swap_externals(after_external + 1)
            self._swap_listens(run_id, base, progress)
            return self.inserted
        except sqlite3.Error as exc:
            raise DatabaseError(f"Writing the imported listens failed: {exc}") from exc

    def _swap_externals(self, first_id: int) -> None:
        sids = [int(r[0]) for r in self._conn.execute(
            "SELECT sid FROM temp.import_external ORDER BY sid")]
        self.clock.in_steps(sids, "external tracks", lambda chunk: self._conn.execute(
            _SWAP_EXTERNALS[0], (first_id, chunk[0], chunk[-1])))
        self._conn.execute(_SWAP_EXTERNALS[1])  # the temp table only: no lock on the library

    def _swap_listens(self, run_id: int, base: int, progress: SwapProgress | None) -> None:
        conn = self._conn
        last = int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM temp.import_listen").fetchone()[0])
        rows = SWAP_ROWS[1]
        done = 0
        cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
        try:
            while done < last:
                if progress is not None:
                    progress(done, last)
                upto = min(last, done + rows)
                with self.clock.write("listens"):
                    before = conn.total_changes
                    conn.execute(_SWAP_LISTENS, (base, done, upto, run_id))
                    self.inserted += conn.total_changes - before
                rows = self.clock.next_size(upto - done)
                done = upto
            if progress is not None:
                progress(last, last)
        finally:
            conn.execute(f"PRAGMA cache_size = {int(cache_size)}")

    @contextmanager
    def publish(self) -> Iterator[None]:
        """The import's last transaction: the caller's writes inside the block (links, changes
        to listens already there) and the end of the run, so its listens appear at once."""
        assert self.run is not None, "publish() after swap()"
        try:
            with self.clock.write("publish", pause=False):
                yield
                self._conn.execute("DELETE FROM import_run WHERE id = ?", (self.run.id,))
        except sqlite3.Error as exc:
            raise DatabaseError(f"Writing the imported listens failed: {exc}") from exc
        self.run = None
        self._drop()

    def abort(self, repository: ImportRepository) -> None:
        """Stop without raising (the caller is already failing): what the swap wrote goes."""
        self._externals = []
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._drop()
        if self.run is not None:
            try:
                repository.discard_run(self.run)
                self.run = None
            except DatabaseError:  # left for the next import or player start to remove
                pass

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
