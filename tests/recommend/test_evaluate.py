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


def _assert_quality_bar(user: dict[str, dict[str, float]], extra: dict[str, dict[str, float]]) -> None:
    baselines = ("random", "popularity", "recent", "actr")
    for metric in ("recall@100", "ndcg@10"):
        best = max(user[b][metric] for b in baselines)
        assert user["hybrid"][metric] > best, (metric, user)
    assert user["context"]["ndcg@10"] > extra["context_free"]["ndcg@10"]


@pytest.mark.parametrize("seed", [7, 8])
def test_quality_bar_on_planted_habits(seed: int) -> None:
    result = ev.evaluate(synthetic_log(seed=seed))
    _assert_quality_bar(result["users"]["synthetic"], result["extra"]["synthetic"])  # type: ignore[index]


@pytest.mark.skipif(not REAL_LOG.exists(), reason="shared Last.fm-1K sample not present")
def test_quality_bar_on_a_real_lastfm_log() -> None:
    from player.history.importers import read_listens

    result = ev.evaluate(read_listens(REAL_LOG))
    _assert_quality_bar(result["users"]["user_000001"], result["extra"]["user_000001"])  # type: ignore[index]
