"""One rulebook: the logger's rules (core/rules.py), the importer, the SQL the database runs and
the recommender give the same plays, skips, repeats and sessions on the same listens.

The listens are the shared Last.fm-1K sample (a real log): its start times, and what was heard
derived from them the way a player would log it. Each track gets a length from its name (60 s
to 6 min); a listen lasts until the next one starts: cut short -> the user pressed next
("fwdbtn"), else it finished ("trackdone"). Written as a Spotify extended-history file (time
heard and who ended it, length unknown, as Spotify's export), imported in start order (the
importer's Python path) and newest first (its SQL path), then compared listen by listen.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

import numpy as np
import pytest

from player.core import rules
from player.db.connection import Database
from player.db.imports import ImportRepository
from player.history.import_service import import_files
from player.history.importers import ImportedListen, read_listens
from player.recommend.data import Interactions
from tests.history.fixtures.exports import iso

SAMPLE = Path("shared") / "data" / "listens" / "lastfm1k-user_000001.tsv"
# the project sits beside ../shared (a worktree one level deeper)
SHARED = next((p / SAMPLE for p in Path(__file__).resolve().parents if (p / SAMPLE).exists()),
              Path("/nonexistent") / SAMPLE)

Derived = tuple[str, str, float, int, str]  # artist, title, start, ms heard, end reason


def derived_listens() -> list[Derived]:
    """The real log's listens in start order with time heard and who ended each."""
    rows = {(r.started_at, r.artist.casefold(), r.title.casefold()): r for r in read_listens(SHARED)
            if isinstance(r, ImportedListen) and r.user == "user_000001"}
    real = [rows[k] for k in sorted(rows)]  # a scrobble sent twice is one listen
    out: list[Derived] = []
    for i, listen in enumerate(real):
        length_s = 60 + zlib.crc32(listen.title.encode()) % 300
        gap = real[i + 1].started_at - listen.started_at if i + 1 < len(real) else length_s
        cut = gap < length_s
        heard_s = int(gap if cut else length_s)
        if heard_s > 0:  # two scrobbles in the same second: the first was never heard
            out.append((listen.artist, listen.title, listen.started_at, heard_s * 1000,
                        "next" if cut else "finished"))
    return out


def expected(listens: list[Derived]) -> tuple[list[tuple[bool, bool, bool, bool]], list[int]]:
    """(play, skip, early skip, repeat) and session ordinals by the rulebook's Python functions,
    as the live history logger applies them (length unknown: 0)."""
    flags, last_play = [], {}
    for artist, title, start, ms, reason in listens:
        f = rules.classify(reason, ms, 0)
        key = (artist.casefold(), title.casefold())
        flags.append((f.is_play, f.is_skip, f.is_early_skip, rules.is_repeat(start, last_play.get(key))))
        if f.is_play:
            last_play[key] = start + ms / 1000
    sessions = rules.session_ordinals([s for _, _, s, _, _ in listens],
                                      [s + ms / 1000 for _, _, s, ms, _ in listens])
    return flags, sessions


def spotify_file(path: Path, listens: list[Derived], newest_first: bool) -> Path:
    records = [{
        "ts": iso(start + ms / 1000), "username": "me", "ms_played": ms,
        "master_metadata_track_name": title, "master_metadata_album_artist_name": artist,
        "master_metadata_album_album_name": "", "episode_name": None,
        "spotify_track_uri": f"spotify:track:{zlib.crc32(f'{artist}/{title}'.encode()):022d}",
        "reason_start": "trackdone", "reason_end": "fwdbtn" if reason == "next" else "trackdone",
        "skipped": reason == "next"} for artist, title, start, ms, reason in listens]
    path.write_text(json.dumps(records[::-1] if newest_first else records), encoding="utf-8")
    return path


def same_partition(a: list[int], b: list[int]) -> bool:
    """Two labelings split a sequence into the same consecutive groups."""
    return [x != y for x, y in zip(a, a[1:], strict=False)] == [x != y for x, y in zip(b, b[1:], strict=False)]


def stored(db: Database) -> list[tuple]:
    return db.query(
        "SELECT started_at, ms_played, duration_ms, end_reason, heartbeat_at, is_play, is_skip, "
        "is_early_skip, is_repeat, session_id FROM listen ORDER BY started_at, id")


