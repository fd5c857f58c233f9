"""Smart playlist rules (plain dicts, see player/playlists/rules.py) compiled to ONE SQL query.

Field names and operators come from the whitelists below and become SQL text; every value
is a bound parameter, never interpolated. History fields (play/skip counts, skip rate, last
and first played) come from one aggregate over `listen`, optionally limited to the last
`history_days` days, so the playlist changes as the history grows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from player.core.errors import KnownError


class SmartRuleError(KnownError):
    """A smart playlist rule that cannot be understood."""


# field -> (kind, SQL expression). Kinds: text, number, date, bool.
FIELDS: dict[str, tuple[str, str]] = {
    "title": ("text", "t.title"),
    "artist": ("text", "t.artist"),
    "album": ("text", "t.album"),
    "album_artist": ("text", "t.album_artist"),
    "genre": ("text", "t.genre"),
    "codec": ("text", "t.codec"),
    "path": ("text", "t.path"),
    "year": ("number", "t.year"),
    "duration": ("number", "t.duration"),
    "bpm": ("number", "t.bpm"),
    "play_count": ("number", "coalesce(s.plays, 0)"),
    "skip_count": ("number", "coalesce(s.skips, 0)"),
    "listen_count": ("number", "coalesce(s.listens, 0)"),
    "skip_rate": ("number", "coalesce(CAST(s.skips AS REAL) / nullif(s.listens, 0), 0)"),
    "last_played": ("date", "s.last_played"),
    "first_played": ("date", "s.first_played"),
    "added": ("date", "t.added_at"),
    "liked": ("bool", "coalesce(f.liked, 0)"),
    "banned": ("bool", "coalesce(f.banned, 0)"),
    "rating": ("number", "coalesce(r.rating, 0)"),
    "tempo": ("number", "json_extract(af.features, '$.tempo')"),
    "energy": ("number", "json_extract(af.features, '$.energy')"),
    "danceability": ("number", "json_extract(af.features, '$.danceability')"),
    "loudness": ("number", "json_extract(af.features, '$.loudness')"),
    "key": ("text", "coalesce(json_extract(af.features, '$.key'), '')"),
}
HISTORY_FIELDS = frozenset(
    {"play_count", "skip_count", "listen_count", "skip_rate", "last_played", "first_played"}
)
OPERATORS: dict[str, tuple[str, ...]] = {
    "text": ("is", "is_not", "contains", "not_contains", "starts_with", "ends_with"),
    "number": ("=", "!=", "<", "<=", ">", ">=", "between"),
    "date": ("in_last_days", "not_in_last_days", "before", "after", "never", "ever"),
    "bool": ("is",),
}
SORTS: dict[str, str] = {
    "random": "random()",
    "title": "t.title COLLATE NOCASE",
    "artist": "t.artist COLLATE NOCASE",
    "album": "t.album COLLATE NOCASE",
    "year": "t.year",
    "duration": "t.duration",
    "added": "t.added_at",
    "play_count": "coalesce(s.plays, 0)",
    "skip_count": "coalesce(s.skips, 0)",
    "skip_rate": FIELDS["skip_rate"][1],
    "last_played": "coalesce(s.last_played, 0)",
    "first_played": "coalesce(s.first_played, 0)",
    "rating": "coalesce(r.rating, 0)",
    "tempo": FIELDS["tempo"][1],
    "energy": FIELDS["energy"][1],
}
_DAY = 86400.0
MAX_DEPTH = 8


@dataclass(slots=True)
class _Compiler:
    now: float
    params: list[Any] = field(default_factory=list)
    fields_used: set[str] = field(default_factory=set)

    def group(self, node: Mapping[str, Any], depth: int) -> str:
        if depth > MAX_DEPTH:
            raise SmartRuleError(f"Smart playlist rules are nested deeper than {MAX_DEPTH} groups.")
        match = node.get("match", "all")
        if match not in ("all", "any"):
            raise SmartRuleError(f"A rule group must match 'all' or 'any', not {match!r}.")
        items = node.get("rules", [])
        if not isinstance(items, list):
            raise SmartRuleError("A rule group's 'rules' must be a list.")
        parts = [self.item(item, depth) for item in items]
        if not parts:  # an empty group matches everything
            return "1"
        joiner = " AND " if match == "all" else " OR "
        return "(" + joiner.join(parts) + ")"

    def item(self, item: Any, depth: int) -> str:
        if not isinstance(item, Mapping):
            raise SmartRuleError(f"A rule must be an object, not {item!r}.")
        if "rules" in item:
            return self.group(item, depth + 1)
        return self.condition(item)

    def condition(self, cond: Mapping[str, Any]) -> str:
        name, op, value = cond.get("field"), cond.get("op"), cond.get("value")
        if name not in FIELDS:
            raise SmartRuleError(f"Unknown smart playlist field {name!r}.",
                                 f"Known fields: {', '.join(sorted(FIELDS))}.")
        kind, expr = FIELDS[name]
        if op not in OPERATORS[kind]:
            raise SmartRuleError(f"The field {name!r} does not take the operator {op!r}.",
                                 f"Use one of: {', '.join(OPERATORS[kind])}.")
        self.fields_used.add(name)
        handler = {"text": self._text, "number": self._number, "date": self._date,
                   "bool": self._bool}[kind]
        return str(handler(name, expr, op, value))

    def _bind(self, value: Any) -> str:
        self.params.append(value)
        return "?"

    def _text(self, name: str, expr: str, op: str, value: Any) -> str:
        text = _text_value(name, value)
        if name == "genre" and op in ("is", "is_not"):  # a track may have several genres
            sql = ("EXISTS (SELECT 1 FROM track_genre tg JOIN genre g ON g.id = tg.genre_id "
                   f"WHERE tg.track_id = t.id AND g.name = {self._bind(text)} COLLATE NOCASE)")
            return sql if op == "is" else f"NOT {sql}"
        if op == "is":
            return f"{expr} = {self._bind(text)} COLLATE NOCASE"
        if op == "is_not":
            return f"{expr} != {self._bind(text)} COLLATE NOCASE"
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = {"contains": f"%{escaped}%", "not_contains": f"%{escaped}%",
                   "starts_with": f"{escaped}%", "ends_with": f"%{escaped}"}[op]
        negate = "NOT " if op == "not_contains" else ""
        return f"{expr} {negate}LIKE {self._bind(pattern)} ESCAPE '\\'"

    def _number(self, name: str, expr: str, op: str, value: Any) -> str:
        if op == "between":
            if not isinstance(value, list | tuple) or len(value) != 2:
                raise SmartRuleError(f"{name} between needs two numbers, e.g. [100, 130].")
            low, high = (_number_value(name, v) for v in value)
            return f"{expr} BETWEEN {self._bind(low)} AND {self._bind(high)}"
        return f"{expr} {op} {self._bind(_number_value(name, value))}"

    def _date(self, name: str, expr: str, op: str, value: Any) -> str:
        if op == "never":
            return f"{expr} IS NULL"
        if op == "ever":
            return f"{expr} IS NOT NULL"
        if op in ("in_last_days", "not_in_last_days"):
            since = self.now - _number_value(name, value) * _DAY
            if op == "in_last_days":
                return f"{expr} >= {self._bind(since)}"
            return f"({expr} IS NULL OR {expr} < {self._bind(since)})"
        when = _number_value(name, value)  # epoch seconds; rules.py turns dates into these
        return f"{expr} {'<' if op == 'before' else '>'} {self._bind(when)}"

    def _bool(self, name: str, expr: str, op: str, value: Any) -> str:
        if not isinstance(value, bool):
            raise SmartRuleError(f"{name} must be true or false, not {value!r}.")
        return f"{expr} = {self._bind(int(value))}"


def _text_value(name: str, value: Any) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise SmartRuleError(f"{name} needs a text value, not {value!r}.")
    return str(value)


def _number_value(name: str, value: Any) -> float:
    if isinstance(value, bool):
        raise SmartRuleError(f"{name} needs a number, not {value!r}.")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise SmartRuleError(f"{name} needs a number, not {value!r}.") from None


def compile_rules(rules: Mapping[str, Any], now: float, select: str = "t.id") -> tuple[str, list[Any]]:
    """(sql, params) selecting `select` from the tracks the rules match, sorted and limited.

    `select` is SQL text chosen by the caller (a column list over alias t), never user input.
    """
    if not isinstance(rules, Mapping):
        raise SmartRuleError("Smart playlist rules must be an object.")
    compiler = _Compiler(now)
    where = compiler.group(rules, 0)
    where_params = list(compiler.params)
    sort = rules.get("sort", "artist")
    if sort not in SORTS:
        raise SmartRuleError(f"Unknown sort {sort!r}.", f"Sort by one of: {', '.join(SORTS)}.")
    descending = bool(rules.get("descending", False))
    head, head_params = _history_cte(rules, now, compiler.fields_used, sort)
    order = SORTS[sort] + (" DESC" if descending and sort != "random" else "")
    sql = (
        f"{head}SELECT {select} FROM track t "
        + ("LEFT JOIN stats s ON s.track_id = t.id " if head else "")
        + "LEFT JOIN track_feedback f ON f.track_id = t.id "
        "LEFT JOIN track_rating r ON r.track_id = t.id "
        "LEFT JOIN audio_features af ON af.track_id = t.id "
        f"WHERE t.missing = 0 AND {where} ORDER BY {order}, t.id"
    )
    params = head_params + where_params
    limit = rules.get("limit")
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise SmartRuleError(f"The limit must be a whole number of tracks, not {limit!r}.")
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params


def _history_cte(rules: Mapping[str, Any], now: float, used: set[str], sort: str) -> tuple[str, list[Any]]:
    """The per-track listen aggregate, only when a rule or the sort needs it."""
    if not (used & HISTORY_FIELDS or sort in HISTORY_FIELDS):
        return "", []
    days = rules.get("history_days")
    if days is None:
        cte = ("WITH stats AS (SELECT track_id, sum(is_play) AS plays, sum(is_skip) AS skips, "
               "count(*) AS listens, ")
        params: list[Any] = []
    else:  # counts over the window; last/first played stay all-time
        since = now - _number_value("history_days", days) * _DAY
        cte = ("WITH stats AS (SELECT track_id, "
               "sum(CASE WHEN started_at >= ? THEN is_play ELSE 0 END) AS plays, "
               "sum(CASE WHEN started_at >= ? THEN is_skip ELSE 0 END) AS skips, "
               "sum(started_at >= ?) AS listens, ")
        params = [since, since, since]
    cte += ("max(started_at) AS last_played, min(started_at) AS first_played "
            "FROM listen WHERE track_id IS NOT NULL GROUP BY track_id) ")
    return cte, params
