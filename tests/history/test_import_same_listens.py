"""When two imported rows are one listen (PRODUCT.md), and the import's flags and report words.

Same time at the export's resolution, same track (case-insensitive), same ms played where the
export gives it: Spotify's same-minute listens with different msPlayed are all kept, a
re-import adds nothing, and the same listen from another export kind or time zone is matched.
"""

from __future__ import annotations

import json
from pathlib import Path

from player.core import rules
from player.db.connection import Database
from player.history.import_service import import_files, report_lines
from tests.factories import make_db
from tests.history.fixtures import exports


def listens(db: Database) -> int:
    return int(db.scalar("SELECT COUNT(*) FROM listen"))


def account(path: Path, rows: list[tuple[str, str, str, int]]) -> Path:
    path.write_text(json.dumps([{"endTime": t, "artistName": a, "trackName": n, "msPlayed": ms}
                                for t, a, n, ms in rows]), encoding="utf-8")
    return path


def extended(path: Path, rows: list[tuple[str, str, str, int, str]]) -> Path:
    path.write_text(json.dumps([
        {"ts": ts, "username": "me", "ms_played": ms, "master_metadata_track_name": n,
         "master_metadata_album_artist_name": a, "master_metadata_album_album_name": "Album",
         "reason_start": "clickrow", "reason_end": reason, "skipped": None}
        for ts, a, n, ms, reason in rows]), encoding="utf-8")
    return path


def test_same_minute_listens_with_different_ms_are_all_kept(db: Database, tmp_path: Path) -> None:
    path = exports.write_account_year(tmp_path / "StreamingHistory0.json")
    report = import_files(db, [path], tz="UTC")
    # 16 rows; one (08:08, 235,000 ms) is in the file twice: 15 listens.
    assert (report.rows_read, report.imported, report.twice_in_files) == (16, 15, 1)
    assert (report.already_imported, report.from_other_exports) == (0, 0)
    assert listens(db) == 15
    same_minute = db.query("SELECT ms_played FROM listen WHERE origin_key LIKE 'spotify-account:%' "
                           "AND heartbeat_at BETWEEN 1583136240 AND 1583136299 ORDER BY ms_played")
    assert [r[0] for r in same_minute] == [1_045, 11_754]  # 2020-03-02 08:04
    lines = report_lines(report)
    assert "The same listen twice in these files (kept once): 1" in lines
    assert not any(line.startswith("Already") for line in lines)  # a first import: none there


def test_reimport_adds_nothing_and_says_already_imported(db: Database, tmp_path: Path) -> None:
    path = exports.write_account_year(tmp_path / "StreamingHistory0.json")
    import_files(db, [path], tz="UTC")
    again = import_files(db, [path], tz="Europe/Paris")
    assert (again.imported, again.already_imported, again.twice_in_files) == (0, 15, 1)
    assert listens(db) == 15
    assert "Already imported (a re-import): 15" in report_lines(again)


def test_account_flags_from_time_heard(db: Database, tmp_path: Path) -> None:
    import_files(db, [exports.write_account_year(tmp_path / "a.json")], tz="UTC")
    rows = db.query("SELECT ms_played, is_play, is_skip, is_early_skip FROM listen")
    for ms, play, skip, early in rows:  # length unknown: < 30 s early skip, >= 30 s a play
        assert (play, skip, early) == ((1, 0, 0) if ms >= 30_000 else (0, 1, 1)), ms
    assert sum(r[2] for r in rows) == 5 and sum(r[1] for r in rows) == 10


