"""An import written in short transactions stays all-or-nothing for every reader.

The rows of an import still being written are in the listen table, tagged with its run; every
query that reads the history must ignore them (db/import_runs.heard), and a run left by a dead
process is removed with everything it wrote.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from player.db import recap_queries, recommend_queries
from player.db.connection import Database
from player.db.history_admin import HistoryAdmin
from player.db.imports import BatchWriter, ImportRepository, ImportUnderway
from player.db.listens import ListenRepository
from player.db.playlists import PlaylistRepository
from player.db.tracks import ScannedFile, TrackRepository
from player.history import import_service
from player.history.import_recovery import discard_unfinished_imports
from player.history.import_service import ImportCancelled, import_files
from tests.factories import LISTENS_TSV, make_tags
from tests.history.fixtures import exports

DEAD = "999999999:1"  # no such process


def plain(value: Any) -> Any:
    """Readers' answers as comparable values (numpy columns, dataclasses, tuples)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in vars(value).items()} if not hasattr(value, "__slots__") \
            else {k: plain(getattr(value, k)) for k in value.__slots__}  # type: ignore[attr-defined]
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, set):
        return sorted(value)
    return value


def everything_read(db: Database) -> dict[str, Any]:
    """What every reader of the history answers."""
    listens = ListenRepository(db)
    admin = HistoryAdmin(db)
    tracks = [int(r[0]) for r in db.query("SELECT id FROM track")]
    years = recap_queries.years_with_listens(db)
    playlists = PlaylistRepository(db)
    rules = {"match": "all", "rules": [{"field": "play_count", "op": ">", "value": 0}],
             "sort": "last_played", "limit": 1000}
    return plain({
        "recent": listens.recent(100_000), "count": listens.count(),
        "stats": listens.track_stats(tracks), "max_session": listens.max_session_id(),
        "last_play": [listens.last_play_heard_at(t) for t in tracks],
        "admin": (admin.count(), admin.span(), list(admin.rows())),
        "years": years, "start": recap_queries.history_start(db),
        "year": [(recap_queries.year_listens(db, y), recap_queries.year_totals(db, y),
                  recap_queries.unmeasured_listens(db, y)) for y in years],
        "before": [recap_queries.keys_heard_before(db, tracks, y) for y in years],
        "facts": recommend_queries.load_listen_facts(db),
        "listens": recommend_queries.load_listens(db),
        "state": recommend_queries.library_state(db, 2e9),
        "matched": recommend_queries.history_match_counts(db),
        "smart": [t.id for t in playlists.evaluate_rules(rules, now=2e9)],
        "imported": ImportRepository(db).imported_count(),
    })


