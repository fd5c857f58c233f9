from __future__ import annotations

import json

import pytest

from player.db.playlists import PlaylistRepository, TrackRatingRepository
from player.db.smart_sql import SmartRuleError, compile_rules
from player.playlists.rules import (
    READY_MADE,
    Condition,
    RuleGroup,
    SmartRules,
    describe,
    parse_condition,
    rules_from_json,
)
from tests.playlists.helpers import DAY, NOW, add_listens, add_named

LIBRARY = [
    ("/m/1.mp3", "Miles", "So What", "Jazz"),
    ("/m/2.mp3", "Coltrane", "Naima", "Jazz"),
    ("/m/3.mp3", "Evans", "Peace Piece", "Jazz"),
    ("/m/4.mp3", "Slayer", "Angel", "Metal"),
    ("/m/5.mp3", "Monk", "Round Midnight", "Jazz; Bebop"),
]


def _titles(repo: PlaylistRepository, rules: SmartRules) -> list[str]:
    return [t.title for t in repo.evaluate_rules(rules.to_dict(), now=NOW)]


def test_most_played_jazz_of_the_last_90_days_skipped_less_than_20_percent(db) -> None:
    ids = add_named(db, LIBRARY)
    add_listens(db, ids["So What"], plays=10, skips=1)  # 9% skipped
    add_listens(db, ids["Naima"], plays=5, skips=5)  # 50% skipped
    add_listens(db, ids["Peace Piece"], plays=3)
    add_listens(db, ids["Peace Piece"], plays=50, days_ago=200)  # outside the window
    add_listens(db, ids["Angel"], plays=30)  # not jazz
    rules = SmartRules(RuleGroup("all", (Condition("genre", "contains", "jazz"),
                                         Condition("play_count", ">", 0),
                                         Condition("skip_rate", "<", 0.2))),
                       sort="play_count", descending=True, limit=25, history_days=90)
    repo = PlaylistRepository(db)
    assert _titles(repo, rules) == ["So What", "Peace Piece"]
    # live: more listens change the result without touching the playlist
    add_listens(db, ids["Peace Piece"], plays=20)
    assert _titles(repo, rules) == ["Peace Piece", "So What"]


def test_nested_any_group_likes_ratings_and_genre_is(db) -> None:
    ids = add_named(db, LIBRARY)
    TrackRatingRepository(db).set(ids["Angel"], 5)
    db.execute("INSERT INTO track_feedback (track_id, liked, banned, updated_at) VALUES (?, 1, 0, 1)",
               (ids["Naima"],))
    rules = SmartRules(RuleGroup("any", (
        Condition("liked", "is", True),
        RuleGroup("all", (Condition("rating", ">=", 4), Condition("artist", "starts_with", "sl"))),
        Condition("genre", "is", "bebop"),
    )), sort="title")
    assert _titles(PlaylistRepository(db), rules) == ["Angel", "Naima", "Round Midnight"]


def test_dates_never_played_and_audio_features(db) -> None:
    ids = add_named(db, LIBRARY)
    db.execute("UPDATE track SET added_at = ?", (NOW - 100 * DAY,))
    db.execute("UPDATE track SET added_at = ? WHERE id = ?", (NOW - DAY, ids["Angel"]))
    add_listens(db, ids["So What"], plays=1, days_ago=10)
    db.execute("INSERT INTO audio_features (track_id, version, analysed_at, features) VALUES "
               "(?, 1, 0, ?)", (ids["Naima"], json.dumps({"tempo": 120.0, "energy": 0.3, "key": "C"})))
    repo = PlaylistRepository(db)
    recent = SmartRules(RuleGroup("all", (Condition("added", "in_last_days", 7),)))
    assert _titles(repo, recent) == ["Angel"]
    never = SmartRules(RuleGroup("all", (Condition("last_played", "never"),)), sort="title")
    assert "So What" not in _titles(repo, never) and len(_titles(repo, never)) == 4
    tempo = SmartRules(RuleGroup("all", (Condition("tempo", "between", [110, 130]),
                                         Condition("key", "is", "c"))))
    assert _titles(repo, tempo) == ["Naima"]


def test_values_are_bound_never_interpolated(db) -> None:
    add_named(db, LIBRARY)
    evil = "x' OR 1=1; DROP TABLE track; --"
    sql, params = compile_rules({"match": "all", "rules": [
        {"field": "title", "op": "is", "value": evil}]}, NOW)
    assert evil not in sql and evil in params
    repo = PlaylistRepository(db)
    assert repo.evaluate_rules({"rules": [{"field": "title", "op": "contains", "value": "%"}]}) == []
    assert db.scalar("SELECT count(*) FROM track") == 5


@pytest.mark.parametrize("bad", [
    {"rules": [{"field": "title; DROP", "op": "is", "value": "x"}]},
    {"rules": [{"field": "title", "op": "LIKE", "value": "x"}]},
    {"rules": [{"field": "year", "op": ">", "value": "soon"}]},
    {"rules": [{"field": "liked", "op": "is", "value": "yes"}]},
    {"match": "most", "rules": []},
    {"rules": [], "sort": "t.id; DROP TABLE track"},
    {"rules": [], "limit": "10; --"},
    {"rules": [{"field": "tempo", "op": "between", "value": [1]}]},
])
def test_bad_rules_are_refused_with_a_message(bad) -> None:
    with pytest.raises(SmartRuleError):
        compile_rules(bad, NOW)


def test_text_rules_round_trip_through_json() -> None:
    rules = SmartRules(RuleGroup("all", (
        parse_condition("genre contains 'modal jazz'"),
        parse_condition("skip_rate < 20%"),
        parse_condition("tempo between 100..130"),
        parse_condition("liked is yes"),
        parse_condition("added after 2024-01-31"),
        RuleGroup("any", (parse_condition("last_played never"),)),
    )), sort="play_count", descending=True, limit=25, history_days=90)
    assert rules.root.items[0] == Condition("genre", "contains", "modal jazz")
    assert rules.root.items[1].value == pytest.approx(0.2)  # type: ignore[union-attr]
    assert rules_from_json(rules.to_json()) == rules
    assert "first 25" in describe(rules)
    for bad in ("genre", "colour is red", "year contains 19", "tempo between 1", "added after soon"):
        with pytest.raises(SmartRuleError):
            parse_condition(bad)
    with pytest.raises(SmartRuleError):
        rules_from_json("{not json")


def test_ready_made_playlists_run(db) -> None:
    ids = add_named(db, LIBRARY)
    add_listens(db, ids["So What"], plays=6, days_ago=200)
    add_listens(db, ids["Naima"], plays=2, days_ago=1)
    repo = PlaylistRepository(db)
    results = {name: _titles(repo, rules) for name, rules in READY_MADE.items()}
    assert results["Most played"] == ["So What", "Naima"]
    assert results["Forgotten favourites"] == ["So What"]
    assert set(results["Never played"]) == {"Peace Piece", "Angel", "Round Midnight"}
    smart = repo.create("Top", "smart", READY_MADE["Most played"].to_json())
    assert repo.track_ids(smart.id, now=NOW) == [ids["So What"], ids["Naima"]]
