"""History controls: pause recording, delete a range or everything, export JSON/CSV."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from player.db.history_admin import HistoryAdmin, HistoryExportError
from tests.factories import add_tracks

DAY = 86_400.0
T0 = 1_700_000_000.0


@pytest.fixture
def filled(db):
    """3 library listens on days 0, 1, 2; 1 imported listen on day 3; one like; a cache row."""
    ids = add_tracks(db, 3)
    for day, track_id in enumerate(ids):
        db.execute("INSERT INTO listen (track_id, started_at, utc_offset_min, ms_played, "
                   "duration_ms, end_reason, is_play) VALUES (?, ?, 60, 120000, 180000, "
                   "'ended', 1)", (track_id, T0 + day * DAY))
    ext = db.execute("INSERT INTO external_track (artist, title, album, match_key) "
                     "VALUES ('Ext, \"Quoted\"', 'Ünïcode', '', 'k')")
    db.execute("INSERT INTO listen (external_id, started_at, origin, origin_key) "
               "VALUES (?, ?, 'lastfm', 'x1')", (ext, T0 + 3 * DAY))
    db.execute("INSERT INTO track_feedback (track_id, liked, updated_at) VALUES (?, 1, ?)",
               (ids[0], T0))
    db.execute("INSERT INTO recommendation_cache (key, created_at, payload) VALUES ('k', 0, '{}')")
    return db


def test_pause_recording_persists(db) -> None:
    admin = HistoryAdmin(db)
    assert admin.recording_paused() is False
    admin.set_recording_paused(True)
    assert HistoryAdmin(db).recording_paused() is True


def test_delete_range_is_half_open_and_drops_derived_data(filled) -> None:
    admin = HistoryAdmin(filled)
    assert admin.count() == 4
    assert admin.delete_range(T0 + DAY, T0 + 2 * DAY) == 1  # day 1 only, not day 2
    assert admin.count() == 3
    assert filled.scalar("SELECT COUNT(*) FROM recommendation_cache") == 0
    assert admin.delete_range(T0 + 3 * DAY, None) == 1
    assert filled.scalar("SELECT COUNT(*) FROM external_track") == 0  # no listen refers to it
    assert admin.span() == (T0, T0 + 2 * DAY)


def test_delete_all_keeps_likes_unless_asked(filled) -> None:
    admin = HistoryAdmin(filled)
    assert admin.delete_all() == 4
    assert admin.count() == 0 and admin.span() is None
    assert filled.scalar("SELECT COUNT(*) FROM track_feedback") == 1
    admin.delete_all(include_feedback=True)
    assert filled.scalar("SELECT COUNT(*) FROM track_feedback") == 0


def test_export_csv(filled, tmp_path: Path) -> None:
    out = tmp_path / "history.csv"
    assert HistoryAdmin(filled).export(out) == 4
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 4
    assert rows[0]["started_at_utc"] == "2023-11-14T22:13:20+00:00"
    assert rows[0]["path"].startswith("/music/") and rows[0]["is_play"] == "True"
    assert rows[3]["artist"] == 'Ext, "Quoted"' and rows[3]["title"] == "Ünïcode"
    assert rows[3]["origin"] == "lastfm"


def test_export_json_holds_listens_and_likes(filled, tmp_path: Path) -> None:
    out = tmp_path / "history.json"
    assert HistoryAdmin(filled).export(out) == 4
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "encore-history" and len(data["listens"]) == 4
    assert data["listens"][0]["ms_played"] == 120000
    assert data["feedback"][0]["liked"] is True


def test_export_empty_history_is_valid(db, tmp_path: Path) -> None:
    out = tmp_path / "empty.json"
    assert HistoryAdmin(db).export(out) == 0
    assert json.loads(out.read_text())["listens"] == []


def test_export_bad_format_and_unwritable_place(filled, tmp_path: Path) -> None:
    admin = HistoryAdmin(filled)
    with pytest.raises(HistoryExportError, match="Choose a .json or .csv"):
        admin.export(tmp_path / "history.xml")
    with pytest.raises(HistoryExportError):
        admin.export(tmp_path / "no such dir" / "h.csv")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_failed_export_leaves_the_old_file(filled, tmp_path: Path) -> None:
    out = tmp_path / "h.csv"
    out.write_text("old")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(HistoryExportError):
            HistoryAdmin(filled).export(out)
    finally:
        tmp_path.chmod(0o700)
    assert out.read_text() == "old"


def test_an_error_while_writing_removes_the_temporary_file(filled, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "h.json"
    out.write_text("old")

    def broken_rows(self):
        yield {"started_at": 1}
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(HistoryAdmin, "rows", broken_rows)
    with pytest.raises(RuntimeError):
        HistoryAdmin(filled).export(out)
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".encore-export-")] == []