def test_extended_same_second_different_ms_kept_and_reason_end_decides(db: Database,
                                                                      tmp_path: Path) -> None:
    path = extended(tmp_path / "Streaming_History_Audio_2020.json", [
        ("2020-03-02T08:04:10Z", "Nina Simone", "Feeling Good", 11_754, "fwdbtn"),
        ("2020-03-02T08:04:10Z", "Nina Simone", "Feeling Good", 1_045, "fwdbtn"),
        ("2020-03-02T08:10:00Z", "Nina Simone", "Feeling Good", 20_000, "endplay"),
        ("2020-03-02T08:20:00Z", "Portishead", "Roads", 12_000, "trackdone"),
        ("2020-03-02T08:30:00Z", "Portishead", "Roads", 200_000, "clickrow"),
    ])
    report = import_files(db, [path])
    assert report.imported == 5
    flags = db.query("SELECT ms_played, is_play, is_skip, is_early_skip, end_reason FROM listen "
                     "ORDER BY started_at, ms_played")
    assert sorted(flags) == sorted([
        (11_754, 0, 1, 1, "next"), (1_045, 0, 1, 1, "next"),
        (20_000, 0, 0, 0, "stopped"),  # stopped by the app/player, not a skip
        (12_000, 0, 0, 0, "finished"),  # ended by itself
        (200_000, 1, 0, 0, "chose_another"),
    ])


def test_account_and_extended_history_of_one_account_are_not_doubled(db: Database,
                                                                     tmp_path: Path) -> None:
    acc = account(tmp_path / "StreamingHistory0.json", [
        ("2020-03-02 08:04", "Nina Simone", "Feeling Good", 11_754),
        ("2020-03-02 08:04", "Nina Simone", "Feeling Good", 1_045),
        ("2020-03-02 08:12", "Portishead", "Roads", 240_000),
    ])
    ext = extended(tmp_path / "Streaming_History_Audio_2020.json", [
        ("2020-03-02T08:04:10Z", "Nina Simone", "Feeling Good", 11_754, "fwdbtn"),
        ("2020-03-02T08:04:50Z", "NINA SIMONE", "Feeling good", 1_045, "fwdbtn"),
        ("2020-03-02T08:12:59Z", "Portishead", "Roads", 240_000, "trackdone"),
        ("2020-03-02T08:20:00Z", "Portishead", "Roads", 240_000, "trackdone"),  # only here
        ("2020-03-02T08:04:10Z", "Nina Simone", "Feeling Good", 500, "fwdbtn"),  # other ms
    ])
    import_files(db, [acc], tz="UTC")
    report = import_files(db, [ext])
    assert (report.imported, report.from_other_exports, report.already_imported) == (2, 3, 0)
    assert listens(db) == 5
    assert "Already there from another export or time zone: 3" in report_lines(report)
    # Both in one import: the same, counted as the same listen twice in these files.
    other = make_db(tmp_path, "other.db")
    try:
        both = import_files(other, [acc, ext], tz="UTC")
        assert (both.imported, both.twice_in_files) == (5, 3)
        assert int(other.scalar("SELECT COUNT(*) FROM listen")) == 5
    finally:
        other.close()


def test_scrobbler_log_in_three_time_zones_is_one_history(db: Database, tmp_path: Path) -> None:
    path = exports.write_scrobbler_log(tmp_path / ".scrobbler.log", tz_line="#TZ/UNKNOWN")
    assert import_files(db, [path], tz="Europe/Paris").imported == 4
    for zone in ("America/New_York", "UTC"):
        again = import_files(db, [path], tz=zone)
        assert (again.imported, again.already_imported) == (0, 4)
    assert listens(db) == 4


