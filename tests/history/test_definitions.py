"""PRODUCT.md's definitions at their boundaries (pure functions)."""

from __future__ import annotations

from player.core import rules as d


def test_a_play_is_30_seconds_heard() -> None:
    assert not d.is_play(29_999, 240_000)
    assert d.is_play(30_000, 240_000)


def test_a_short_track_is_a_play_at_half() -> None:
    assert not d.is_play(19_999, 40_000)
    assert d.is_play(20_000, 40_000)
    assert d.is_play(30_000, 59_000) and d.is_play(29_500, 59_000)
    assert not d.is_play(20_000, 60_000)  # 60 s is not "shorter than 60 s"


def test_a_skip_is_ended_by_the_user_before_half() -> None:
    assert d.is_skip("next", 89_999, 180_000)
    assert not d.is_skip("next", 90_000, 180_000)
    assert d.is_skip("chose_another", 1_000, 180_000)
    for reason in ("finished", "previous", "stopped", "app_quit", "error", "crash_recovered"):
        assert not d.is_skip(reason, 1_000, 180_000), reason


def test_an_early_skip_is_a_skip_before_30_seconds() -> None:
    assert d.is_early_skip("next", 29_999, 180_000)
    assert not d.is_early_skip("next", 30_000, 180_000)
    assert not d.is_early_skip("stopped", 1_000, 180_000)


def test_a_skip_can_also_be_a_play() -> None:
    flags = d.classify("next", 60_000, 300_000)
    assert flags.is_play and flags.is_skip and not flags.is_early_skip


def test_unknown_duration_skips_are_judged_at_30_seconds() -> None:
    assert d.is_skip("next", 29_000, 0)
    assert not d.is_skip("next", 31_000, 0)


def test_a_repeat_is_within_30_minutes_of_the_last_play() -> None:
    start = 1_700_000_000.0
    assert d.is_repeat(start, start - 29 * 60)
    assert not d.is_repeat(start, start - 30 * 60)
    assert not d.is_repeat(start, None)


def test_a_session_starts_after_30_minutes_of_silence() -> None:
    start = 1_700_000_000.0
    assert d.is_new_session(start, None)
    assert not d.is_new_session(start, start - 29 * 60)
    assert d.is_new_session(start, start - 30 * 60)


def test_labels() -> None:
    assert d.label(True, False, False, False) == "play"
    assert d.label(False, True, True, False) == "early skip"
    assert d.label(True, True, False, True) == "skip, repeat"
    assert d.label(False, False, False, False) == "-"
