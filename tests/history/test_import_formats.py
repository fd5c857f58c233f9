"""Every export format, recognised from content and read with the issue's semantics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from player.history.importers import (
    FORMATS,
    ImportedListen,
    ImportFormatError,
    Rejected,
    detect_format,
    read_listens,
    read_rows,
)
from tests.history.fixtures import exports
from tests.history.fixtures.exports import BASE


def listens(path: Path, **kw: object) -> list[ImportedListen]:
    return list(read_listens(path, **kw))  # type: ignore[arg-type]


def test_spotify_extended_start_is_end_minus_played_and_podcasts_are_not_music(tmp_path: Path) -> None:
    path = exports.write_spotify_extended(tmp_path / "odd name.txt")
    assert detect_format(path) == "spotify_extended"
    rows = listens(path, tz="Europe/Paris")
    assert len(rows) == 5
    first = rows[0]
    assert first.started_at == BASE - 12.0  # ts - ms_played
    assert first.ms_played == 12_000 and first.skipped is True and first.end_reason == "fwdbtn"
    assert first.utc_offset_min == 120  # Paris in September (summer time)
    assert first.user == "listener" and first.origin == "spotify"
    assert rows[1].skipped is False  # skipped null, reason_end trackdone
    podcast = rows[-1]
    assert not podcast.is_music and podcast.title == "Episode 12: Tape"
    assert all(r.is_music for r in rows[:-1])


def test_spotify_account_end_time_in_minutes(tmp_path: Path) -> None:
    path = exports.write_spotify_account(tmp_path / "StreamingHistory0.json")
    assert detect_format(path) == "spotify_account"
    rows = listens(path, tz="UTC")
    assert [r.title for r in rows] == ["Digital Love", "Jóga"]
    assert rows[0].started_at == 1600000200 - 301.0  # 2020-09-13 12:30 UTC minus msPlayed
    assert rows[0].ms_played == 301_000 and rows[0].utc_offset_min == 0


def test_spotify_account_podcast_file_is_not_music(tmp_path: Path) -> None:
    path = tmp_path / "StreamingHistory_podcast_0.json"
    path.write_text(json.dumps([{"endTime": "2021-01-01 10:00", "podcastName": "Show",
                                 "episodeName": "Ep", "msPlayed": 60000}]), encoding="utf-8")
    assert [r.is_music for r in listens(path)] == [False]


@pytest.mark.parametrize("writer", [exports.write_lastfm_csv_header, exports.write_lastfm_csv_headerless])
def test_lastfm_csv_both_shapes(tmp_path: Path, writer: object) -> None:
    path = writer(tmp_path / "scrobbles.csv")  # type: ignore[operator]
    assert detect_format(path) == "lastfm_csv"
    rows = listens(path)
    assert [(r.artist, r.title) for r in rows] == [(a, t) for a, t, _, _ in exports.SONGS]
    assert all(r.ms_played is None and r.origin == "lastfm" for r in rows)
    if writer is exports.write_lastfm_csv_header:
        assert rows[0].started_at == BASE  # uts wins over the minute-only utc_time
        assert rows[1].mbid == exports.SONGS[1][3]
    else:
        assert rows[0].started_at == BASE - 40  # "13 Sep 2020 12:26": minutes only


def test_lastexport_tsv(tmp_path: Path) -> None:
    path = exports.write_lastexport(tmp_path / "exported_tracks.txt")
    assert detect_format(path) == "lastexport"
    rows = listens(path)
    assert rows[1].artist == "Björk" and rows[1].title == "Jóga" and rows[1].album == "Homogenic"
    assert rows[1].mbid == exports.SONGS[1][3] and rows[1].started_at == BASE + 240


@pytest.mark.parametrize("lines", [False, True])
def test_listenbrainz_array_and_json_lines(tmp_path: Path, lines: bool) -> None:
    path = exports.write_listenbrainz(tmp_path / "listens.json", lines=lines)
    assert detect_format(path) == "listenbrainz"
    rows = listens(path)
    assert len(rows) == 4 and rows[0].user == "lb_user" and rows[0].duration_ms == 240_000
    assert rows[1].mbid == exports.SONGS[1][3] and rows[0].mbid == ""
    assert rows[3].started_at == BASE + 720 and rows[0].ms_played is None


def test_scrobbler_log_ratings_and_zones(tmp_path: Path) -> None:
    utc = listens(exports.write_scrobbler_log(tmp_path / ".scrobbler.log"))
    assert [r.skipped for r in utc] == [False, True, False, False]
    assert utc[1].end_reason == "skipped" and utc[0].duration_ms == 240_000
    assert utc[0].started_at == BASE and utc[0].origin == "scrobbler"
    local = exports.write_scrobbler_log(tmp_path / "local.log", tz_line="#TZ/UNKNOWN")
    assert detect_format(local) == "scrobbler_log"
    tokyo = listens(local, tz="Asia/Tokyo")
    assert tokyo[0].started_at == BASE - 9 * 3600  # device clock was Tokyo wall time
    assert tokyo[0].utc_offset_min == 540


def test_formats_are_named() -> None:
    assert set(FORMATS) == {"spotify_extended", "spotify_account", "lastfm_csv", "lastexport",
                            "lastfm1k", "listenbrainz", "scrobbler_log"}


def test_origin_keys_are_stable_across_reads(tmp_path: Path) -> None:
    path = exports.write_spotify_extended(tmp_path / "a.json")
    assert [r.origin_key for r in listens(path)] == [r.origin_key for r in listens(path)]
    assert len({r.origin_key for r in listens(path)}) == 5


def test_big_json_array_streams_across_chunks(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    records = exports.spotify_extended_records(20_000)
    path.write_text(json.dumps(records), encoding="utf-8")  # > 1 MiB: several reader chunks
    assert path.stat().st_size > 3 << 20
    rows = listens(path)
    assert len(rows) == 20_000 and rows[-1].title == records[-1]["master_metadata_track_name"]


def test_unknown_zone_is_a_clear_error(tmp_path: Path) -> None:
    path = exports.write_lastexport(tmp_path / "x.tsv")
    with pytest.raises(ImportFormatError, match="Unknown time zone"):
        listens(path, tz="Mars/Olympus")


def test_rows_with_missing_fields_are_rejected_not_lost(tmp_path: Path) -> None:
    records = exports.spotify_extended_records(2)
    records.append({"ts": "2020-09-13T12:00:00Z"})  # no ms_played
    records.append({"ts": "2020-09-13T12:00:00Z", "ms_played": 1000,
                    "master_metadata_track_name": None, "master_metadata_album_artist_name": None})
    records.append("not an object")
    path = tmp_path / "h.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    rows = list(read_rows(path))
    reasons = [r.reason for r in rows if isinstance(r, Rejected)]
    assert len(rows) == 5 and len(reasons) == 3
    assert "missing or unreadable ts / ms_played" in reasons
    assert "no artist or title" in reasons and "a record is not a JSON object" in reasons
