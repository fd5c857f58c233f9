"""The offline protocol (metrics, test days, what counts) and the quality bar it measures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from player.recommend import evaluate as ev
from tests.factories_listens import SyntheticListen, synthetic_log

REAL_LOG = Path(__file__).resolve().parents[3] / "shared" / "data" / "listens" / "lastfm1k-user_000001.tsv"


def _listen(t: float, title: str, ms: int | None = None, user: str = "u") -> SyntheticListen:
    return SyntheticListen(user, t, 0, ms, None, "A", title, "")


def test_metrics_by_hand() -> None:
    ranked = np.array([5, 1, 7, 2])
    assert ev.recall_at(ranked, {1, 2, 9}, k=2) == pytest.approx(1 / 2)
    assert ev.recall_at(ranked, {1, 2, 9}, k=100) == pytest.approx(2 / 3)
    # hits at ranks 2 and 4 of 3 relevant: (1/log2(3) + 1/log2(5)) / (1 + 1/log2(3) + 1/2)
    expected = (1 / np.log2(3) + 1 / np.log2(5)) / (1 + 1 / np.log2(3) + 0.5)
    assert ev.ndcg_at(ranked, {1, 2, 9}) == pytest.approx(expected)
    assert ev.hit_at(ranked, {9}) == 0.0 and ev.hit_at(ranked, {7}) == 1.0


def test_test_days_are_the_last_30_dates_with_10_counting_listens() -> None:
    records = []
    for d in range(40):
        n = 10 if d % 2 == 0 else 9  # odd days have too few listens
        records += [_listen(d * 86400 + 60.0 * i, f"t{i}") for i in range(n)]
    # short listens do not count: day 39 gets 10 listens, 2 of them too short
    records += [_listen(39 * 86400 + 3000.0 + i, f"s{i}", ms=10_000) for i in range(2)]
    log = ev.group_by_user(records)["u"]
    days = ev.test_days(log)
    assert [int(d // 86400) for d in days] == list(range(0, 40, 2))
    assert len(log.catalog) == 12  # distinct (artist, title)


def test_users_are_kept_apart_and_thin_users_are_only_listed() -> None:
    records = [*synthetic_log(days=40, user="a"), _listen(0.0, "x", user="b")]
    result = ev.evaluate(records)
    assert set(result["users"]) == {"a"}  # type: ignore[arg-type]
    assert result["info"]["b"]["test_days"] == 0  # type: ignore[index]
    assert set(result["users"]["a"]) == set(ev.METHODS)  # type: ignore[index]


MIDNIGHT = 1_699_920_000.0  # 00:00 UTC
H = 3600.0


def _hand_log() -> ev.UserLog:
    """Day 0: a0..a9. Day 1: a0, a1, b0 at 10h; b1..b3 (new) at 12h; a2..a4 at 14h; b4 at 16h.
    Day 2: ten new tracks c0..c9 only."""
    day1 = MIDNIGHT + 86400
    records = [_listen(MIDNIGHT + 3600 + 60.0 * i, f"a{i}") for i in range(10)]
    records += [_listen(day1 + 10 * H, "a0"), _listen(day1 + 10 * H + 300, "a1"),
                _listen(day1 + 10 * H + 600, "b0")]
    records += [_listen(day1 + 12 * H + 60.0 * i, f"b{i}") for i in (1, 2, 3)]
    records += [_listen(day1 + 14 * H + 60.0 * i, f"a{i}") for i in (2, 3, 4)]
    records += [_listen(day1 + 16 * H, "b4")]
    records += [_listen(MIDNIGHT + 2 * 86400 + 3600 + 60.0 * i, f"c{i}") for i in range(10)]
    return ev.group_by_user(records)["u"]


def _unheard_first(log: ev.UserLog) -> ev.Scorer:
    """The v1 leak: rank what was not heard yet (the log's future) and nothing else."""
    def scorer(ctx: object, counting: ev.Interactions) -> np.ndarray:
        s = np.ones(len(log.catalog))
        s[counting.track] = -np.inf
        return s
    return scorer


def test_v2_ranks_only_heard_tracks_and_skips_days_and_hours_without_targets() -> None:
    log = _hand_log()
    assert len(ev.test_days(log)) == 3
    result = ev.evaluate_user(log, extra={"unheard": _unheard_first(log)})
    # Only day 1 has targets among the tracks heard before it (a0..a4 of the ten a's): every
    # method that ranks all ten candidates recalls them all.
    assert result["recent"]["recall@100"] == pytest.approx(1.0)
    assert result["popularity"]["recall@100"] == pytest.approx(1.0)
    # The leak case: ranking unheard tracks scores nothing, a day and an hour ahead.
    assert result["unheard"] == {"recall@100": 0.0, "ndcg@10": 0.0, "hr@10": 0.0}
    # Hours of day 1 with >= 3 counting listens and a heard target: 10h {a0, a1}, 14h
    # {a2, a3, a4} (12h plays only new tracks: skipped; 16h has one listen).
    ideal2 = 1 + 1 / np.log2(3)
    ideal3 = ideal2 + 0.5
    # most recent at 10h: a9 .. a0, so a1, a0 at ranks 9, 10; at 14h b3 b2 b1 b0 a1 a0 a9..a6
    recent = (1 / np.log2(10) + 1 / np.log2(11)) / ideal2 / 2 + 0.0 / 2
    assert result["recent"]["ndcg@10"] == pytest.approx(recent)
    assert result["recent"]["hr@10"] == pytest.approx(0.5)
    # play count, ties by index: a0, a1 first at 10h; at 14h a0, a1 (2 plays), then a2, a3, a4
    popular = 1.0 / 2 + (1 / np.log2(4) + 1 / np.log2(5) + 1 / np.log2(6)) / ideal3 / 2
    assert result["popularity"]["ndcg@10"] == pytest.approx(popular)


def test_identical_rows_are_one_listen_and_the_output_names_the_protocol() -> None:
    records = list(synthetic_log(days=40, user="a"))
    result = ev.evaluate(records + records[:500])
    assert result["protocol"] == "v2"
    assert result["info"]["a"]["listens"] == len(records)  # type: ignore[index]
    assert set(result["mean"]) == {*ev.METHODS, *ev.EXTRA_METHODS}  # type: ignore[arg-type]


BASELINES = ("random", "popularity", "recent", "actr")
DAY_AHEAD_GAP = ("issue 13, not met: the day-ahead ranker ranks below the best baseline on this "
                 "log (popularity or most recent; figures in docs/EVALUATION.md)")


def _evaluated(records: object) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """One fit per listener (before the first test day), as the dev-set table was run."""
    result = ev.evaluate(records, refit_every=30)  # type: ignore[arg-type]
    (user,) = result["users"]
    return result["users"][user], result["extra"][user]


def _assert_hour_ahead_bar(user: dict[str, dict[str, float]], extra: dict[str, dict[str, float]]) -> None:
    best = max(user[b]["ndcg@10"] for b in BASELINES)
    assert user["hybrid"]["ndcg@10"] > best, user
    assert user["context"]["ndcg@10"] > extra["context_free"]["ndcg@10"]


def _assert_day_ahead_bar(user: dict[str, dict[str, float]]) -> None:
    best = max(user[b]["recall@100"] for b in BASELINES)
    assert user["hybrid"]["recall@100"] > best, user


def _real_records() -> object:
    from player.history.importers import read_listens

    return [r for r in read_listens(REAL_LOG) if r.user == "user_000001"]


@pytest.mark.parametrize("seed", [7, 8])
def test_hour_ahead_bar_on_planted_habits(seed: int) -> None:
    _assert_hour_ahead_bar(*_evaluated(synthetic_log(seed=seed)))


@pytest.mark.parametrize("seed", [pytest.param(7, marks=pytest.mark.xfail(strict=True, reason=DAY_AHEAD_GAP)), 8])
def test_day_ahead_bar_on_planted_habits(seed: int) -> None:
    _assert_day_ahead_bar(_evaluated(synthetic_log(seed=seed))[0])


@pytest.mark.skipif(not REAL_LOG.exists(), reason="shared Last.fm-1K sample not present")
def test_hour_ahead_bar_on_a_real_lastfm_log() -> None:
    _assert_hour_ahead_bar(*_evaluated(_real_records()))


@pytest.mark.skipif(not REAL_LOG.exists(), reason="shared Last.fm-1K sample not present")
@pytest.mark.xfail(strict=True, reason=DAY_AHEAD_GAP)
def test_day_ahead_bar_on_a_real_lastfm_log() -> None:
    _assert_day_ahead_bar(_evaluated(_real_records())[0])
