"""The recommendation service and CLI over a real SQLite database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from player.cli import main
from player.core.clock import FakeClock
from player.services.recommendations import RecommendationService
from tests.factories_listens import fill_database, synthetic_log


@pytest.fixture
def filled(db):  # type: ignore[no-untyped-def]
    log = synthetic_log(days=60)
    ids = fill_database(db, log)
    return db, log, ids


def _service(db, at: float) -> RecommendationService:  # type: ignore[no-untyped-def]
    return RecommendationService(db, FakeClock(at), utc_offset_min=60)


def test_daily_mixes_are_disjoint_spread_cached_and_stable_within_the_day(filled) -> None:  # type: ignore[no-untyped-def]
    db, log, _ = filled
    at = log[-1].started_at + 3600
    service = _service(db, at)
    mixes = service.daily_mixes(at)
    assert 2 <= len(mixes) <= 6
    seen: set[int] = set()
    for n, mix in enumerate(mixes):
        ids = [t.id for t in mix.tracks]
        assert 30 <= len(ids) <= 60
        assert not seen & set(ids), "a track in two mixes"
        seen |= set(ids)
        artists = [t.artist for t in mix.tracks]
        assert sum(a == b for a, b in zip(artists, artists[1:], strict=False)) <= 2
        assert mix.source == f"daily mix {n + 1}" and len(mix.reasons) == len(ids)
    # A new service (a restart) reads the same mixes from the cache, without fitting.
    again = _service(db, at + 600)
    assert [[t.id for t in m.tracks] for m in again.cached_daily_mixes(at + 600) or []] == \
        [[t.id for t in m.tracks] for m in mixes]
    tomorrow = service.daily_mixes(at + 86400)
    assert [t.id for t in tomorrow[0].tracks] != [t.id for t in mixes[0].tracks]


def test_right_now_steers_away_from_skips_and_never_runs_dry(filled) -> None:  # type: ignore[no-untyped-def]
    db, log, _ = filled
    at = log[-1].started_at + 3600
    session = _service(db, at).right_now(at)
    assert ":" in session.title
    first = session.next_tracks(3)
    skipped_genre_artist = first[0][0].artist.split()[0]
    for track, _ in first:
        session.skipped(track.id)
    after = [t.artist.split()[0] for t, _ in session.next_tracks(5)]
    assert after.count(skipped_genre_artist) < 5
    assert len(session.next_tracks(2000)) >= 300  # keeps going past the whole library


def test_dont_recommend_removes_a_track_everywhere(filled) -> None:  # type: ignore[no-untyped-def]
    db, log, _ = filled
    at = log[-1].started_at + 3600
    service = _service(db, at)
    victim = service.daily_mixes(at)[0].tracks[0].id
    service.dont_recommend(victim)
    assert all(victim not in [t.id for t in m.tracks] for m in service.daily_mixes(at))
    assert victim not in [t.id for t, _ in service.right_now(at).next_tracks(100)]


def test_cold_start_without_history_still_makes_mixes(db) -> None:  # type: ignore[no-untyped-def]
    fill_database(db, [])
    mixes = _service(db, 1_750_000_000.0).daily_mixes(1_750_000_000.0)
    assert mixes and all(len(m.tracks) >= 30 for m in mixes)
    # Cold clusters come from tags: most of a mix shares one genre.
    for mix in mixes:
        genres = [t.genre for t in mix.tracks]
        assert max(genres.count(g) for g in set(genres)) >= 0.8 * len(genres)


def test_cli_mix_radio_and_eval(filled, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db, _, ids = filled
    path = str(db.path)
    assert main(["--db", path, "mix", "--daily", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mixes"] and out["mixes"][0]["tracks"][0]["reason"]
    assert main(["--db", path, "mix", "--now", "--at", "2026-03-17 08:30", "--json"]) == 0
    now = json.loads(capsys.readouterr().out)["mixes"][0]
    assert now["title"].startswith("Tuesday morning") and len(now["tracks"]) == 30
    assert main(["--db", path, "radio", "artist:Jazz Artist 1", "--count", "5"]) == 0
    assert "Jazz Artist 1 radio" in capsys.readouterr().out
    assert main(["--db", path, "radio", "no such thing at all"]) == 2
    assert "Nothing in the library matches" in capsys.readouterr().err
    assert main(["--db", path, "mix", "--at", "yesterday"]) == 2


def test_cli_eval_reads_real_logs_and_refuses_bad_ones(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "user.tsv"
    rows = [f"u1\t2009-05-0{1 + i // 12}T{10 + i % 12:02d}:00:00Z\t\tArtist {i % 3}\t\tSong {i % 7}"
            for i in range(36)]
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["eval", "--listens", str(log), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["users"]["u1"]) >= {"hybrid", "random", "popularity", "recent", "actr"}
    assert result["info"]["u1"]["test_days"] == 3
    empty = tmp_path / "empty.tsv"
    empty.write_text("", encoding="utf-8")
    assert main(["eval", "--listens", str(empty)]) == 2
    assert main(["eval", "--listens", str(tmp_path / "missing.tsv")]) == 2
