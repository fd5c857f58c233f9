"""Pure outputs on a synthetic listener: mixes' daily rotation, radio, Rediscover, Fresh."""

from __future__ import annotations

import numpy as np
import pytest

from player.recommend import discover, evaluate, hybrid, mixes, station
from player.recommend.data import Catalog, RecData, ScoringContext
from tests.factories_listens import synthetic_log


@pytest.fixture(scope="module")
def fitted() -> tuple[hybrid.HybridModel, Catalog, ScoringContext]:
    log = evaluate.group_by_user(synthetic_log(days=60)).popitem()[1]
    model = hybrid.fit(RecData(log.catalog, log.listens))
    now = float(log.listens.ts[-1]) + 3600
    return model, log.catalog, ScoringContext(now, log.listens, "day", 60)


def test_mixes_rotate_daily_and_do_not_open_like_yesterday(fitted) -> None:  # type: ignore[no-untyped-def]
    model, catalog, ctx = fitted
    today = mixes.daily_mixes(model, catalog, ctx, "2026-11-27")
    assert today == mixes.daily_mixes(model, catalog, ctx, "2026-11-27")  # stable in the day
    openers = frozenset(m.items[0] for m in today)
    tomorrow = mixes.daily_mixes(model, catalog, ctx, "2026-11-28", avoid_openers=openers)
    assert all(m.items[0] not in openers for m in tomorrow)
    assert [m.items for m in tomorrow] != [m.items for m in today]


def test_rediscovery_share_is_configurable(fitted) -> None:  # type: ignore[no-untyped-def]
    model, catalog, ctx = fitted
    plays = np.bincount(ctx.history.track, minlength=len(catalog))

    def rare_share(share: float) -> float:
        made = mixes.daily_mixes(model, catalog, ctx, "d", rediscovery_share=share)
        items = [i for m in made for i in m.items]
        return float(np.mean(plays[items] <= 1))

    assert rare_share(0.0) < rare_share(0.4)


def test_radio_stays_near_its_seed_and_moves_away_from_skips(fitted) -> None:  # type: ignore[no-untyped-def]
    model, catalog, ctx = fitted
    seed = next(i for i, a in enumerate(catalog.artist) if a.startswith("Jazz"))
    radio = station.radio(model, catalog, [seed], ctx, "Jazz radio")
    picks = radio.take(8)
    assert seed not in picks
    assert sum(catalog.artist[i].startswith("Jazz") for i in picks) >= 6
    for item in picks[:4]:
        radio.skip(item)
    assert len(radio.take(5)) == 5


def test_rediscover_and_fresh(fitted) -> None:  # type: ignore[no-untyped-def]
    model, catalog, ctx = fitted
    plays = np.bincount(ctx.history.track, minlength=len(catalog))
    found = discover.rediscover(model, catalog, ctx, "2026-W48")
    assert found.items and all(plays[i] <= 1 for i in found.items)
    added = np.full(len(catalog), ctx.now - 400 * 86400)
    added[:5] = ctx.now - 86400
    with_dates = Catalog(catalog.title, catalog.artist, catalog.album, added_at=added)
    fresh = discover.fresh(model, with_dates, ctx)
    assert sorted(fresh.items) == [0, 1, 2, 3, 4]
