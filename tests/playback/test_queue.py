"""The queue state machine: order, edits, shuffle, repeat, previous."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from player.core.models import Track
from player.core.queue import PlayQueue, artist_key, spread_shuffle


def tracks(n: int, artists: int | None = None) -> list[Track]:
    return [Track(id=i + 1, path=f"/m/{i}.ogg", title=f"T{i}",
                  artist=f"Artist {i % artists}" if artists else f"Solo {i}") for i in range(n)]


def ids(queue: PlayQueue) -> list[int]:
    return [t.id for t in queue.tracks]


def play_all(queue: PlayQueue, steps: int) -> list[int]:
    played = [queue.current.track.id] if queue.current else []
    for _ in range(steps):
        entry = queue.advance(auto=True)
        if entry is None:
            break
        played.append(entry.track.id)
    return played


def test_plays_in_order_and_stops_at_the_end() -> None:
    queue = PlayQueue()
    queue.set_tracks(tracks(3))
    assert play_all(queue, 10) == [1, 2, 3]
    assert queue.advance() is None
    assert queue.current.track.id == 3  # stays on the last track


def test_start_index_is_current() -> None:
    queue = PlayQueue()
    assert queue.set_tracks(tracks(5), start=2).track.id == 3
    assert queue.index == 2


def test_play_next_inserts_after_the_current_in_order() -> None:
    queue = PlayQueue()
    queue.set_tracks(tracks(3))
    extra = [Track(id=10, path="/x", title="x"), Track(id=11, path="/y", title="y")]
    queue.play_next(extra)
    assert ids(queue) == [1, 10, 11, 2, 3]
    assert queue.entries[1].source == "queue"
    assert queue.peek_next().track.id == 10


def test_add_appends() -> None:
    queue = PlayQueue()
    queue.set_tracks(tracks(2))
    queue.add([Track(id=10, path="/x", title="x")])
    assert ids(queue) == [1, 2, 10]


def test_move_keeps_the_current_entry_current() -> None:
    queue = PlayQueue()
    queue.set_tracks(tracks(4), start=1)
    queue.move(1, 3)
    assert ids(queue) == [1, 3, 4, 2]
    assert queue.current.track.id == 2 and queue.index == 3
    queue.move(0, 2)
    assert ids(queue) == [3, 4, 1, 2]
    assert queue.index == 3


def test_remove_before_and_of_the_current() -> None:
    queue = PlayQueue()
    queue.set_tracks(tracks(4), start=2)
    assert queue.remove(0) is False
    assert ids(queue) == [2, 3, 4] and queue.current.track.id == 3
    assert queue.remove(1) is True  # the current one: the caller moves on
    assert queue.advance(auto=False).track.id == 4


def test_remove_out_of_range_raises() -> None:
    queue = PlayQueue()
    with pytest.raises(IndexError):
        queue.remove(0)


def test_clear_keeps_only_the_current() -> None:
    queue = PlayQueue()
    queue.set_tracks(tracks(4), start=2)
    queue.clear()
    assert ids(queue) == [3] and queue.index == 0
    assert queue.advance() is None


def test_repeat_all_wraps_and_repeat_one_repeats_on_auto_only() -> None:
    queue = PlayQueue()
    queue.set_tracks(tracks(3))
    queue.set_repeat("all")
    assert play_all(queue, 5) == [1, 2, 3, 1, 2, 3]
    queue.set_repeat("one")
    assert queue.advance(auto=True).track.id == 3
    assert queue.advance(auto=True).track.id == 3
    assert queue.advance(auto=False).track.id == 1  # the user's next moves on (and wraps)


def test_repeat_rejects_unknown_modes() -> None:
    with pytest.raises(ValueError):
        PlayQueue().set_repeat("twice")  # type: ignore[arg-type]


def test_back_goes_to_the_previous_and_wraps_with_repeat_all() -> None:
    queue = PlayQueue()
    queue.set_tracks(tracks(3), start=1)
    assert queue.back().track.id == 1
    assert queue.back() is None
    queue.set_repeat("all")
    assert queue.back().track.id == 3


def test_shuffle_plays_everything_once_per_cycle_and_reshuffles() -> None:
    queue = PlayQueue(random.Random(7))
    queue.set_shuffle(True)
    queue.set_repeat("all")
    queue.set_tracks(tracks(12, artists=4), start=5)
    played = play_all(queue, 12 * 3 - 1)
    assert played[0] == 6  # the chosen track first
    cycles = [played[i:i + 12] for i in range(0, 36, 12)]
    for cycle in cycles:
        assert sorted(cycle) == list(range(1, 13))
    assert cycles[1] != cycles[2]
    for a, b in zip(played, played[1:], strict=False):
        assert a != b  # never the same track twice in a row, even across cycles


def test_shuffle_spreads_artists_apart() -> None:
    for seed in range(30):
        items = PlayQueue()
        items.set_tracks(tracks(20, artists=4))
        order = spread_shuffle(items.entries, random.Random(seed))
        keys = [artist_key(e.track) for e in order]
        assert sorted(e.track.id for e in order) == list(range(1, 21))
        neighbours = sum(a == b for a, b in zip(keys, keys[1:], strict=False))
        assert neighbours == 0, (seed, keys)


def test_shuffle_with_one_dominant_artist_comes_close_to_the_best_spread() -> None:
    lots = [Track(id=i, path=f"/{i}", title="t", artist="Big") for i in range(1, 9)]
    few = [Track(id=100 + i, path=f"/s{i}", title="t", artist=f"Small {i}") for i in range(4)]
    queue = PlayQueue()
    queue.set_tracks(lots + few)
    counts = []
    for seed in range(100):
        keys = [artist_key(e.track) for e in spread_shuffle(queue.entries, random.Random(seed))]
        assert Counter(keys)["big"] == 8
        counts.append(sum(a == b for a, b in zip(keys, keys[1:], strict=False)))
    # 8 of 12 by one artist: 3 same-artist neighbours at best; a plain shuffle averages ~4.7
    assert min(counts) == 3
    assert sum(counts) / len(counts) < 3.7


def test_shuffle_on_mid_queue_keeps_what_was_played_and_off_restores_order() -> None:
    queue = PlayQueue(random.Random(1))
    queue.set_tracks(tracks(10), start=3)
    queue.set_shuffle(True)
    assert ids(queue)[:4] == [1, 2, 3, 4] and queue.index == 3
    assert sorted(ids(queue)[4:]) == list(range(5, 11))
    queue.advance()
    current = queue.current.track.id
    queue.set_shuffle(False)
    assert ids(queue) == list(range(1, 11))
    assert queue.current.track.id == current


def test_unknown_artists_are_not_grouped_together() -> None:
    a = Track(id=1, path="/a", title="a")
    b = Track(id=2, path="/b", title="b")
    assert artist_key(a) != artist_key(b)


def test_peek_matches_advance_at_a_shuffled_wrap() -> None:
    queue = PlayQueue(random.Random(5))
    queue.set_shuffle(True)
    queue.set_repeat("all")
    queue.set_tracks(tracks(6), start=0)
    for _ in range(5):
        queue.advance()
    peeked = queue.peek_next()
    assert queue.advance() == peeked  # entries are values, built when asked for


def test_snapshot_round_trip_drops_vanished_tracks() -> None:
    queue = PlayQueue()
    queue.set_tracks(tracks(4), start=2, source="album", source_id="7")
    queue.set_repeat("one")
    snap = queue.snapshot()
    by_id = {t.id: t for t in tracks(4) if t.id != 1}
    again = PlayQueue()
    again.restore(snap, by_id.get)
    assert ids(again) == [2, 3, 4]
    assert again.current.track.id == 3
    assert again.repeat == "one"
    assert again.current.source == "album" and again.current.source_id == "7"