def test_overlapping_lastfm_exports_differing_in_capitalisation(db: Database, tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    second = tmp_path / "b.csv"
    first.write_text("uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid\n"
                     "1600000000,\"13 Sep 2020, 12:26\",Daft Punk,,Discovery,,Digital Love,\n",
                     encoding="utf-8")
    second.write_text("uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid\n"
                      "1600000000,\"13 Sep 2020, 12:26\",DAFT PUNK,,Discovery,,Digital love,\n"
                      "1600000300,\"13 Sep 2020, 12:31\",Daft Punk,,Discovery,,Digital Love,\n",
                      encoding="utf-8")
    import_files(db, [first])
    report = import_files(db, [second])
    assert (report.imported, report.already_imported) == (1, 1)
    assert listens(db) == 2
    # One external track for both spellings: the recap counts one song.
    assert int(db.scalar("SELECT COUNT(*) FROM external_track")) == 1


def test_classify_imported_rules() -> None:
    c = rules.classify_imported
    assert c(None, None, None, None) == rules.ListenFlags(True, False, False)  # a scrobble
    assert c(None, 240_000, "next", True) == rules.ListenFlags(False, True, False)  # "S"
    assert c(29_999, None, None, None) == rules.ListenFlags(False, True, True)  # account data
    assert c(30_000, None, None, None) == rules.ListenFlags(True, False, False)
    assert c(0, None, None, None) == rules.ListenFlags(False, True, True)
    assert c(10_000, None, "finished", False) == rules.ListenFlags(False, False, False)
    assert c(10_000, None, "next", None) == rules.ListenFlags(False, True, True)
    assert c(100_000, 300_000, "next", None) == rules.ListenFlags(True, True, False)  # < 50%
    assert c(20_000, 30_000, "finished", None) == rules.ListenFlags(True, False, False)


def test_listens_imported_before_the_rule_get_their_skip_marks(tmp_path: Path) -> None:
    from player.db.migrations import MIGRATIONS

    rule = next(n for n, step in enumerate(MIGRATIONS, 1) if "spotify-account:%" in step)
    db = make_db(tmp_path)
    import_files(db, [exports.write_account_year(tmp_path / "a.json")], tz="UTC")
    db.execute("UPDATE listen SET is_skip = 0, is_early_skip = 0")  # as older versions stored
    db.execute("ALTER TABLE listen DROP COLUMN owner")  # added after the rule (migration 7)
    db.execute("DROP INDEX listen_track_stats")  # and migration 8's import runs
    db.execute("ALTER TABLE listen DROP COLUMN import_run")
    db.execute("DROP TABLE import_run")
    db.execute("CREATE INDEX listen_track_stats ON listen(track_id, started_at, is_play, is_skip)")
    db.execute(f"PRAGMA user_version = {rule - 1}")
    db.close()
    again = make_db(tmp_path)
    try:
        marks = again.query("SELECT ms_played < 30000, is_skip, is_early_skip FROM listen")
        assert marks and all(short == skip == early for short, skip, early in marks)
        assert sum(r[1] for r in marks) == 5
    finally:
        again.close()


def test_history_shows_the_marks_of_imported_listens(db: Database, tmp_path: Path) -> None:
    from player.db.listens import ListenRepository
    from player.qt.history_model import COLUMNS, MARKS_COLUMN

    import_files(db, [exports.write_account_year(tmp_path / "a.json")], tz="UTC")
    marks = COLUMNS[MARKS_COLUMN][1]
    heard = COLUMNS[3][1]
    shown = {(heard(row), marks(row)) for row in ListenRepository(db).recent(limit=100)}
    assert ("0:00", "early skip") in shown  # the 0 ms row of 10 July: not a bare "0:00"
    assert ("0:05", "early skip") in shown
    assert ("4:00", "play") in shown and ("4:00", "repeat") in shown  # Roads, 5 October
    assert all(mark for _, mark in shown)


def test_a_reimport_over_listens_keyed_before_issue_15_says_already_imported(
        db: Database, tmp_path: Path) -> None:
    from player.history.importers.base import origin_key

    path = exports.write_account_year(tmp_path / "StreamingHistory0.json")
    import_files(db, [path], tz="UTC")
    # What an older Encore stored: keys without msPlayed, so of the same-minute listens of one
    # track only the first was kept (Feeling Good at 08:04, Roads at 12:00 on 10 July).
    seen: set[str] = set()
    for listen_id, ended, artist, title in db.query(
            "SELECT l.id, l.heartbeat_at, e.artist, e.title FROM listen l "
            "JOIN external_track e ON e.id = l.external_id ORDER BY l.id"):
        old = origin_key("spotify-account", "", round(ended), artist, title)
        if old in seen:
            db.execute("DELETE FROM listen WHERE id = ?", (listen_id,))
        else:
            seen.add(old)
            db.execute("UPDATE listen SET origin_key = ? WHERE id = ?", (old, listen_id))
    assert listens(db) == 13
    again = import_files(db, [path], tz="UTC")
    # The two lost listens come back; the 13 others are a re-import, not "another export".
    assert (again.imported, again.already_imported, again.from_other_exports) == (2, 13, 0)
    assert again.twice_in_files == 1 and listens(db) == 15