@pytest.mark.skipif(not SHARED.exists(), reason="the shared Last.fm-1K sample is absent")
@pytest.mark.parametrize("newest_first", [False, True], ids=["in order", "newest first"])
def test_logger_rules_importer_sql_and_recommender_agree(db: Database, tmp_path: Path,
                                                         newest_first: bool) -> None:
    listens = derived_listens()
    flags, sessions = expected(listens)
    assert len(listens) > 4800
    # the sample must exercise every rule, or agreeing proves little
    # (counts on this sample: 4797 plays, 34 skips, all early, 325 repeats, 315 sessions)
    assert sum(f[0] for f in flags) > 4000 and sum(f[1] for f in flags) >= 30
    assert sum(f[2] for f in flags) >= 30 and sum(f[3] for f in flags) > 300
    assert 300 < max(sessions) < len(listens) / 2

    report = import_files(db, [spotify_file(tmp_path / "log.json", listens, newest_first)])
    assert report.imported == len(listens)
    rows = stored(db)

    # the importer's flags and sessions
    assert [tuple(bool(v) for v in r[5:9]) for r in rows] == flags
    assert same_partition([r[9] for r in rows], sessions)

    # the database's own SQL: the rulebook's expressions over the stored columns ...
    sql = db.query(
        f"SELECT {rules.sql_is_play('ms_played', 'COALESCE(duration_ms, 0)')}, "
        f"{rules.sql_is_skip('end_reason', 'ms_played', 'COALESCE(duration_ms, 0)')}, "
        f"{rules.sql_is_early_skip('end_reason', 'ms_played', 'COALESCE(duration_ms, 0)')} "
        "FROM listen ORDER BY started_at, id")
    assert [tuple(bool(v) for v in r) for r in sql] == [f[:3] for f in flags]
    # ... and the session/repeat pass recomputed from nothing over the whole history
    db.execute("UPDATE listen SET session_id = 0, is_repeat = 0")
    ImportRepository(db).assign_sessions(0, rules.SESSION_GAP_S, rules.REPEAT_WINDOW_S)
    again = stored(db)
    assert [bool(r[8]) for r in again] == [f[3] for f in flags]
    assert same_partition([r[9] for r in again], sessions)

    # the recommender, deriving sessions itself from the same listens
    built = Interactions.build([0] * len(rows), np.array([r[0] for r in rows]),
                               ms_played=[r[1] for r in rows], duration_ms=[r[2] for r in rows])
    assert same_partition(built.session.tolist(), sessions)


def test_sessions_split_on_time_since_last_heard_not_since_last_start() -> None:
    # B starts 40 min after A started, but A played 20 min: 20 min of silence, one session
    starts, heard = [0.0, 2400.0, 6000.0], [1200.0, 2600.0, 6100.0]
    assert rules.session_ordinals(starts, heard) == [0, 0, 1]
    built = Interactions.build([0, 1, 2], starts, ms_played=[1_200_000, 200_000, 100_000])
    assert built.session.tolist() == [0, 0, 1]


def test_sql_expressions_equal_the_python_rules_on_a_grid() -> None:
    conn = sqlite3.connect(":memory:")
    heard = [0, 1, 14_999, 15_000, 29_999, 30_000, 30_001, 44_000, 100_000]
    lengths = [0, -1, 20_000, 29_998, 30_000, 59_999, 60_000, 61_000, 200_000]
    for reason in rules.END_REASONS:
        for ms in heard:
            for length in lengths:
                got = conn.execute(
                    f"SELECT {rules.sql_is_play('?1', '?2')}, {rules.sql_is_skip('?3', '?1', '?2')}, "
                    f"{rules.sql_is_early_skip('?3', '?1', '?2')}", (ms, length, reason)).fetchone()
                want = rules.classify(reason, ms, length)
                assert tuple(bool(v) for v in got) == (want.is_play, want.is_skip, want.is_early_skip), \
                    (reason, ms, length)
    for start, last in [(100.0, None), (1900.0, 100.0), (1899.0, 100.0), (1900.5, 100.0)]:
        got = conn.execute(f"SELECT {rules.sql_is_repeat('?1', '?2')}, "
                           f"{rules.sql_is_new_session('?1', '?2')}", (start, last)).fetchone()
        assert (bool(got[0]), bool(got[1])) == (rules.is_repeat(start, last),
                                                rules.is_new_session(start, last))
