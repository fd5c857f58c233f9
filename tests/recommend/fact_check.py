"""Checks a stated reason against the database with its own SQL (independent of
player.recommend.facts): the number in the words must be the number in the listens."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from player.recommend.facts import HABIT_WEEKS, SOUND_MIN, Fact

DAY = 86400.0
TRACK = "COALESCE(l.track_id, e.track_id)"
FROM = "FROM listen l LEFT JOIN external_track e ON e.id = l.external_id"
# Not a claim a never-played track may carry.
PLAY_CLAIMS = {"recent_plays", "habit", "follows", "played", "liked"}


def _plays(db, track_id: int, since: float, until: float) -> int:  # type: ignore[no-untyped-def]
    return int(db.scalar(f"SELECT COUNT(*) {FROM} WHERE {TRACK} = ? AND l.is_play = 1 "
                         "AND l.started_at >= ? AND l.started_at < ?", (track_id, since, until)))


def _last_play(db, track_id: int, until: float) -> float | None:  # type: ignore[no-untyped-def]
    value = db.scalar(f"SELECT MAX(l.started_at) {FROM} WHERE {TRACK} = ? AND l.is_play = 1 "
                      "AND l.started_at < ?", (track_id, until))
    return None if value is None else float(value)


def _title(db, track_id: int) -> str:  # type: ignore[no-untyped-def]
    return str(db.scalar("SELECT title FROM track WHERE id = ?", (track_id,)))


def _cosine(db, a: int, b: int) -> float:  # type: ignore[no-untyped-def]
    """Cosine of the two tracks' audio vectors standardised over the analysed library."""
    rows = db.query("SELECT f.track_id, f.vector FROM audio_features f JOIN track t ON "
                    "t.id = f.track_id WHERE t.missing = 0 AND f.vector IS NOT NULL")
    ids = [int(r[0]) for r in rows]
    m = np.vstack([np.frombuffer(r[1], dtype=np.float32).astype(np.float64) for r in rows])
    std = m.std(axis=0)
    std[std == 0] = 1.0
    z = (m - m.mean(axis=0)) / std
    va, vb = z[ids.index(a)], z[ids.index(b)]
    return float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb)))


def _local_day(ts: float, offset_min: int) -> int:
    return int((ts + offset_min * 60) // DAY)


def check(db, track_id: int, fact: Fact, ids: list[int], at: float,  # type: ignore[no-untyped-def]
          offset_min: int) -> None:
    """Asserts that `fact` (stated for `track_id` at time `at`) holds in the database.
    `ids` maps the recommender's index to track ids (for the other track of a fact)."""
    text = fact.text
    other = ids[fact.other] if fact.other >= 0 else None
    if other is not None:
        assert _title(db, other).strip() in text, (text, other)
    if fact.count:
        assert str(fact.count) in text or (fact.count == 1 and "once" in text), text
    if fact.kind == "liked":
        assert db.scalar("SELECT liked FROM track_feedback WHERE track_id = ?", (track_id,)) == 1
    elif fact.kind == "recent_plays":
        assert _plays(db, track_id, at - 30 * DAY, at) == fact.count >= 2, text
    elif fact.kind == "played":
        assert _plays(db, track_id, 0, at) == fact.count >= 1, text
        assert _last_play(db, track_id, at) == fact.at, text
    elif fact.kind == "habit":
        weekday, part = fact.slot
        today = _local_day(at, offset_min)
        first = db.scalar(f"SELECT MIN(l.started_at), MIN(l.utc_offset_min) {FROM}")
        rows = db.query(f"SELECT l.started_at, l.utc_offset_min {FROM} WHERE {TRACK} = ? "
                        "AND l.is_play = 1 AND l.started_at < ?", (track_id, at))
        first_day = min(_local_day(float(r[0]), int(r[1])) for r in db.query(
            f"SELECT l.started_at, l.utc_offset_min {FROM} WHERE l.started_at < ?", (at,)))
        assert first is not None
        days = [today - 7 * w for w in range(1, HABIT_WEEKS + 1) if today - 7 * w >= first_day]
        assert all((d + 3) % 7 == weekday for d in days)
        hit = set()
        for started, offset in rows:
            local = datetime.fromtimestamp(float(started) + int(offset) * 60, tz=UTC)
            hour_part = {h: p for p, hs in enumerate((range(5, 12), range(12, 17), range(17, 22)))
                         for h in hs}.get(local.hour, 3)
            if _local_day(float(started), int(offset)) in days and (part < 0 or hour_part == part):
                hit.add(_local_day(float(started), int(offset)))
        assert (len(hit), len(days)) == (fact.count, fact.out_of) and fact.count >= 2, text
    elif fact.kind == "follows":
        assert other is not None
        count = db.scalar(
            f"WITH x AS (SELECT {TRACK} AS t, l.is_play AS p, l.session_id AS s, "
            f"LAG({TRACK}) OVER w AS pt, LAG(l.is_play) OVER w AS pp, LAG(l.session_id) OVER w AS ps "
            f"{FROM} WHERE l.started_at < ? WINDOW w AS (ORDER BY l.started_at, l.id)) "
            "SELECT COUNT(*) FROM x WHERE t = ? AND pt = ? AND p = 1 AND pp = 1 AND s = ps",
            (at, track_id, other))
        assert count == fact.count >= 2, text
    elif fact.kind in ("sounds_like", "seed_sound"):
        assert other is not None and _cosine(db, track_id, other) >= SOUND_MIN - 1e-6, text
        if fact.kind == "sounds_like":
            assert _last_play(db, other, at) == fact.at, text
    elif fact.kind == "artist_plays":
        artist = str(db.scalar("SELECT artist FROM track WHERE id = ?", (track_id,))).casefold().strip()
        rows = db.query(f"SELECT t.artist {FROM} JOIN track t ON t.id = {TRACK} WHERE l.is_play = 1 "
                        "AND l.started_at >= ? AND l.started_at < ? AND t.id != ?",
                        (at - 30 * DAY, at, track_id))
        assert sum(1 for (a,) in rows if a.casefold().strip() == artist) == fact.count >= 2, text
    elif fact.kind == "seed_artist":
        assert other is not None
        a, b = (str(db.scalar("SELECT artist FROM track WHERE id = ?", (t,))).casefold().strip()
                for t in (track_id, other))
        assert a and a == b, text
    elif fact.kind in ("unplayed", "added"):
        plays = _plays(db, track_id, 0, at)
        listens = int(db.scalar(f"SELECT COUNT(*) {FROM} WHERE {TRACK} = ? AND l.started_at < ?",
                                (track_id, at)))
        added = float(db.scalar("SELECT added_at FROM track WHERE id = ?", (track_id,)))
        assert fact.at == added or (added <= 0 and fact.at != fact.at), text
        if fact.kind == "unplayed":
            assert plays == 0, text
            assert ("never played" in text) == (listens == 0), text
        else:
            assert ("never played" in text) == (plays == 0), text
    else:
        raise AssertionError(f"unknown fact kind {fact.kind}: {text}")
    if fact.kind in PLAY_CLAIMS - {"liked"}:
        assert _plays(db, track_id, 0, at) > 0, f"a play claimed for a never-played track: {text}"
    assert "favourite" not in text
