"""The fact rules on hand-made histories: habits count days, "follows" counts plays after
plays in one session, early skips never make a track "follow" anything, and a never-played
track is only ever "in your library"."""

from __future__ import annotations

import numpy as np

from player.recommend.data import DAY, Catalog
from player.recommend.facts import Explainer, ListenHistory

MONDAY = 4 * DAY  # 1970-01-05 was a Monday
NOW = MONDAY + 20 * 7 * DAY + 19 * 3600  # a Monday, 19:00 UTC


def history(rows: list[tuple[int, float, bool, bool, int]]) -> ListenHistory:
    """rows: (track, ts, is_play, is_early_skip, session)."""
    rows = sorted(rows, key=lambda r: r[1])
    return ListenHistory(np.array([r[0] for r in rows], np.int64), np.array([r[1] for r in rows]),
                         np.zeros(len(rows), np.int64), np.array([r[2] for r in rows], bool),
                         np.array([r[3] for r in rows], bool), np.array([r[4] for r in rows], np.int64))


CATALOG = Catalog(("Vibe Ace", "Waltz", "Click", "Never"), ("Kevin", "Setuniman", "", "Nobody"),
                  added_at=np.full(4, 10 * DAY))


def test_habit_counts_the_days_of_this_weekday_and_part() -> None:
    evenings = [NOW - 7 * DAY * w - 3600 for w in (1, 2, 4)]  # 18:00 on three past Mondays
    mornings = [NOW - 7 * DAY * 3 - 10 * 3600]  # 09:00: another part of the day
    rows = [(0, t, True, False, k) for k, t in enumerate(evenings + mornings)]
    rows.append((1, MONDAY + 7 * DAY * 10, True, False, 99))  # history starts 10 weeks back
    explain = Explainer(CATALOG, history(rows), NOW, 0)
    fact = explain.fact(0, "now")
    assert fact.text == "you played it on 3 of the last 8 Monday evenings"
    assert (fact.count, fact.out_of) == (3, 8)
    assert explain.fact(0, "daily").text == "played 4 times in the last 30 days"


def test_follows_counts_plays_after_plays_in_one_session_and_never_early_skips() -> None:
    rows = []
    for s in range(3):  # Vibe Ace then Waltz, three sessions: Waltz follows Vibe Ace 3 times
        t = NOW - (s + 40) * DAY
        rows += [(0, t, True, False, s), (1, t + 200, True, False, s)]
    for s in range(3, 7):  # Vibe Ace then Click, skipped early each time
        t = NOW - (s + 40) * DAY
        rows += [(0, t, True, False, s), (2, t + 200, False, True, s)]
    rows += [(0, NOW - 60 * DAY, True, False, 50), (1, NOW - 59 * DAY, True, False, 51)]  # apart
    explain = Explainer(CATALOG, history(rows), NOW, 0)
    assert explain.follows(1) == (0, 3)
    assert explain.fact(1, "daily").text == "often follows Vibe Ace in your sessions (3 times)"
    assert explain.follows(2) == (-1, 0)
    click = explain.fact(2, "daily")
    assert click.kind == "unplayed" and "not played through yet (started 4 times)" in click.text
    never = explain.fact(3, "new")
    assert never.text == "in your library since 11 January 1970, never played"


def test_with_no_history_every_fact_is_about_the_library() -> None:
    explain = Explainer(CATALOG, ListenHistory.empty(), NOW, 0)
    for kind in ("daily", "now", "rediscover", "new"):
        assert all(explain.fact(i, kind).kind == "unplayed" for i in range(4))
    assert explain.fact(0, "fresh").text == "added on 11 January 1970, never played"
