"""The learned ranker: its features on hand-made histories, its training, its fallback."""

from __future__ import annotations

import numpy as np
import pytest

from player.recommend import content, hybrid, ranker
from player.recommend.data import DAY, HOUR, Catalog, Interactions, RecData, ScoringContext
from player.recommend.evaluate import group_by_user
from tests.factories_listens import synthetic_log

T0 = 1_699_920_000.0  # 00:00 UTC


def _catalog(n: int = 6) -> Catalog:
    return Catalog(tuple(f"t{i}" for i in range(n)), ("A", "A", "A", "B", "B", "C")[:n],
                   ("a1", "a1", "a2", "b1", "b1", "c1")[:n])


def _features(tracks: list[int], times: list[float], now: float, horizon: str = "hour",
              **kw: object) -> dict[str, np.ndarray]:
    catalog = _catalog()
    h = Interactions.build(tracks, times, **kw)  # type: ignore[arg-type]
    parts = ranker.PartModels(hybrid.collaborative.similarity_before(
        hybrid.collaborative.session_pairs(RecData(catalog, h)), len(catalog)),
        content.item_features(catalog))
    return ranker.features(ranker.items_of(catalog), parts,
                           ScoringContext(now, h, horizon, 0))  # type: ignore[arg-type]


def test_transitions_follow_this_listeners_sessions() -> None:
    # Every evening: 0 then 3 (same session); once 0 then 4. Now 0 was just played.
    tracks, times = [], []
    for d in range(4):
        tracks += [0, 3 if d < 3 else 4]
        times += [T0 + d * DAY + 20 * HOUR, T0 + d * DAY + 20 * HOUR + 240]
    tracks.append(0)
    times.append(T0 + 5 * DAY + 20 * HOUR)
    f = _features(tracks, times, T0 + 5 * DAY + 20 * HOUR + 200)
    assert f["trans_1"][3] == pytest.approx(3 / 4) and f["trans_1"][4] == pytest.approx(1 / 4)
    assert f["trans_1"][1] == 0.0
    assert f["sess_plays"][0] == 1.0 and f["sess_plays"][3] == 0.0
    assert f["gap_min"][0] == pytest.approx(np.log1p(200 / 60))
    # artist B follows artist A in 4 of the 4 sessions that A was last in
    assert f["a_trans"][3] == pytest.approx(1.0) and f["a_trans"][5] == 0.0


def test_due_ness_and_memory_of_a_daily_track() -> None:
    # Track 1 every day at 08:00 for ten days; track 2 once, long ago; track 4 only skipped.
    times = [T0 + d * DAY + 8 * HOUR for d in range(10)]
    tracks = [1] * 10 + [2, 4]
    times += [T0 - 30 * DAY, T0 + 9 * DAY + 9 * HOUR]
    ms: list[float | None] = [None] * 11 + [5_000.0]
    now = T0 + 10 * DAY + 8 * HOUR  # a day after the last play: due
    f = _features(tracks, times, now, ms_played=ms)
    assert f["gap_h"][1] == pytest.approx(np.log1p(24.0))
    assert f["due"][1] == pytest.approx(0.0, abs=1e-9)
    assert f["yesterday"][1] == 1.0 and f["last_week"][1] == 1.0  # at this hour, 1 and 7 days ago
    assert f["hour_share"][1] > 0.8 and f["hour_share"][2] < f["hour_share"][1]
    assert f["win_7d"][1] == 7.0 and f["win_1d"][1] == 1.0 and f["win_1h"][1] == 0.0
    assert np.isnan(f["since_last_h"][4]) and f["skip_rate"][4] == 1.0
    assert f["a_plays"][0] == pytest.approx(np.log1p(11))  # artist A: tracks 0, 1, 2
    assert f["share_of_artist"][1] == pytest.approx(10 / 11)


def test_distinct_days_of_a_track_its_artist_and_album_a_day_ahead() -> None:
    now = T0 + 20 * DAY  # a day cut
    # track 0 (artist A, album a1) played 10, 5, 2 and 1 days back; track 1 (A, a1) 1 day back;
    # track 2 (A, a2) 40 days back; track 3 (B) skipped 1 day back.
    tracks = [0, 0, 0, 0, 1, 2, 3]
    times = [now - 10 * DAY + HOUR, now - 5 * DAY + HOUR, now - 2 * DAY + HOUR, now - DAY + HOUR,
             now - DAY + 2 * HOUR, now - 40 * DAY + HOUR, now - DAY + 3 * HOUR]
    ms: list[float | None] = [None] * 6 + [4_000.0]
    order = np.argsort(times)
    f = _features([tracks[i] for i in order], [times[i] for i in order], now, "day",
                  ms_played=[ms[i] for i in order])
    assert [f[f"days_{d}"][0] for d in ranker.DAY_WINDOWS] == [2, 3, 4, 4, 4]
    assert f["days_3"][3] == 0  # a skip is not a day played
    assert f["a_days_7"][0] == f["a_days_7"][2] == 3  # artist A on days 1, 2 and 5 back
    assert f["a_days_90"][2] == 5  # ... and 10 and 40
    assert f["al_days_7"][0] == 3 and f["al_days_90"][2] == 1  # album a2: day 40 only
    assert f["user_days_30"][0] == 4  # the listener was active on days 1, 2, 5 and 10 back
    assert "days_3" not in _features([0], [now - HOUR], now, "hour")  # a day-ahead feature only


def test_a_ranker_is_trained_on_a_long_history_and_not_on_a_short_one() -> None:
    log = group_by_user(synthetic_log(days=90, seed=3))["synthetic"]
    model = hybrid.fit(RecData(log.catalog, log.listens))
    assert set(model.rankers) == {"day", "hour"}
    assert model.rankers["hour"].trained_on >= ranker.MIN_CUTS
    now = float(log.listens.ts[-1]) + HOUR
    s = hybrid.score(model, ScoringContext(now, log.listens, "hour", 60))
    assert s.shape == (len(log.catalog),) and np.isfinite(s).all()
    short = log.listens.before(float(log.listens.ts[0]) + 3 * DAY)
    small = hybrid.fit(RecData(log.catalog, short))
    assert small.rankers == {}  # falls back to the blend
    s = hybrid.score(small, ScoringContext(now, short, "hour", 60))
    assert np.isfinite(s).all()


def test_training_cuts_have_their_whole_label_period_in_the_data() -> None:
    log = group_by_user(synthetic_log(days=60, seed=5))["synthetic"]
    h = log.listens
    for horizon, span in (("day", DAY), ("hour", HOUR)):
        cuts = ranker.training_cuts(h, horizon)  # type: ignore[arg-type]
        assert ranker.MIN_CUTS <= len(cuts) <= ranker.TRAIN_CUTS[horizon] and cuts == sorted(cuts)
        assert all(c + span <= h.ts[-1] and c > h.ts[0] for c in cuts)
        if horizon == "hour":  # busy hours only, like the hours Right now is judged on
            assert all(((h.ts >= c) & (h.ts < c + span)).sum() >= ranker.MIN_HOUR_PLAYS for c in cuts)
