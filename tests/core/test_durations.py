from __future__ import annotations

import pytest

from player.core.durations import clock_text, parse_duration
from player.core.smart_vocabulary import SmartRuleError
from player.playlists.rules import Condition, RuleGroup, SmartRules, describe, parse_condition


@pytest.mark.parametrize(("text", "seconds"), [
    ("240", 240), ("90.5", 90.5), ("4:00", 240), (" 3:07 ", 187), ("0:30.5", 30.5),
    ("1:02:03", 3723), ("75:00", 4500),
])
def test_reads_seconds_and_clock_forms(text, seconds) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "4:75", "1:60:00", "4:", ":30", "-3", "4:-1",
                                  "1:2:3:4", "nan", "inf", "4: 00"])
def test_rejects_what_is_not_a_duration(text) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_smart_rule_text_takes_clock_form_for_duration_only() -> None:
    assert parse_condition("duration > 4:00") == Condition("duration", ">", 240)
    assert parse_condition("duration between 3:00..4:30") == Condition("duration", "between", [180, 270])
    with pytest.raises(SmartRuleError, match="not a number"):
        parse_condition("tempo > 4:00")  # a tempo is not a time


@pytest.mark.parametrize("seconds", [0, 5.25, 59, 60, 179, 240, 90.5, 3723, 4500])
def test_clock_text_reads_back(seconds) -> None:
    assert parse_duration(clock_text(seconds)) == seconds


def test_a_duration_rule_is_described_in_minutes() -> None:
    rules = SmartRules(RuleGroup("all", (Condition("duration", "between", [180, 270]),
                                         Condition("year", ">", 1999))))
    assert describe(rules).startswith("duration between 3:00 4:30 and year > 1999;")
