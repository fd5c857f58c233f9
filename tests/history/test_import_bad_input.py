"""Bad input, each a test: every problem gets a clear reason and loses nothing readable."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from player.history.importers import (
    ImportedListen,
    ImportFormatError,
    Rejected,
    SkippedFile,
    detect_format,
    read_listens,
    read_rows,
    sources,
)
from tests.history.fixtures import exports


def test_truncated_json_keeps_the_complete_records(tmp_path: Path) -> None:
    text = json.dumps(exports.spotify_extended_records(4))
    path = tmp_path / "Streaming_History_Audio_2020.json"
    path.write_text(text[: text.rindex("{") + 30], encoding="utf-8")  # cut inside record 4
    rows = list(read_rows(path))
    listens = [r for r in rows if isinstance(r, ImportedListen)]
    problems = [r for r in rows if isinstance(r, Rejected)]
    assert len(listens) == 3
    assert len(problems) == 1 and "truncated or damaged" in problems[0].reason


def test_a_damaged_json_line_loses_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "listens.jsonl"
    first, second = (json.dumps(r) for r in exports.listenbrainz_records()[:2])
    path.write_text(f'{first}\n{{"listened_at": 1600000000, "track_metadata": {{\n{second}\n', encoding="utf-8")
    rows = list(read_rows(path))
    assert [type(r).__name__ for r in rows] == ["ImportedListen", "Rejected", "ImportedListen"]
    assert "damaged JSON line" in rows[1].reason  # type: ignore[union-attr]


def test_wrong_format_is_refused_in_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Dear diary,\nToday I listened to music.\n", encoding="utf-8")
    assert detect_format(path) == "unknown"
    with pytest.raises(ImportFormatError, match="not a listening history"):
        list(read_listens(path))
    other_json = tmp_path / "settings.json"
    other_json.write_text('{"volume": 3}', encoding="utf-8")
    with pytest.raises(ImportFormatError, match="not a listening history"):
        list(read_listens(other_json))


def test_forced_format_that_does_not_fit_is_refused(tmp_path: Path) -> None:
    path = exports.write_listenbrainz(tmp_path / "lb.json")
    with pytest.raises(ImportFormatError, match="looks like listenbrainz, not spotify_extended"):
        list(read_listens(path, format="spotify_extended"))
    with pytest.raises(ImportFormatError, match="Unknown format"):
        list(read_listens(path, format="winamp"))


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"[]", b"\xef\xbb\xbf", b"[\n]\n"])
def test_empty_files_give_no_rows(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(content)
    assert detect_format(path) == "empty"
    rows = list(read_rows(path))
    assert len(rows) == 1 and isinstance(rows[0], SkippedFile) and "empty" in rows[0].reason


@pytest.mark.parametrize("bom,encoding", [(b"\xef\xbb\xbf", "utf-8"), (b"", "utf-16")])
def test_byte_order_marks(tmp_path: Path, bom: bytes, encoding: str) -> None:
    csv_path = tmp_path / "bom.csv"
    exports.write_lastfm_csv_header(csv_path, encoding=encoding)
    csv_path.write_bytes(bom + csv_path.read_bytes())
    json_path = tmp_path / "bom.json"
    json_path.write_bytes(bom + json.dumps(exports.listenbrainz_records()).encode(encoding))
    for path in (csv_path, json_path):
        rows = list(read_listens(path))
        assert [r.artist for r in rows][:2] == ["Daft Punk", "Björk"], path


def test_cp1252_csv_falls_back_per_line(tmp_path: Path) -> None:
    path = exports.write_lastfm_csv_headerless(tmp_path / "old.csv", encoding="cp1252")
    assert b"Bj\xf6rk" in path.read_bytes()
    rows = list(read_listens(path))
    assert rows[1].artist == "Björk" and rows[1].title == "Jóga"


def test_absurd_timestamps_are_rejected_rows(tmp_path: Path) -> None:
    records = exports.spotify_extended_records(3)
    records[0]["ts"] = "1970-01-01T00:00:05Z"
    records[1]["ts"] = "2999-12-31T00:00:00Z"
    path = tmp_path / "h.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    rows = list(read_rows(path))
    assert [type(r).__name__ for r in rows] == ["Rejected", "Rejected", "ImportedListen"]
    assert "before 2000" in rows[0].reason and "future" in rows[1].reason  # type: ignore[union-attr]


def test_spotify_zip_reads_history_and_skips_other_entries(tmp_path: Path) -> None:
    path = tmp_path / "my_spotify_data.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Spotify Extended Streaming History/ReadMeFirst.pdf", b"%PDF-1.4 not json")
        archive.writestr("Spotify Extended Streaming History/Streaming_History_Audio_2020.json",
                         json.dumps(exports.spotify_extended_records(4)))
        archive.writestr("Spotify Extended Streaming History/Streaming_History_Audio_2021.json",
                         json.dumps(exports.spotify_extended_records(2, start=1_620_000_000)))
    assert detect_format(path) == "zip"
    rows = list(read_rows(path))
    assert sum(isinstance(r, ImportedListen) for r in rows) == 6
    skipped = [r for r in rows if isinstance(r, SkippedFile)]
    assert len(skipped) == 1 and skipped[0].where.endswith("ReadMeFirst.pdf")


def test_zip_with_nested_and_huge_entries_is_guarded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("a.json", "[]")
    path = tmp_path / "outer.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(inner, "nested/inner.zip")
        with archive.open("bomb.json", "w") as entry:  # 80 MiB of spaces: ~80 KiB compressed
            block = b" " * (1 << 20)
            for _ in range(80):
                entry.write(block)
        archive.writestr("big.json", json.dumps(exports.listenbrainz_records() * 20))
        archive.writestr("ok.json", json.dumps(exports.listenbrainz_records()))
    monkeypatch.setattr(sources, "MAX_ENTRY_BYTES", 5000)  # "big.json" counts as huge here
    rows = list(read_rows(path))
    reasons = {Path(r.where.split("!")[1]).name: r.reason for r in rows if isinstance(r, SkippedFile)}
    assert "archive inside the archive" in reasons["inner.zip"]
    assert "too big" in reasons["big.json"]
    assert "expands more than 200 times" in reasons["bomb.json"] or "too big" in reasons["bomb.json"]
    assert sum(isinstance(r, ImportedListen) for r in rows) == 4


def test_bomb_ratio_alone_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("x.json", "w") as entry:
        for _ in range(80):
            entry.write(b"0" * (1 << 20))
    rows = list(read_rows(path))
    assert len(rows) == 1 and isinstance(rows[0], SkippedFile) and "zip bomb" in rows[0].reason


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="Cannot read"):
        list(read_rows(tmp_path / "nope.json"))


def test_nested_lists_of_objects_inside_records_read_right(tmp_path: Path) -> None:
    records = exports.listenbrainz_records() * 3000  # > 1 MiB: batches end inside records
    for i, record in enumerate(records):
        record = json.loads(json.dumps(record))
        record["listened_at"] = exports.BASE + i
        record["track_metadata"]["mbid_mapping"] = {  # type: ignore[index]
            "artists": [{"artist_credit_name": "A", "join_phrase": " & "},
                        {"artist_credit_name": "B", "join_phrase": ""}],
            "recording_mbid": f"00000000-0000-4000-8000-{i:012d}"}
        records[i] = record
    path = tmp_path / "listens.json"
    path.write_text(json.dumps(records, indent=1), encoding="utf-8")
    rows = list(read_rows(path))
    assert len(rows) == 12_000 and all(isinstance(r, ImportedListen) for r in rows)
    assert [r.started_at for r in rows] == [exports.BASE + i for i in range(12_000)]  # type: ignore[union-attr]


def test_damage_in_the_middle_of_a_big_array_keeps_what_came_before(tmp_path: Path) -> None:
    records = exports.spotify_extended_records(9000)
    text = json.dumps(records, indent=2)
    damaged_at = text.index('"ms_played"', len(text) // 2)
    path = tmp_path / "h.json"
    path.write_text(text[:damaged_at] + '"ms_played": ,' + text[damaged_at + len('"ms_played": 200000,'):],
                    encoding="utf-8")
    rows = list(read_rows(path))
    listens = [r for r in rows if isinstance(r, ImportedListen)]
    assert 4000 < len(listens) < 4600 and isinstance(rows[-1], Rejected)
    assert "damaged" in rows[-1].reason
    assert [r.started_at for r in listens] == [r.started_at for r in read_listens(path)]
