"""Reasons are facts: every pick of every output (Daily Mixes, Right now, radio, Rediscover,
Fresh) states something the database confirms, on a real imported Last.fm log matched to a
library, on a fresh library with no history, and with only early skips as history."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from player.core.clock import FakeClock
from player.db.features import FeatureRepository, FeatureRow
from player.db.tracks import ScannedFile, TrackRepository
from player.history.import_service import import_files
from player.history.importers import read_listens
from player.library.scanner import Scanner
from player.services.recommendations import MixResult, RecommendationService
from tests.factories import LISTENS_TSV, make_db, make_tags
from tests.recommend.fact_check import PLAY_CLAIMS, check

LIBROSA = Path(__file__).resolve().parents[3] / "shared" / "data" / "audio" / "librosa"
TOKYO = 540


def outputs(service: RecommendationService, at: float) -> list[tuple[MixResult, list]]:
    """(result, facts) of every output; radio from the first Daily Mix's opener."""
    out = [(m, m.facts) for m in service.daily_mixes(at)]
    session = service.right_now(at)
    picks = session.next_tracks(40)
    out.append((MixResult(session.title, "", "now", [t for t, _ in picks], [r for _, r in picks],
                          "context queue", ""), list(session.last_facts)))
    seed = out[0][0].tracks[0] if out and out[0][0].tracks else None
    if seed is not None:
        radio = service.radio(str(seed.id), at)
        picks = radio.next_tracks(30)
        out.append((MixResult(radio.title, "", "radio", [t for t, _ in picks], [r for _, r in picks],
                              "radio", ""), list(radio.last_facts)))
    for extra in (service.rediscover(at), service.fresh(at)):
        out.append((extra, extra.facts))
    return out


def check_all(db, service: RecommendationService, at: float) -> Counter[str]:  # type: ignore[no-untyped-def]
    ids = [int(t) for t in service.fitted().ids]
    kinds: Counter[str] = Counter()
    for result, stated in outputs(service, at):
        assert len(stated) == len(result.tracks) == len(result.reasons), result.title
        for track, reason, fact in zip(result.tracks, result.reasons, stated, strict=True):
            assert reason == fact.text
            check(db, track.id, fact, ids, at, service.offset(at))
            kinds[fact.kind] += 1
    return kinds


@pytest.fixture(scope="module")
def lastfm(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The shared Last.fm-1K sample imported into a library of its 150 most played songs
    (plus every song of its last 30 days), with (synthetic) analysis vectors for sound."""
    db = make_db(tmp_path_factory.mktemp("lastfm"))
    listens = [r for r in read_listens(LISTENS_TSV, tz="Asia/Tokyo") if r.user == "user_000001"]
    end = max(r.started_at for r in listens)
    counts = Counter((r.artist, r.title) for r in listens)
    recent = {(r.artist, r.title) for r in listens if r.started_at >= end - 30 * 86400}
    songs = [s for s, _ in counts.most_common(150)] + sorted(recent - {s for s, _ in counts.most_common(150)})
    files = [ScannedFile(f"/music/{i}.mp3", 1000, 1.0, f"fp{i}",
                         make_tags(title=title, artists=(artist,), album="", duration=200.0 + i))
             for i, (artist, title) in enumerate(songs)]
    TrackRepository(db).write_scanned(files, {})
    db.execute("UPDATE track SET added_at = ?", (min(r.started_at for r in listens) - 86400,))
    ids = [int(r[0]) for r in db.query("SELECT id FROM track ORDER BY id")]
    rng = np.random.default_rng(3)
    FeatureRepository(db).save([FeatureRow(t, {"is_music": True}, rng.normal(size=8)) for t in ids], 1)
    import_files(db, [LISTENS_TSV], tz="Asia/Tokyo")
    yield db, end + 3600
    db.close()


def test_every_pick_on_an_imported_lastfm_log_states_a_true_fact(lastfm) -> None:  # type: ignore[no-untyped-def]
    db, at = lastfm
    matched = db.scalar("SELECT COUNT(*) FROM listen l JOIN external_track e ON e.id = l.external_id "
                        "WHERE e.track_id IS NOT NULL")
    assert matched > 1000
    service = RecommendationService(db, FakeClock(at), utc_offset_min=TOKYO, include_non_music=False)
    kinds = check_all(db, service, at)
    # History-backed facts are used, not only "in your library".
    assert kinds["recent_plays"] + kinds["habit"] + kinds["played"] > 20, kinds
    assert kinds["follows"] + kinds["sounds_like"] > 0, kinds


@pytest.fixture
def fresh_library(tmp_path):  # type: ignore[no-untyped-def]
    if not LIBROSA.is_dir():
        pytest.skip("the shared librosa clips are not here")
    db = make_db(tmp_path)
    Scanner(db).scan([str(LIBROSA)])
    yield db
    db.close()


def test_every_pick_on_a_fresh_library_states_a_true_fact(fresh_library) -> None:  # type: ignore[no-untyped-def]
    db = fresh_library
    at = float(db.scalar("SELECT MAX(added_at) FROM track")) + 3600
    service = RecommendationService(db, FakeClock(at), utc_offset_min=0, include_non_music=False)
    kinds = check_all(db, service, at)
    assert kinds and set(kinds) <= {"unplayed", "added", "seed_artist", "seed_sound"}, kinds


def test_four_early_skips_claim_no_play_habit_or_favourite(fresh_library) -> None:  # type: ignore[no-untyped-def]
    db = fresh_library
    at = float(db.scalar("SELECT MAX(added_at) FROM track")) + 3600
    # today's mixes are built (and cached) first: the skips come later the same day
    RecommendationService(db, FakeClock(at - 900), utc_offset_min=0, include_non_music=False).daily_mixes()
    skipped = [int(r[0]) for r in db.query("SELECT id FROM track WHERE duration >= 30 ORDER BY id LIMIT 4")]
    db.executemany(
        "INSERT INTO listen (track_id, started_at, utc_offset_min, ms_played, duration_ms, end_reason, "
        "is_play, is_skip, is_early_skip, session_id) VALUES (?, ?, 0, 11000, 120000, 'next', 0, 1, 1, 1)",
        [(t, at - 600 + 20 * k) for k, t in enumerate(skipped)])
    service = RecommendationService(db, FakeClock(at), utc_offset_min=0, include_non_music=False)
    kinds = check_all(db, service, at)
    assert not set(kinds) & PLAY_CLAIMS, kinds
    for result, stated in outputs(service, at):
        picked = {t.id for t in result.tracks}
        assert not picked & set(skipped), f"{result.title} offers a track just skipped early"
        for fact in stated:
            assert "played" not in fact.text.replace("never played", ""), fact.text
