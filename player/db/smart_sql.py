"""Smart playlist rules (plain dicts, see player/playlists/rules.py) compiled to ONE SQL query.

Field names and operators come from the whitelists below and become SQL text; every value
is a bound parameter, never interpolated. Play/skip/listen counts and the skip rate come from
one aggregate over `listen` (only the counts needed, optionally over the last `history_days`
days); last/first played are index seeks per track and always all-time. Nothing is cached,
so the playlist changes as the history grows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from player.core.smart_vocabulary import FIELD_KINDS, OPERATORS, SORT_KEYS, SmartRuleError
from player.db.import_runs import heard

__all__ = ["FIELDS", "OPERATORS", "SORTS", "STATS_NEEDED", "SmartRuleError", "compile_rules"]


# field -> SQL expression; the fields, their kinds, operators and sorts are core/smart_vocabulary's.
_FIELD_SQL: dict[str, str] = {
    "title": "t.title",
    "artist": "t.artist",
    "album": "t.album",
    "album_artist": "t.album_artist",
    "genre": "t.genre",
    "codec": "t.codec",
    "path": "t.path",
    "year": "t.year",
    "duration": "t.duration",
    "bpm": "t.bpm",
    "play_count": "coalesce(s.plays, 0)",
    "skip_count": "coalesce(s.skips, 0)",
    "listen_count": "coalesce(s.listens, 0)",
    "skip_rate": "coalesce(CAST(s.skips AS REAL) / nullif(s.listens, 0), 0)",
    # one index seek per track on listen(track_id, started_at): cheaper than aggregating
    "last_played": f"(SELECT max(l.started_at) FROM listen l WHERE l.track_id = t.id AND {heard('l')})",
    "first_played": f"(SELECT min(l.started_at) FROM listen l WHERE l.track_id = t.id AND {heard('l')})",
    "added": "t.added_at",
    "liked": "coalesce(f.liked, 0)",
    "banned": "coalesce(f.banned, 0)",
    "rating": "coalesce(r.rating, 0)",
    "tempo": "json_extract(af.features, '$.tempo')",
    "energy": "json_extract(af.features, '$.energy')",
    "danceability": "json_extract(af.features, '$.danceability')",
    "loudness": "json_extract(af.features, '$.loudness')",
    "key": "coalesce(json_extract(af.features, '$.key'), '')",
}
# field -> (kind, SQL expression), as before the vocabulary moved to core (kept for callers)
FIELDS: dict[str, tuple[str, str]] = {name: (FIELD_KINDS[name], sql) for name, sql in _FIELD_SQL.items()}
assert set(FIELDS) == set(FIELD_KINDS), "core/smart_vocabulary.py and the SQL disagree on fields"
# the per-track counts each field or sort needs from the listen aggregate
STATS_NEEDED: dict[str, tuple[str, ...]] = {
    "play_count": ("plays",), "skip_count": ("skips",), "listen_count": ("listens",),
    "skip_rate": ("skips", "listens"),
}
_STATS_SQL = {"plays": "is_play", "skips": "is_skip", "listens": "1"}  # flags stored by the rulebook
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
    "last_played": f"coalesce({FIELDS['last_played'][1]}, 0)",
    "first_played": f"coalesce({FIELDS['first_played'][1]}, 0)",
    "rating": "coalesce(r.rating, 0)",
    "tempo": FIELDS["tempo"][1],
    "energy": FIELDS["energy"][1],
}
assert tuple(SORTS) == SORT_KEYS, "core/smart_vocabulary.py and the SQL disagree on sorts"
_DAY = 86400.0
_LISTENED = f"SELECT 1 FROM listen l WHERE l.track_id = t.id AND {heard('l')}"
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
        if name in ("last_played", "first_played") and op in ("never", "ever"):
            return f"{'NOT ' if op == 'never' else ''}EXISTS ({_LISTENED})"
        if name == "last_played" and op in ("in_last_days", "not_in_last_days"):
            # played since X or not: one index seek, no max() needed
            since = self.now - _number_value(name, value) * _DAY
            negate = "NOT " if op == "not_in_last_days" else ""
            return f"{negate}EXISTS ({_LISTENED} AND l.started_at >= {self._bind(since)})"
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


MAX_LIMIT = 1_000_000  # tracks in one smart playlist
MAX_NUMBER = 1e15  # beyond any count, rate, tempo, date (epoch s) or number of days


def _text_value(name: str, value: Any) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise SmartRuleError(f"{name} needs a text value, not {value!r}.")
    return str(value)


def _number_value(name: str, value: Any) -> float:
    if isinstance(value, bool):
        raise SmartRuleError(f"{name} needs a number, not {value!r}.")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise SmartRuleError(f"{name} needs a number, not {value!r}.") from None
    if not -MAX_NUMBER <= number <= MAX_NUMBER:  # also NaN and infinities
        raise SmartRuleError(f"{name} needs a number between -1e15 and 1e15, not {value!r}.")
    return number


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
        if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= MAX_LIMIT:
            raise SmartRuleError(f"The limit must be a whole number of tracks from 0 to "
                                 f"{MAX_LIMIT:,}, not {limit!r}.")
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params


def _history_cte(rules: Mapping[str, Any], now: float, used: set[str], sort: str) -> tuple[str, list[Any]]:
    """The per-track listen counts, only those a rule or the sort needs, over the window."""
    needed = sorted({c for name in (*used, sort) for c in STATS_NEEDED.get(name, ())})
    if not needed:
        return "", []
    columns = ", ".join(f"sum({_STATS_SQL[c]}) AS {c}" for c in needed)
    days = rules.get("history_days")
    window, params = "", []
    if days is not None:
        window = "AND started_at >= ? "
        params.append(now - _number_value("history_days", days) * _DAY)
    cte = (f"WITH stats AS (SELECT track_id, {columns} FROM listen "
           f"WHERE track_id IS NOT NULL AND {heard()} {window}GROUP BY track_id) ")
    return cte, params
