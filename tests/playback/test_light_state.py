"""The light playback state: events carry a queue version, the queue tuple is shared per
version, the queue is saved off the GUI thread only when it changed, and the index follows."""

from __future__ import annotations

from pathlib import Path

from player.core.models import Track
from player.playback.service import QUEUE_INDEX_KEY, QUEUE_KEY
from tests.playback.harness import add_library, new_harness


def test_ticks_share_one_queue_tuple_and_the_version_moves_only_with_the_queue(tmp_path: Path) -> None:
    h = new_harness(tmp_path)
    tracks = add_library(h.db, [60.0] * 50)
    h.service.play_tracks(tracks, 10)
    first = h.service.state
    h.run(1.0)
    ticks = [e for e in h.events if e.kind == "position"]
    assert ticks and all(e.state.queue is first.queue for e in ticks)  # never copied per tick
    assert all(e.state.queue_version == first.queue_version for e in ticks)
    h.service.next()
    assert h.service.state.queue_version == first.queue_version  # moving on is not a change
    assert h.service.state.index == 11
    h.service.add_to_queue(tracks[:2])
    assert h.service.state.queue_version != first.queue_version
    assert len(h.service.state.queue) == 52


def test_a_big_queue_is_saved_in_the_background_and_restored_where_it_was(tmp_path: Path) -> None:
    h = new_harness(tmp_path)
    tracks = add_library(h.db, [60.0] * 3000)
    h.service.play_tracks(tracks, 1500)
    for _ in range(3):
        h.service.next()
    h.service.flush_saves()
    saved = h.db.scalar("SELECT value FROM setting WHERE key = ?", (QUEUE_KEY,))
    assert saved is not None and saved.count(",") > 3000
    # moving on wrote the small index record only; it names the saved queue's stamp
    where = h.service.settings.get(QUEUE_INDEX_KEY)
    assert where["index"] == 1503 and where["stamp"] == h.service.settings.get(QUEUE_KEY)["stamp"]
    h.service.shutdown()

    again = new_harness(tmp_path)  # the next start, same database file
    assert again.service.restore()
    state = again.service.state
    assert state.index == 1503 and state.current is not None
    assert state.current.id == tracks[1503].id
    assert [t.id for t in state.queue] == [t.id for t in tracks]


def test_replace_upcoming_keeps_what_played_and_makes_one_change(tmp_path: Path) -> None:
    h = new_harness(tmp_path)
    tracks: list[Track] = add_library(h.db, [60.0] * 8)
    h.service.play_tracks(tracks[:5], 0)
    h.service.next()
    h.events.clear()
    h.service.replace_upcoming(tracks[5:], "context queue")
    assert [t.id for t in h.service.state.queue] == [t.id for t in tracks[:2] + tracks[5:]]
    assert [e.kind for e in h.events] == ["queue_changed"]
    assert h.service.state.current.id == tracks[1].id
    h.service.next()
    assert h.service.queue.current.source == "context queue"


def test_a_small_queue_saved_after_a_big_one_is_never_overwritten_by_it(tmp_path: Path) -> None:
    h = new_harness(tmp_path)
    tracks = add_library(h.db, [60.0] * 2500)
    h.service.play_tracks(tracks, 0)  # big: pending in the background saver
    h.service.play_tracks(tracks[:3], 1)  # small: saved at once
    h.service.flush_saves()
    saved = h.service.settings.get(QUEUE_KEY)
    assert saved["track_ids"] == [t.id for t in tracks[:3]] and saved["index"] == 1
