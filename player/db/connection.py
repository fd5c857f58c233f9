"""Opening the database: WAL, one connection per thread, migrations, error translation."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import peewee

from player.core.errors import DatabaseBusy, DatabaseError
from player.db.migrations import MIGRATIONS, SCHEMA_VERSION

_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 5000,
    "cache_size": -32000,
}


def default_database_path() -> Path:
    """ENCORE_DB, else the platform's data directory."""
    env = os.environ.get("ENCORE_DB")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("encore", appauthor=False)) / "library.db"


def _plain(exc: BaseException, path: str) -> DatabaseError:
    # A failed ROLLBACK (SQLite already rolled back, e.g. on a full disk) hides the real cause.
    while "cannot rollback" in str(exc) and exc.__context__ is not None:
        exc = exc.__context__
    text = str(exc)
    if isinstance(exc, UnicodeEncodeError):
        bad = exc.object[exc.start:exc.end] if isinstance(exc.object, str) else ""
        shown = bad.encode("utf-8", "surrogateescape").hex(" ") if bad else "?"
        return DatabaseError(f"Text with bytes that are not UTF-8 ({shown}) cannot be stored or "
                             "searched for.", "Type it again as UTF-8 text.")
    if isinstance(exc, OverflowError):
        return DatabaseError(f"A number too large for the database {path} was refused ({text}).")
    if "disk is full" in text or getattr(exc, "errno", None) == 28:
        return DatabaseError(f"Cannot write the database {path}: the disk is full.",
                             "Free some space and try again; nothing was half-written.")
    if "locked" in text or "busy" in text:
        return DatabaseBusy(
            f"The database {path} is locked by another program.",
            "Close the other Encore (or the program using it) and try again.",
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseError(
            f"The database {path} is read-only.",
            "Check the file's permissions, or choose another with --db PATH.",
        )
    if "not a database" in text or "malformed" in text:
        return DatabaseError(
            f"The database {path} is damaged ({text}).",
            "Move it aside to start a new library; your music files are untouched.",
        )
    if "unable to open" in text:
        return DatabaseError(
            f"The database {path} cannot be opened.",
            "Check that its folder exists and is writable, or choose another with --db PATH.",
        )
    return DatabaseError(f"Database error on {path}: {text}")


# Tables every Encore database has from migration 1: a file without them is not ours.
_OWN_TABLES = {"library_folder", "track", "artist", "album"}


def _check_file(path: str) -> None:
    """Refuse what is not a database file Encore may use, before SQLite touches it.

    Not a name ("", a folder, a device such as /dev/null: SQLite would create
    /dev/null-journal), or another program's SQLite file (checked read-only, so it is never
    switched to WAL on the way to being refused). A new file is created private (0600):
    listening history is personal data.
    """
    if not path.strip():
        raise DatabaseError("The database path is empty.", "Give a file name with --db PATH.")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            return  # another process created it a moment ago
        except OSError as exc:
            raise _plain(exc, path) from exc
        return
    except OSError as exc:
        raise _plain(exc, path) from exc
    if not stat.S_ISREG(mode):
        raise DatabaseError(f"The database {path} is not a regular file.",
                            "Choose a file name with --db PATH.")
    try:
        probe = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            probe.close()
    except sqlite3.Error as exc:
        raise _plain(exc, path) from exc
    if tables and not tables >= _OWN_TABLES:
        raise DatabaseError(f"{path} is another program's database, not Encore's.",
                            "Choose another file with --db PATH; this one was left untouched.")


class Database:
    """A SQLite file shared by threads; peewee gives every thread its own connection."""

    def __init__(self, path: str | Path) -> None:
        text = os.fspath(path)
        # "~/x" as typed in quotes means the home folder, not a folder named "~"
        self.path = text if text in ("", ":memory:") else os.path.expanduser(text)
        self._db = peewee.SqliteDatabase(self.path, pragmas=_PRAGMAS, check_same_thread=False)

    # -- lifecycle -------------------------------------------------------------------------
    def open(self) -> Database:
        if self.path != ":memory:":
            _check_file(self.path)
        try:
            self._db.connect(reuse_if_open=True)
            self._migrate()
        except (peewee.PeeweeException, sqlite3.Error, OverflowError, UnicodeEncodeError) as exc:
            self._db.close()
            raise _plain(exc, self.path) from exc
        return self

    def close(self) -> None:
        if not self._db.is_closed():
            self._db.close()

    @property
    def schema_version(self) -> int:
        return int(self.scalar("PRAGMA user_version") or 0)

    def _migrate(self) -> None:
        current = int(self._db.execute_sql("PRAGMA user_version").fetchone()[0])
        if current > SCHEMA_VERSION:
            raise DatabaseError(
                f"The database {self.path} was written by a newer Encore "
                f"(schema {current}, this one knows {SCHEMA_VERSION}).",
                "Update Encore, or choose another database with --db PATH.",
            )
        if current == SCHEMA_VERSION:
            return
        # Another process may be migrating the same new file right now: take the write lock
        # first, then read the version again, so each step runs exactly once.
        connection = self._db.connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            current = int(connection.execute("PRAGMA user_version").fetchone()[0])
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[version - 1]):
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {version}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    # -- queries ---------------------------------------------------------------------------
    @contextmanager
    def transaction(self, immediate: bool = False) -> Iterator[None]:
        """All writes of one logical change, committed together or not at all.

        immediate: take the write lock at the start (waiting up to the busy timeout), for a
        transaction that reads before it writes: in WAL mode a read snapshot cannot be
        upgraded once another connection has committed.
        """
        try:
            with self._db.atomic(lock_type="IMMEDIATE" if immediate else None):
                yield
        except (peewee.PeeweeException, sqlite3.Error, OverflowError, UnicodeEncodeError) as exc:
            raise _plain(exc, self.path) from exc

    @contextmanager
    def busy_wait(self, ms: int) -> Iterator[None]:
        """Wait at most ms for another connection's write lock inside the block (this thread's
        connection only), e.g. short for writes that can be retried later."""
        connection = self._db.connection()
        before = int(connection.execute("PRAGMA busy_timeout").fetchone()[0])
        connection.execute(f"PRAGMA busy_timeout = {int(ms)}")
        try:
            yield
        finally:
            connection.execute(f"PRAGMA busy_timeout = {before}")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; returns the last row id (for inserts)."""
        try:
            cursor = self._db.execute_sql(sql, params)
        except (peewee.PeeweeException, sqlite3.Error, OverflowError, UnicodeEncodeError) as exc:
            raise _plain(exc, self.path) from exc
        return int(cursor.lastrowid or 0)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Bulk write through the raw connection (20x faster than peewee's insert_many)."""
        try:
            with self._db.atomic():
                self._db.connection().executemany(sql, rows)
        except (peewee.PeeweeException, sqlite3.Error, OverflowError, UnicodeEncodeError) as exc:
            raise _plain(exc, self.path) from exc

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return list(self._db.execute_sql(sql, params).fetchall())
        except (peewee.PeeweeException, sqlite3.Error, OverflowError, UnicodeEncodeError) as exc:
            raise _plain(exc, self.path) from exc

    def iterate(self, sql: str, params: Sequence[Any] = (), batch: int = 5000) -> Iterator[tuple[Any, ...]]:
        """Stream a large result without holding it all in memory."""
        try:
            cursor = self._db.execute_sql(sql, params)
            while rows := cursor.fetchmany(batch):
                yield from rows
        except (peewee.PeeweeException, sqlite3.Error, OverflowError, UnicodeEncodeError) as exc:
            raise _plain(exc, self.path) from exc

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def open_database(path: str | Path | None = None) -> Database:
    """Open (creating and migrating when needed) the database at path or the default place."""
    return Database(path if path is not None else default_database_path()).open()
