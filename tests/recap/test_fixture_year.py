"""Every number of the 2025 recap of tests/recap/fixture.py, worked out by hand.

The 2025 listens (local time; P = counts as a play; s = heard seconds):
  Jan 1 00:30 Wed Gamma P 240 | Jan 2 09:00 Thu Zeta P 210 (scrobble) | Jan 3 09:00 Fri Zeta P 210
  Jan 4 09:00 Sat Gamma P 240 (imported, matched) | Feb 1 10:00/10:04/10:08 Sat Alpha P 200 x3
  Feb 2 10:00 Sun Delta 20 skip (20 < 25 s = 50% of 50 s) | Feb 3 10:00 Mon Delta P 26
  Mar 30 01:30 Sun Beta P 180 | Mar 30 03:30 Sun Beta P 180
  May 10 20:00/20:03/20:06/20:09 Sat Beta P 180 x4 | May 10 21:00 Sat Beta P 180
  Jun 15 12:00 Sun Gamma 10 skip | Oct 26 02:30 (+02:00) Sun Eps P 300 | Oct 26 02:30 (+01:00) Eps P 300
Not 2025: 2024-12-31 22:00 New York (03:00 UTC on 1 Jan 2025) and 2026-01-01 00:30 Berlin.
"""

from __future__ import annotations

import numpy as np
import pytest

from player.db import recap_queries as q
from player.qt.recap_loader import load_recap, load_year
from player.recap.compute import compute_recap
from player.recap.model import (
    Cluster,
    MonthStat,
    Personality,
    Ranked,
    Repeat,
    Skips,
    SoundMonth,
    Streak,
    Versus,
    YearListens,
)
from tests.recap import fixture


@pytest.fixture
def recap(db):
    fixture.build(db)
    clusters = [Cluster(name, ids) for name, ids in fixture.CLUSTERS]
    return load_recap(db, 2025, clusters=clusters)


def test_totals(recap) -> None:
    # 19 listens; all but the two skips are plays.
    assert (recap.listens, recap.plays) == (19, 17)
    # 240+210+210+240 + 3*200 + 20+26 + 2*180 + 5*180 + 10 + 2*300 = 3416 s = 56.93 min
    assert recap.minutes == 57
    # Gamma, Zeta, Alpha, Delta, Beta, Eps; by Ann, Bob, Cat, Dan
    assert (recap.tracks, recap.artists) == (6, 4)
    # Jan 1-4, Feb 1, Feb 3, Mar 30, May 10, Oct 26 (Feb 2 and Jun 15 had only skips)
    assert recap.days == 9
    assert recap.size == "full"


def test_tops(recap) -> None:
    assert recap.top_tracks == [
        Ranked("Beta", "Ann", 7, 21),  # 7 x 180 s
        Ranked("Alpha", "Ann", 3, 10),  # 3 x 200 s
        Ranked("Eps", "Bob", 2, 10),  # 600 s: ties on plays break by minutes
        Ranked("Gamma", "Bob", 2, 8),  # 240 + 240 + 10 s (the skip counts as heard)
        Ranked("Zeta", "Dan", 2, 7),  # 2 x 210 s (scrobbles of unknown length)
        Ranked("Delta", "Cat", 1, 1),  # 20 + 26 s
    ]
    assert recap.top_artists == [
        Ranked("Ann", "", 10, 31),  # 1260 + 600 s
        Ranked("Bob", "", 4, 18),  # 490 + 600 s
        Ranked("Dan", "", 2, 7),
        Ranked("Cat", "", 1, 1),
    ]
    # Delta has no album, so it is in no album.
    assert recap.top_albums == [
        Ranked("First", "Ann", 10, 31), Ranked("Second", "Bob", 4, 18), Ranked("Third", "Dan", 2, 7),
    ]
    # Beta is Jazz and Soul: it counts for both. Eps and the imported Zeta have no genre.
    assert recap.top_genres == [
        Ranked("Jazz", "", 10, 31), Ranked("Soul", "", 7, 21), Ranked("Rock", "", 2, 8),
        Ranked("Pop", "", 1, 1),
    ]


def test_listening_clock_in_local_time(recap) -> None:
    expected = np.zeros((7, 24), dtype=int)
    expected[2, 0] = 1  # Wed 00:30 (23:30 UTC the day before, in 2024)
    expected[3, 9] = expected[4, 9] = expected[5, 9] = 1  # Thu, Fri, Sat 09:00
    expected[5, 10] = 3  # Sat Feb 1, Alpha x3
    expected[0, 10] = 1  # Mon Feb 3, Delta
    expected[6, 1] = expected[6, 3] = 1  # Sun Mar 30, either side of the spring change
    expected[5, 20], expected[5, 21] = 4, 1  # Sat May 10
    expected[6, 2] = 2  # Sun Oct 26: 02:30 happened twice
    assert recap.clock == expected.tolist()
    assert sum(map(sum, recap.clock)) == recap.plays
    assert (recap.peak_weekday, recap.peak_hour) == (5, 20)


