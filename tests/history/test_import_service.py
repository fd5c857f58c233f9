"""Importing into a real SQLite file: report, dedupe, atomicity, matching, re-matching, CLI."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from player.cli import main as cli_main
from player.db.connection import Database
from player.db.imports import BatchWriter
from player.db.tracks import ScannedFile, TrackRepository
from player.history import import_service
from player.history.import_service import ImportCancelled, import_files, rematch_external
from player.history.importers import ImportFormatError
from tests.factories import LISTENS_TSV, make_tags
from tests.history.fixtures import exports


def counts(db: Database) -> tuple[int, int]:
    return (int(db.scalar("SELECT COUNT(*) FROM listen")),
            int(db.scalar("SELECT COUNT(*) FROM external_track")))


def add_library(db: Database, songs: list[tuple[str, str, str]], root: str = "/music") -> None:
    files = [ScannedFile(f"{root}/{i}.mp3", 1000, 1.0, f"{root}{i}",
                         make_tags(title=title, artists=(artist,), album=album))
             for i, (artist, title, album) in enumerate(songs)]
    TrackRepository(db).write_scanned(files, {})


def test_lastfm1k_every_row_accounted_for(db: Database) -> None:
    report = import_files(db, [LISTENS_TSV], tz="Asia/Tokyo")
    assert report.rows_read == 5000
    assert report.imported + report.duplicates + report.not_music + report.rejected == 5000
    assert report.imported == 5000 and report.rejected == 0
    assert report.users == {"user_000001": 4997, "user_000002": 3}
    assert report.formats == {str(LISTENS_TSV): "lastfm1k"}
    assert report.top_unmatched_artists[0] == ("坂本龍一", 703)
    assert counts(db)[0] == 5000
    row = db.query("SELECT origin, source, end_reason, is_play, utc_offset_min, ms_played "
                   "FROM listen ORDER BY started_at DESC LIMIT 1")[0]
    assert row == ("lastfm", "import", "imported", 1, 540, None)


def test_reimport_adds_nothing_and_the_same_file_twice_is_duplicates(db: Database, tmp_path: Path) -> None:
    path = exports.write_spotify_extended(tmp_path / "a.json")
    first = import_files(db, [path, path])
    assert first.imported == 4 and first.duplicates == 4 and first.not_music == 2
    before = counts(db)
    again = import_files(db, [path])
    assert again.imported == 0 and again.duplicates == 4
    assert counts(db) == before


def test_without_sqlite_json_functions_the_rows_are_the_same(db: Database, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("player.db.imports._has_json", lambda conn: False)  # old SQLite: executemany
    report = import_files(db, [exports.write_scrobbler_log(tmp_path / "a.log")])
    assert report.imported == 4
    rows = db.query("SELECT started_at, duration_ms, is_skip, end_reason FROM listen ORDER BY started_at")
    assert rows[1] == (exports.BASE + 240.0, 240_000, 1, "next")
    assert rows[0] == (exports.BASE + 0.0, 240_000, 0, "imported")


def test_values_survive_the_json_batch_path(db: Database, tmp_path: Path) -> None:
    report = import_files(db, [exports.write_spotify_extended(tmp_path / "a.json")], tz="Europe/Paris")
    assert report.imported == 4
    row = db.query("SELECT started_at, utc_offset_min, ms_played, duration_ms, end_reason, is_play, "
                   "is_skip, is_early_skip, origin, source, heartbeat_at FROM listen ORDER BY started_at "
                   "LIMIT 1")[0]
    assert row == (exports.BASE - 12.0, 120, 12_000, None, "next", 0, 1, 1, "spotify", "import",
                   float(exports.BASE))
    text = db.query("SELECT e.artist, e.title FROM listen l JOIN external_track e ON e.id = l.external_id "
                    "WHERE e.artist = 'Björk'")
    assert text and text[0] == ("Björk", "Jóga")


def test_overlapping_exports_merge(db: Database, tmp_path: Path) -> None:
    records = exports.spotify_extended_records(8)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(records[:5]), encoding="utf-8")
    b.write_text(json.dumps(records[3:]), encoding="utf-8")
    import_files(db, [a])
    report = import_files(db, [b])
    assert report.imported == 3 and report.duplicates == 2
    assert counts(db)[0] == 8


def test_a_failed_import_leaves_the_database_as_it_was(db: Database, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import_files(db, [exports.write_lastexport(tmp_path / "old.tsv")])
    before = counts(db)
    monkeypatch.setattr(import_service, "BATCH", 100)
    calls = {"n": 0}
    original = BatchWriter._insert_listens

    def failing(self: BatchWriter, rows: list[tuple[object, ...]]) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return original(self, rows)

    monkeypatch.setattr(BatchWriter, "_insert_listens", failing)
    with pytest.raises(OSError):
        import_files(db, [LISTENS_TSV])
    assert calls["n"] == 3
    assert counts(db) == before


def test_cancel_writes_nothing(db: Database) -> None:
    with pytest.raises(ImportCancelled):
        import_files(db, [LISTENS_TSV], progress=lambda p: p.rows < 2000)
    assert counts(db) == (0, 0)


def test_unknown_file_stops_before_writing(db: Database, tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n", encoding="utf-8")
    with pytest.raises(ImportFormatError):
        import_files(db, [LISTENS_TSV, bad])
    assert counts(db) == (0, 0)


def test_rejected_rows_are_counted_with_reasons(db: Database, tmp_path: Path) -> None:
    records = exports.spotify_extended_records(3)
    records[0]["ts"] = "1970-01-01T00:00:05Z"
    path = tmp_path / "h.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    report = import_files(db, [path])
    assert report.rejected == 1 and report.rejected_reasons == {"timestamp before 2000": 1}
    assert report.rejected_examples[0][0].endswith("h.json record 1")


def test_matching_and_rematch_when_the_library_grows(db: Database, tmp_path: Path) -> None:
    add_library(db, [("Daft Punk", "Digital Love", "Discovery")])
    report = import_files(db, [exports.write_lastexport(tmp_path / "x.tsv")])
    assert report.matched == 1 and report.music_listens == 4
    assert rematch_external(db) == 0  # nothing changed since the import
    add_library(db, [("Bjork", "Joga", "Homogenic"), ("Beatles", "Here Comes The Sun", "Abbey Road")],
                root="/more")
    assert rematch_external(db) == 2
    matched = db.scalar("SELECT COUNT(*) FROM listen WHERE track_id IS NOT NULL")
    assert matched == 3
    assert rematch_external(db) == 0
    add_library(db, [("Massive Attack", "Teardrop (Live)", "")], root="/live")
    assert rematch_external(db, full=True) == 1


def _vary(index: int, artist: str, title: str) -> tuple[str, str]:
    """How a user's files differ from the export's names, realistically."""
    kind = index % 6
    if kind == 0:
        return artist.upper(), title.lower()
    if kind == 1:
        return artist, f"{title} - Remastered 2011"
    if kind == 2:
        return artist, f"{title} (feat. Someone Else)"
    if kind == 3:
        plain = "".join(c for c in unicodedata.normalize("NFKD", artist) if not unicodedata.combining(c))
        return plain, f"{title} [Live]"
    if kind == 4:
        return f"The {artist}" if not artist.lower().startswith("the ") else artist[4:], title
    return f"{artist} feat. Guest", title + "!"


def test_99_percent_of_an_export_matches_a_library_tagged_from_it(db: Database) -> None:
    pairs: dict[tuple[str, str], None] = {}
    for line in LISTENS_TSV.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        pairs.setdefault((parts[3], parts[5]), None)
    songs = [(*_vary(i, artist, title), "") for i, (artist, title) in enumerate(pairs)]
    add_library(db, songs)
    report = import_files(db, [LISTENS_TSV])
    assert report.music_listens == 5000
    assert report.matched_percent >= 99.0, (report.matched_percent, report.top_unmatched_artists)
    assert report.matched_by.get("exact", 0) > 0


def test_cli_import_json_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "cli.db"
    path = exports.write_scrobbler_log(tmp_path / ".scrobbler.log")
    assert cli_main(["--db", str(db_path), "import", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["imported"] == 4 and data["rows_read"] == 4 and data["matched_percent"] == 0.0
    assert cli_main(["--db", str(db_path), "import", str(path), "--tz", "UTC"]) == 0
    out = capsys.readouterr()
    # stderr is not a terminal here: no progress bar in it
    assert "Already imported (a re-import): 4" in out.out and "importing" not in out.err
    assert cli_main(["--db", str(db_path), "import", str(path), "--tz", "Nowhere/Town"]) == 2
    assert "Unknown time zone" in capsys.readouterr().err