def raw(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    return {table: db.query(f"SELECT * FROM {table} ORDER BY id")
            for table in ("listen", "external_track", "import_run")}


def library(db: Database) -> None:
    """Tracks both exports name, so imported listens link and count as plays."""
    songs = [("Nina Simone", "Feeling Good"), ("Portishead", "Roads"), ("Massive Attack", "Teardrop"),
             ("坂本龍一", "Hibari"), ("坂本龍一", "Tibetan Dance (Version)")]
    files = [ScannedFile(f"/music/{i}.mp3", 1000, 1.0, f"fp{i}",
                         make_tags(title=title, artists=(artist,), album=""))
             for i, (artist, title) in enumerate(songs)]
    TrackRepository(db).write_scanned(files, {})


def stop_before_publishing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The import dies after writing its hidden rows, before its last transaction, as
    after kill -9 (no abort runs)."""
    def killed(self: BatchWriter) -> Any:
        raise SystemExit("killed")

    monkeypatch.setattr(BatchWriter, "publish", killed)
    monkeypatch.setattr(BatchWriter, "abort", lambda self, repository: None)


def test_hidden_rows_change_no_reader_and_a_dead_run_is_removed(
        db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library(db)
    import_files(db, [exports.write_account_year(tmp_path / "StreamingHistory0.json")], tz="UTC")
    ListenRepository(db).open(track_id=1, started_at=1.7e9, utc_offset_min=0, duration_ms=200_000,
                              source="library", source_id="", session_id=1, shuffle=False,
                              repeat_mode="off", is_repeat=False)
    before_read, before_raw = everything_read(db), raw(db)
    assert before_read["count"] == 16 and before_read["years"]

    monkeypatch.setattr(import_service, "BATCH", 700)
    stop_before_publishing(monkeypatch)
    with pytest.raises(SystemExit):
        import_files(db, [LISTENS_TSV], tz="UTC")
    hidden = db.scalar("SELECT COUNT(*) FROM listen WHERE import_run IS NOT NULL")
    assert hidden > 4000  # written, several transactions' worth ...
    assert everything_read(db) == before_read  # ... and no reader sees any of it
    # deleting the history meanwhile leaves the import's rows and external tracks alone
    assert db.scalar("SELECT COUNT(*) FROM external_track") > len(before_raw["external_track"])
    HistoryAdmin(db).delete_range(None, 1.0)
    assert db.scalar("SELECT COUNT(*) FROM listen WHERE import_run IS NOT NULL") == hidden

    # its process still runs (this one): another import is refused, a player start keeps it
    with pytest.raises(ImportUnderway):
        import_files(db, [LISTENS_TSV], tz="UTC")
    assert discard_unfinished_imports(db) == 0
    # gone (kill -9): the next start removes every row it wrote
    db.execute("UPDATE import_run SET owner = ?", (DEAD,))
    assert discard_unfinished_imports(db) == 1
    assert raw(db) == before_raw
    assert everything_read(db) == before_read

    monkeypatch.undo()
    report = import_files(db, [LISTENS_TSV], tz="UTC")  # and the import works again
    assert report.imported == 5000
    assert ListenRepository(db).count() == 16 + 5000


def test_cancel_while_writing_removes_what_was_written(db: Database,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("player.db.imports.SWAP_ROWS", (500, 500, 500))
    seen: list[tuple[int, int]] = []

    def progress(p: import_service.ImportProgress) -> bool:
        if p.to_write:
            seen.append((p.written, p.to_write))
        return p.written < 2000  # stop part-way through writing
    with pytest.raises(ImportCancelled):
        import_files(db, [LISTENS_TSV], progress=progress)
    assert seen[0] == (0, 5000) and seen[-1][0] >= 2000
    assert db.query("SELECT COUNT(*) FROM listen") == [(0,)]
    assert db.query("SELECT COUNT(*) FROM external_track") == [(0,)]
    assert db.query("SELECT COUNT(*) FROM import_run") == [(0,)]


def test_the_swap_uses_many_short_transactions(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    clocks = []
    original = ImportRepository.__init__

    def remember(self: ImportRepository, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        clocks.append(self.clock)

    monkeypatch.setattr(ImportRepository, "__init__", remember)
    monkeypatch.setattr("player.db.imports.SWAP_ROWS", (1000, 1000, 1000))
    import_files(db, [LISTENS_TSV], tz="UTC")
    # the rows in 5 transactions of 1,000, plus registering, externals, sessions, publishing
    assert max(len(clock.holds) for clock in clocks) >= 5 + 3


def test_a_second_connection_writes_between_the_transactions(db: Database, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Each transaction of the swap lets go of the lock: another writer that never waits
    (busy timeout 0) still gets in between two of them."""
    other = sqlite3.connect(db.path, timeout=0, isolation_level=None)
    wrote: list[int] = []
    monkeypatch.setattr("player.db.imports.SWAP_ROWS", (500, 500, 500))

    def progress(p: import_service.ImportProgress) -> bool:
        if p.to_write and p.written:
            try:
                other.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('x', ?)",
                              (str(p.written),))
                wrote.append(p.written)
            except sqlite3.OperationalError:  # locked: the test fails below
                pass
        return True
    import_files(db, [LISTENS_TSV], tz="UTC", progress=progress)
    other.close()
    assert len(wrote) >= 9  # every time it tried, between batches