def test_month_by_month(recap) -> None:
    months = {m.month: m for m in recap.months}
    assert months[1] == MonthStat(1, 4, 15)  # 900 s
    assert months[2] == MonthStat(2, 4, 11)  # 600 + 20 + 26 = 646 s
    assert months[3] == MonthStat(3, 2, 6)
    assert months[5] == MonthStat(5, 5, 15)
    assert months[6] == MonthStat(6, 0, 0)  # one 10 s skip
    assert months[10] == MonthStat(10, 2, 10)
    assert all(months[m] == MonthStat(m, 0, 0) for m in (4, 7, 8, 9, 11, 12))
    # Plays per local day: Jan 1-4 one each, Feb 1 (day 31) three, Feb 2 none (a skip).
    assert len(recap.daily) == 365 and sum(recap.daily) == 17
    assert recap.daily[:4] == [1, 1, 1, 1] and recap.daily[31:34] == [3, 0, 1]
    assert recap.daily[129] == 5  # 10 May


def test_streak_repeat_and_skips(recap) -> None:
    assert recap.streak == Streak(4, "2025-01-01", "2025-01-04")
    # Beta four times in a row; the fifth came 48 min after the fourth ended (> 30 min).
    assert recap.repeat == Repeat("Beta", "Ann", 4, "2025-05-10")
    # 2 skips of the 16 listens that can show one (the 3 scrobbles record plays only);
    # Delta and Gamma tie on one skip each: by name, Delta.
    assert recap.skips == Skips(16, 2, 0.125, Ranked("Delta", "Cat", 1, 1), unmeasured=3)


def test_first_listens_that_became_favourites(recap) -> None:
    # Beta: first heard this year, 7 plays (>= 5). Delta: liked, first heard Feb 2.
    # Eps is liked too, but was first heard on 31 Dec 2024 local time (New York), so not new.
    # Alpha was heard in 2024.
    assert recap.favourites == [
        Ranked("Beta", "Ann", 7, 21, extra="2025-03-30"),
        Ranked("Delta", "Cat", 1, 1, extra="2025-02-02"),
    ]


def test_sound_of_the_year(recap) -> None:
    sound = {s.month: s for s in recap.sound}
    assert sound[1] == SoundMonth(1, 90.0, None)  # Gamma's BPM tag x2; Zeta unknown
    assert sound[2] == SoundMonth(2, 120.0, 0.5)  # Alpha x3; Delta's analysis failed
    assert sound[3] == SoundMonth(3, 100.0, 0.25)
    assert sound[5] == SoundMonth(5, 100.0, 0.25)
    assert sound[10] == SoundMonth(10, None, None)  # Eps not analysed
    assert recap.sound_coverage == 0.7059  # (3 Alpha + 7 Beta + 2 Gamma) / 17


def test_personalities_and_versus(recap) -> None:
    assert recap.personalities == [Personality("Mellow", 8, 0.4706),  # Beta 7 + Delta 1
                                   Personality("Drive", 4, 0.2353)]  # Gamma 2 + Eps 2
    # 2024: Alpha 200 s in June and Eps 300 s on New Year's Eve in New York.
    assert recap.versus == Versus(2024, 57, 17, 8, 2, 6.125)


def test_year_boundaries_follow_local_time(db) -> None:
    fixture.build(db)
    assert q.years_with_listens(db) == [2026, 2025, 2024]
    assert q.year_totals(db, 2024) == (2, 2, 500)
    assert q.year_totals(db, 2026) == (1, 1, 50)
    assert load_recap(db, 2026).size == "tiny"
    empty = load_recap(db, 2023)
    assert (empty.size, empty.listens, empty.minutes, empty.top_tracks) == ("empty", 0, 0, [])


def test_heard_before_uses_local_time_and_imports(db) -> None:
    fixture.build(db)
    assert q.keys_heard_before(db, [1, 2, 3, 4, 5, -1], 2025) == {1, 5}
    assert q.keys_heard_before(db, [1, 2, 3, 4, 5, -1], 2026) == {1, 2, 3, 4, 5, -1}


def test_packed_and_unpacked_queries_agree(db) -> None:
    fixture.build(db)
    packed = load_year(db, 2025)
    where_lo, _ = q.local_year_span(2025)
    plain = q._year_listens_unpacked(db, 2025, batch=7)
    for name in ("local_s", "heard_s", "key", "offset_min", "is_play", "is_skip"):
        assert np.array_equal(getattr(packed, name), getattr(plain, name)), name
    assert where_lo == 1735689600


def test_a_clock_change_does_not_fake_a_repeat() -> None:
    # Eps at 02:30 +02:00, then 02:30 +01:00: the same wall clock, an hour apart in reality.
    year = YearListens(2025, local_s=np.array([100, 100]), heard_s=np.array([300, 300]),
                       key=np.array([5, 5]), offset_min=np.array([120, 60]),
                       is_play=np.array([True, True]), is_skip=np.array([False, False]))
    assert compute_recap(year, {}).repeat is None
    same_zone = YearListens(2025, local_s=np.array([100, 100 + 300 + 1799]),
                            heard_s=np.array([300, 300]), key=np.array([5, 5]),
                            offset_min=np.array([60, 60]), is_play=np.array([True, True]),
                            is_skip=np.array([False, False]))
    assert compute_recap(same_zone, {}).repeat == Repeat("Unknown track", "", 2, "2025-01-01")
