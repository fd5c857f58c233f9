"""A rejected command leaves nothing behind; one unreadable stored playlist spoils no other."""

from __future__ import annotations

import json

import pytest

from player.cli import main
from player.db.connection import Database
from tests.playlists.helpers import add_named


def _run(capsys: pytest.CaptureFixture[str], db: Database, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["--db", db.path, "playlist", *argv])
    except SystemExit as exc:  # refused by argparse (bounded numbers)
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _names(db: Database) -> list[str]:
    return [r[0] for r in db.query("SELECT name FROM playlist WHERE deleted_at IS NULL ORDER BY id")]


@pytest.mark.parametrize("args", [
    ("--limit", "99999999999999999999"), ("--limit", "-1"),
    ("--rule", "play_count > 1e400"), ("--rule", "play_count > nan"), ("--rule", "tempo < inf"),
    ("--rule", "play_count > 1", "--days", "nan"), ("--rule", "play_count > 1", "--days", "1e300"),
    ("--rule", "last_played in_last_days 1e308"),
])
def test_a_smart_playlist_with_an_impossible_value_is_refused_and_not_saved(
        db: Database, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    add_named(db, [("/m/a.mp3", "Miles", "So What", "Jazz")])
    _run(capsys, db, "list")
    before = _names(db)
    code, _, err = _run(capsys, db, "smart", "S", *args)
    assert code == 2, err
    assert "Traceback" not in err and "encore" in err
    assert _names(db) == before
    code, _, err = _run(capsys, db, "list")
    assert code == 0, err


def test_a_stored_playlist_that_cannot_be_read_is_reported_not_fatal(
        db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    add_named(db, [("/m/a.mp3", "Miles", "So What", "Jazz")])
    assert _run(capsys, db, "create", "Fine")[0] == 0
    assert _run(capsys, db, "add", "Fine", "--search", "jazz")[0] == 0
    now = 1.0
    db.execute("INSERT INTO playlist (name, kind, rules, created_at, updated_at) VALUES "
               "('Old bad', 'smart', ?, ?, ?)", (json.dumps({"limit": 10**20}), now, now))
    db.execute("INSERT INTO playlist (name, kind, rules, created_at, updated_at) VALUES "
               "('Not JSON', 'smart', '{broken', ?, ?)", (now, now))
    code, out, err = _run(capsys, db, "list")
    assert code == 0
    assert "Fine" in out and "Old bad" in out and "Not JSON" in out
    assert "Old bad) cannot be read" in err and "Not JSON) cannot be read" in err
    code, out, _ = _run(capsys, db, "list", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["Fine"]["tracks"] == 1 and rows["Old bad"]["tracks"] is None


def test_list_counts_in_sql(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    ids = add_named(db, [("/m/a.mp3", "Miles", "So What", "Jazz"), ("/m/b.mp3", "Monk", "Misterioso", "Jazz")])
    assert _run(capsys, db, "create", "Two")[0] == 0
    assert _run(capsys, db, "add", "Two", *map(str, ids.values()), str(ids["So What"]))[0] == 0
    assert _run(capsys, db, "smart", "Jazz", "--rule", "genre contains jazz", "--limit", "1")[0] == 0
    _, out, _ = _run(capsys, db, "list", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["Two"]["tracks"] == 3 and rows["Jazz"]["tracks"] == 1
