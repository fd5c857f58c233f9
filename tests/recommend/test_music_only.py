"""Music-only picks: the librosa clips as controls. Speech (LibriSpeech), a bird, a whale and a
dog are analysed for real; no output offers them (nor anything under 30 s) unless the listener
lets non-music in (Preferences: recommend.include_non_music)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from player.analysis.runner import AnalysisRunner
from player.core.clock import FakeClock
from player.db.preferences import Preferences
from player.library.scanner import Scanner
from player.recommend.data import Catalog
from player.recommend.eligibility import exclusions
from player.recommend.facts import Explainer, ListenHistory
from player.services.recommendations import RecommendationService
from tests.factories import make_db
from tests.recommend.test_facts import outputs

LIBROSA = Path(__file__).resolve().parents[3] / "shared" / "data" / "audio" / "librosa"
CONTROLS = ("198-209-0000", "3436-172162-0000", "5703-47212-0000",  # LibriSpeech speech
            "456440__inspectorj__bird", "glacier-bay-humpback", "pibble")  # bird, whale, dog


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):  # type: ignore[no-untyped-def]
    if not LIBROSA.is_dir():
        pytest.skip("the shared librosa clips are not here")
    db = make_db(tmp_path_factory.mktemp("librosa"))
    Scanner(db).scan([str(LIBROSA)])
    AnalysisRunner(db, workers=0).run()
    yield db
    db.close()


def _controls(db) -> set[int]:  # type: ignore[no-untyped-def]
    ids = {int(t) for t, p in db.query("SELECT id, path FROM track")
           if any(c in Path(p).name for c in CONTROLS)}
    assert len(ids) == 6
    return ids


def _picked(service: RecommendationService, at: float) -> set[int]:
    return {t.id for result, _ in outputs(service, at) for t in result.tracks}


def test_no_output_offers_the_non_music_controls_or_short_tracks(analysed) -> None:  # type: ignore[no-untyped-def]
    db = analysed
    controls = _controls(db)
    # the analysis itself tells the long controls (whale 65 s, dog 47 s) from music
    long_controls = {int(t) for (t,) in db.query("SELECT id FROM track WHERE duration >= 30")} & controls
    assert len(long_controls) == 2
    verdicts = dict(db.query("SELECT track_id, json_extract(features, '$.is_music') FROM audio_features"))
    assert all(verdicts[t] == 0 for t in controls)
    at = float(db.scalar("SELECT MAX(added_at) FROM track")) + 3600
    service = RecommendationService(db, FakeClock(at), utc_offset_min=0)  # the stored default
    picked = _picked(service, at)
    assert picked and not picked & controls
    short = {int(t) for (t,) in db.query("SELECT id FROM track WHERE duration < 30")}
    assert not picked & short


def test_the_setting_lets_non_music_in(analysed) -> None:  # type: ignore[no-untyped-def]
    db = analysed
    prefs = Preferences.load(db)
    prefs.include_non_music = True
    prefs.save(db)
    try:
        at = float(db.scalar("SELECT MAX(added_at) FROM track")) + 3600
        picked = _picked(RecommendationService(db, FakeClock(at), utc_offset_min=0), at)
        assert picked & _controls(db)
    finally:
        prefs.include_non_music = False
        prefs.save(db)


def test_a_short_effect_played_to_its_end_is_never_a_favourite() -> None:
    """A 0.3 s effect heard to its end five times is a play each time (PRODUCT.md), but it is
    kept out by default, and when let in its reason is its plain count, never a favourite."""
    catalog = Catalog(("click", "song"), ("", "Band"), added_at=np.array([1.0, 1.0]))
    now = 40 * 86400.0
    ts = np.array([now - 3600 * k for k in range(5, 0, -1)], dtype=np.float64)
    history = ListenHistory(np.zeros(5, np.int64), ts, np.zeros(5, np.int64), np.ones(5, bool),
                            np.zeros(5, bool), np.arange(5, dtype=np.int64))
    out = exclusions(np.array([0.3, 200.0]), np.array([np.nan, np.nan]), include_non_music=False,
                     listen_track=history.track, listen_ts=history.ts,
                     listen_is_play=history.is_play, listen_is_early_skip=history.is_early_skip,
                     now=now)
    assert out.indices() == {0}
    allowed = exclusions(np.array([0.3, 200.0]), np.array([np.nan, np.nan]), include_non_music=True,
                         listen_track=history.track, listen_ts=history.ts,
                         listen_is_play=history.is_play,
                         listen_is_early_skip=history.is_early_skip, now=now)
    assert allowed.indices() == set()
    fact = Explainer(catalog, history, now, 0).fact(0, "daily")
    assert fact.text == "played 5 times in the last 30 days" and "favourite" not in fact.text


def _kept_out(durations: list[float], quiet: list[float], *, include_non_music: bool = False) -> set[int]:
    none = np.zeros(0, np.int64)
    return set(exclusions(np.array(durations), np.full(len(durations), np.nan),
                          include_non_music=include_non_music, listen_track=none,
                          listen_ts=none.astype(np.float64), listen_is_play=none.astype(bool),
                          listen_is_early_skip=none.astype(bool), now=0.0,
                          quiet_share=np.array(quiet)).indices())


def test_a_jingle_padded_with_silence_is_not_a_song() -> None:
    """The Debian HyperRogue "tada.ogg": 30.0 s long, 85.7% of it near-silent (its analysis),
    a 4 s fanfare. It passes the 30 s rule and the music verdict (0.97), but not the sound
    rule; "March Thee to Dis" (43.2 s, 35.4% quiet) and unanalysed tracks stay in."""
    assert _kept_out([30.0, 43.2, 31.0, 200.0], [0.857, 0.354, np.nan, 0.9]) == {0}
    assert _kept_out([30.0, 43.2], [0.857, 0.354], include_non_music=True) == set()


def test_the_quiet_share_comes_from_the_stored_analysis(tmp_path: Path) -> None:
    from player.db.recommend_queries import load_traits
    from tests.factories import add_tracks

    db = make_db(tmp_path)
    try:
        jingle, song, fresh = add_tracks(db, 3)
        db.execute("UPDATE track SET duration = 30.0 WHERE id = ?", (jingle,))
        for track, quiet in ((jingle, 0.857), (song, 0.354)):
            db.execute("INSERT INTO audio_features (track_id, version, analysed_at, features) "
                       "VALUES (?, 2, 0, ?)", (track, f'{{"is_music": true, "low_energy_ratio": {quiet}}}'))
        traits = load_traits(db, [jingle, song, fresh])
    finally:
        db.close()
    assert traits.quiet_share[:2] == [0.857, 0.354] and np.isnan(traits.quiet_share[2])
    assert traits.is_music[:2] == [1.0, 1.0]
    kept_out = exclusions(np.array(traits.durations_s), np.array(traits.is_music),
                          include_non_music=False, listen_track=np.zeros(0, np.int64),
                          listen_ts=np.zeros(0), listen_is_play=np.zeros(0, bool),
                          listen_is_early_skip=np.zeros(0, bool), now=0.0,
                          quiet_share=np.array(traits.quiet_share))
    assert 0 in kept_out.indices()
