"""Smart playlist rules as plain data: a tree of all/any groups of conditions, a limit and a sort.

Stored as JSON in playlist.rules and compiled to SQL by player/db/smart_sql.py. Example,
"25 most played jazz of the last 90 days, skipped less than 20%":

    {"match": "all", "rules": [{"field": "genre", "op": "contains", "value": "jazz"},
                               {"field": "play_count", "op": ">", "value": 0},
                               {"field": "skip_rate", "op": "<", "value": 0.2}],
     "history_days": 90, "sort": "play_count", "descending": true, "limit": 25}
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from player.core.durations import clock_text, parse_duration
from player.core.smart_vocabulary import FIELD_KINDS, OPERATORS, SORT_KEYS, SmartRuleError
from player.db.smart_sql import compile_rules


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    op: str
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "op": self.op, "value": self.value}


@dataclass(frozen=True, slots=True)
class RuleGroup:
    match: str = "all"  # all | any
    items: tuple[Condition | RuleGroup, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"match": self.match, "rules": [i.to_dict() for i in self.items]}


@dataclass(frozen=True, slots=True)
class SmartRules:
    root: RuleGroup = field(default_factory=RuleGroup)
    sort: str = "artist"
    descending: bool = False
    limit: int | None = None
    history_days: float | None = None  # play/skip counts over this window; None: all time

    def to_dict(self) -> dict[str, Any]:
        out = self.root.to_dict()
        out.update(sort=self.sort, descending=self.descending)
        if self.limit is not None:
            out["limit"] = self.limit
        if self.history_days is not None:
            out["history_days"] = self.history_days
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def validate(self) -> SmartRules:
        """Raise SmartRuleError unless these rules compile."""
        compile_rules(self.to_dict(), 0.0)
        return self


def _item_from_dict(data: Any) -> Condition | RuleGroup:
    if not isinstance(data, dict):
        raise SmartRuleError(f"A rule must be an object, not {data!r}.")
    if "rules" in data:
        return RuleGroup(str(data.get("match", "all")),
                         tuple(_item_from_dict(i) for i in data.get("rules") or []))
    return Condition(str(data.get("field", "")), str(data.get("op", "")), data.get("value"))


def rules_from_dict(data: Any) -> SmartRules:
    if not isinstance(data, dict):
        raise SmartRuleError("Smart playlist rules must be a JSON object.")
    root = _item_from_dict({"match": data.get("match", "all"), "rules": data.get("rules", [])})
    assert isinstance(root, RuleGroup)
    days = data.get("history_days")
    return SmartRules(root, str(data.get("sort", "artist")), bool(data.get("descending", False)),
                      data.get("limit"), None if days is None else float(days)).validate()


def rules_from_json(text: str) -> SmartRules:
    try:
        data = json.loads(text or "{}")
    except json.JSONDecodeError as exc:
        raise SmartRuleError(f"Smart playlist rules are not valid JSON: {exc}.") from None
    return rules_from_dict(data)


def parse_condition(text: str) -> Condition:
    """'genre contains jazz', 'skip_rate < 0.2', 'tempo between 100 130', 'liked is true',
    'added after 2024-01-31', 'last_played in_last_days 30', 'last_played never'."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise SmartRuleError(f"Cannot read the rule {text!r}: {exc}.") from None
    if len(words) < 2:
        raise SmartRuleError(f"A rule is 'FIELD OPERATOR VALUE', not {text!r}.")
    name, op, rest = words[0], words[1], words[2:]
    if name not in FIELD_KINDS:
        raise SmartRuleError(f"Unknown field {name!r} in {text!r}.",
                             f"Known fields: {', '.join(sorted(FIELD_KINDS))}.")
    kind = FIELD_KINDS[name]
    if op not in OPERATORS[kind]:
        raise SmartRuleError(f"{name} does not take {op!r}.", f"Use one of: {', '.join(OPERATORS[kind])}.")
    return Condition(name, op, _value(name, kind, op, " ".join(rest), text))


def _value(name: str, kind: str, op: str, raw: str, text: str) -> Any:
    if kind == "text":
        return raw
    if kind == "bool":
        if raw.lower() not in ("true", "false", "yes", "no", "1", "0"):
            raise SmartRuleError(f"{text!r}: the value must be true or false.")
        return raw.lower() in ("true", "yes", "1")
    if op in ("never", "ever"):
        return None
    if op == "between":
        parts = raw.replace("..", " ").split()
        if len(parts) != 2:
            raise SmartRuleError(f"{text!r}: between needs two numbers, e.g. 'tempo between 100 130'.")
        return [_number(p, text, name) for p in parts]
    if kind == "date" and op in ("before", "after"):
        return _date(raw, text)
    return _number(raw, text, name)


def _number(raw: str, text: str, name: str = "") -> float | int:
    if name == "duration":  # people think of track lengths as 4:00, not 240
        try:
            return parse_duration(raw)
        except ValueError as exc:
            raise SmartRuleError(f"{text!r}: {exc}.") from None
    try:
        number = float(raw.rstrip("%")) / (100 if raw.endswith("%") else 1)
    except ValueError:
        raise SmartRuleError(f"{text!r}: {raw!r} is not a number.") from None
    return int(number) if number.is_integer() and not raw.endswith("%") else number


def _date(raw: str, text: str) -> float:
    try:
        when = datetime.fromisoformat(raw)
    except ValueError:
        raise SmartRuleError(f"{text!r}: {raw!r} is not a date like 2024-01-31.") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def describe(rules: SmartRules) -> str:
    """A one-line human summary, for lists and tooltips."""
    text = _describe_group(rules.root) or "all tracks"
    extras = []
    if rules.history_days is not None:
        extras.append(f"counts over {rules.history_days:g} days")
    extras.append(f"by {rules.sort.replace('_', ' ')}{' (descending)' if rules.descending else ''}")
    if rules.limit is not None:
        extras.append(f"first {rules.limit}")
    return f"{text}; {', '.join(extras)}"


def _describe_group(group: RuleGroup) -> str:
    parts = [f"({_describe_group(i)})" if isinstance(i, RuleGroup)
             else f"{i.field.replace('_', ' ')} {i.op.replace('_', ' ')}{_describe_value(i)}"
             for i in group.items]
    return f" {'and' if group.match == 'all' else 'or'} ".join(parts)


def _describe_value(condition: Condition) -> str:
    value = condition.value
    if value is None:
        return ""
    if condition.field == "duration":  # as people read track lengths: 4:00
        values = value if isinstance(value, list) else [value]
        return " " + " ".join(clock_text(v) for v in values)
    return f" {value}"


def _ready(rules: list[Condition | RuleGroup], sort: str, limit: int | None,
           descending: bool = True, match: str = "all") -> SmartRules:
    return SmartRules(RuleGroup(match, tuple(rules)), sort, descending, limit)


READY_MADE: dict[str, SmartRules] = {
    "Most played": _ready([Condition("play_count", ">", 0)], "play_count", 50),
    "Recently added": _ready([Condition("added", "in_last_days", 30)], "added", 100),
    "Never played": _ready([Condition("last_played", "never")], "added", None),
    "Forgotten favourites": _ready(
        [RuleGroup("any", (Condition("liked", "is", True), Condition("play_count", ">=", 5))),
         Condition("last_played", "not_in_last_days", 90)],
        "play_count", 50),
}
assert set(SORT_KEYS) >= {r.sort for r in READY_MADE.values()}
