"""Listens as PlaybackService + ListenLogger write them: one test per definition.

NullEngine and a FakeClock make time exact; the database is a real SQLite file.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from player.db.listens import ListenRepository
from tests.playback.harness import Harness, add_library, new_harness

MIN = 60.0


@pytest.fixture
def h(tmp_path: Path) -> Harness:
    harness = new_harness(tmp_path)
    yield harness
    harness.db.close()


def test_a_listen_is_written_when_it_starts(h: Harness) -> None:
    tracks = add_library(h.db, [180.0, 180.0])
    h.service.set_repeat("all")
    h.service.play_tracks(tracks, 0, source="album", source_id="12")
    row = h.last()
    assert row.track_id == tracks[0].id
    assert row.end_reason is None
    assert row.started_at == h.clock.now()
    assert row.utc_offset_min == time.localtime(h.clock.now()).tm_gmtoff // 60
    assert (row.source, row.source_id) == ("album", "12")
    assert row.duration_ms == 180_000
    assert row.repeat_mode == "all" and row.shuffle is False
    assert row.session_id >= 1 and row.origin == "encore"


def test_a_heartbeat_updates_the_open_listen_while_it_plays(h: Harness) -> None:
    tracks = add_library(h.db, [180.0])
    h.service.play_tracks(tracks)
    h.run(12)
    row = h.last()
    assert row.end_reason is None
    assert row.ms_played == 10_000  # the heartbeats at 5 s and 10 s
    assert row.heartbeat_at == pytest.approx(row.started_at + 10, abs=0.01)
    assert row.end_position_ms == 10_000


def test_a_finished_track_is_closed_as_finished_and_the_next_starts(h: Harness) -> None:
    tracks = add_library(h.db, [60.0, 60.0])
    h.service.play_tracks(tracks)
    h.run(61)
    first, second = h.rows()
    assert first.end_reason == "finished"
    assert first.ms_played == 60_000 and first.end_position_ms == 60_000
    assert first.is_play and not first.is_skip
    assert second.track_id == tracks[1].id and second.end_reason is None
    assert second.started_at == pytest.approx(first.started_at + 60, abs=0.11)


def test_pauses_are_not_heard(h: Harness) -> None:
    tracks = add_library(h.db, [180.0, 180.0])
    h.service.play_tracks(tracks)
    h.run(10)
    h.service.toggle_pause()
    h.run(60)
    assert h.service.state.paused
    h.service.toggle_pause()
    h.run(25)
    h.service.next()
    first = h.rows()[0]
    assert first.ms_played == 35_000
    assert first.end_position_ms == 35_000


def test_a_seek_forward_adds_no_heard_time(h: Harness) -> None:
    tracks = add_library(h.db, [180.0])
    h.service.play_tracks(tracks)
    h.run(5)
    h.service.seek(170_000)
    h.run(11)
    row = h.last()
    assert row.end_reason == "finished"
    assert row.ms_played == 15_000  # 5 s + the last 10 s, not 180 s
    assert row.end_position_ms == 180_000
    assert not row.is_play


def test_a_seek_back_counts_what_is_heard_again(h: Harness) -> None:
    tracks = add_library(h.db, [180.0, 180.0])
    h.service.play_tracks(tracks)
    h.run(20)
    h.service.seek(0)
    h.run(20)
    h.service.next()
    first = h.rows()[0]
    assert first.ms_played == 40_000 and first.end_position_ms == 20_000
    assert first.is_play


def test_a_play_needs_30_seconds(h: Harness) -> None:
    tracks = add_library(h.db, [180.0, 180.0, 180.0])
    h.service.play_tracks(tracks)
    h.run(29.9)
    h.service.next()
    h.run(30)
    h.service.next()
    first, second, _third = h.rows()
    assert first.ms_played == 29_900 and not first.is_play
    assert second.ms_played == 30_000 and second.is_play


def test_a_short_track_is_a_play_at_half(h: Harness) -> None:
    tracks = add_library(h.db, [40.0, 40.0, 40.0])
    h.service.play_tracks(tracks)
    h.run(19.9)
    h.service.next()
    h.run(20)
    h.service.next()
    first, second, _third = h.rows()
    assert not first.is_play
    assert second.is_play


def test_next_before_half_is_a_skip_and_before_30_s_an_early_skip(h: Harness) -> None:
    tracks = add_library(h.db, [180.0] * 4)
    h.service.play_tracks(tracks)
    h.run(29.9)
    h.service.next()  # early skip
    h.run(60)
    h.service.next()  # skip (and a play)
    h.run(95)
    h.service.next()  # past half: not a skip
    early, skip, not_skip, _open = h.rows()
    assert early.end_reason == "next" and early.is_skip and early.is_early_skip
    assert skip.is_skip and not skip.is_early_skip and skip.is_play
    assert not not_skip.is_skip and not_skip.is_play


def test_choosing_another_track_is_a_skip(h: Harness) -> None:
    tracks = add_library(h.db, [180.0] * 3)
    h.service.play_tracks(tracks)
    h.run(10)
    h.service.play_tracks(tracks, 2, source="search")
    first = h.rows()[0]
    assert first.end_reason == "chose_another" and first.is_skip and first.is_early_skip
    assert h.last().source == "search"


def test_previous_stop_and_quit_are_not_skips(h: Harness) -> None:
    tracks = add_library(h.db, [180.0] * 3)
    h.service.play_tracks(tracks, 1)
    h.run(2)
    h.service.previous()  # 2 s in: goes back to track 0
    assert h.service.state.current.id == tracks[0].id
    h.run(5)
    h.service.stop()
    h.service.play()
    h.run(5)
    h.service.shutdown()
    reasons = [(r.end_reason, r.is_skip) for r in h.rows()]
    assert reasons == [("previous", False), ("stopped", False), ("app_quit", False)]


def test_previous_after_3_seconds_restarts_the_same_listen(h: Harness) -> None:
    tracks = add_library(h.db, [180.0] * 3)
    h.service.play_tracks(tracks, 1)
    h.run(4)
    h.service.previous()
    assert h.service.state.current.id == tracks[1].id
    assert h.engine.position() == 0
    assert len(h.rows()) == 1


def test_a_replay_within_30_minutes_of_a_play_is_a_repeat(h: Harness) -> None:
    tracks = add_library(h.db, [60.0, 60.0])
    h.service.play_tracks(tracks[:1])
    h.run(61)  # played to the end
    h.clock.advance(29 * MIN)
    h.service.play_tracks(tracks[:1])
    h.run(61)
    h.clock.advance(31 * MIN)
    h.service.play_tracks(tracks[:1])
    first, repeat, later = h.rows()
    assert not first.is_repeat
    assert repeat.is_repeat
    assert not later.is_repeat


def test_a_replay_after_a_skip_is_not_a_repeat(h: Harness) -> None:
    tracks = add_library(h.db, [180.0, 180.0])
    h.service.play_tracks(tracks)
    h.run(5)
    h.service.next()  # track 0 skipped, not a play
    h.service.play_tracks(tracks, 0)
    assert not h.last().is_repeat


def test_repeat_one_makes_repeats(h: Harness) -> None:
    tracks = add_library(h.db, [40.0, 40.0])
    h.service.set_repeat("one")
    h.service.play_tracks(tracks)
    h.run(40 * 3 + 1)
    rows = h.rows()
    assert [r.track_id for r in rows] == [tracks[0].id] * 4
    assert [r.is_repeat for r in rows] == [False, True, True, True]
    assert all(r.repeat_mode == "one" for r in rows)


def test_a_new_session_starts_after_30_minutes_of_silence(h: Harness) -> None:
    tracks = add_library(h.db, [60.0] * 3)
    h.service.play_tracks(tracks[:1])
    h.run(61)
    h.clock.advance(29 * MIN)
    h.service.play_tracks(tracks[1:2])
    h.run(61)
    h.clock.advance(31 * MIN)
    h.service.play_tracks(tracks[2:3])
    a, b, c = h.rows()
    assert a.session_id == b.session_id
    assert c.session_id == b.session_id + 1


def test_the_session_survives_a_restart(tmp_path: Path) -> None:
    first = new_harness(tmp_path)
    tracks = add_library(first.db, [60.0] * 2)
    first.service.play_tracks(tracks[:1])
    first.run(10)
    first.service.shutdown()
    second = Harness(first.db)
    second.clock = first.clock  # the same moment
    second.engine.clock = first.clock
    second.service.clock = second.service.logger.clock = first.clock
    first.clock.advance(60)
    second.service.play_tracks(tracks[1:])
    a, b = second.rows()
    assert a.session_id == b.session_id


def test_after_a_crash_the_next_start_closes_the_listen_at_its_last_heartbeat(tmp_path: Path) -> None:
    crashed = new_harness(tmp_path)
    tracks = add_library(crashed.db, [180.0])
    crashed.service.play_tracks(tracks)
    crashed.run(12)  # heartbeats at 5 s and 10 s, then the process dies: no shutdown()
    started = crashed.last().started_at
    Harness(crashed.db)  # the next start
    row = ListenRepository(crashed.db).recent(1)[0]
    assert row.end_reason == "crash_recovered"
    assert row.ms_played == 10_000 and row.end_position_ms == 10_000
    assert row.heartbeat_at == pytest.approx(started + 10, abs=0.01)
    assert not row.is_skip


def test_quitting_closes_the_listen_as_app_quit(h: Harness) -> None:
    tracks = add_library(h.db, [180.0])
    h.service.play_tracks(tracks)
    h.run(40)
    h.service.shutdown()
    row = h.last()
    assert row.end_reason == "app_quit" and row.ms_played == 40_000 and row.is_play


def test_a_file_that_fails_is_an_error_listen_and_the_queue_goes_on(h: Harness) -> None:
    tracks = add_library(h.db, [60.0, 60.0])
    h.engine.fail_paths.add(tracks[0].path)
    h.service.play_tracks(tracks)
    assert h.service.state.current.id == tracks[1].id
    failed, playing = h.rows()
    assert failed.end_reason == "error" and failed.ms_played == 0
    assert playing.track_id == tracks[1].id and playing.end_reason is None
    errors = [e for e in h.events if e.kind == "error"]
    assert len(errors) == 1 and "simulated failure" in errors[0].message
    assert errors[0].track.id == tracks[0].id


def test_queued_tracks_are_listened_from_the_queue_and_modes_are_stored(h: Harness) -> None:
    tracks = add_library(h.db, [60.0] * 3)
    h.service.play_tracks(tracks[:2], source="playlist", source_id="3")
    h.service.play_next(tracks[2:])
    h.service.set_shuffle(True)
    h.run(61)
    row = h.last()
    assert row.track_id == tracks[2].id
    assert (row.source, row.source_id) == ("queue", "")
    assert row.shuffle is True


def test_a_handover_credits_each_track_with_its_own_time(h: Harness) -> None:
    tracks = add_library(h.db, [40.0, 40.0])
    h.service.play_tracks(tracks)
    h.clock.advance(45)  # one big step: 40 s of the first, 5 s of the second
    h.service.tick()
    first, second = h.rows()
    assert first.ms_played == 40_000
    h.run(1)
    h.service.next()
    assert h.rows()[1].ms_played == 6_000


def test_nothing_is_recorded_while_recording_is_paused(h: Harness) -> None:
    from player.db.history_admin import HistoryAdmin

    tracks = add_library(h.db, [180.0, 180.0])
    HistoryAdmin(h.db).set_recording_paused(True)
    h.service.play_tracks(tracks)
    h.run(40)
    h.service.next()
    h.run(40)
    assert h.db.scalar("SELECT count(*) FROM listen") == 0
    HistoryAdmin(h.db).set_recording_paused(False)
    h.service.play_tracks(tracks)
    h.run(40)
    assert h.db.scalar("SELECT count(*) FROM listen") == 1


def test_a_skip_is_announced_with_the_listen_source(h: Harness) -> None:
    tracks = add_library(h.db, [180.0, 180.0, 180.0])
    h.service.play_tracks(tracks, 0, source="context queue")
    h.run(10)
    h.service.next()  # 10 s of 180: a skip
    h.run(120)
    h.service.next()  # 120 s of 180: past half-way, not a skip
    skipped = [(e.track.id, e.source) for e in h.events if e.kind == "skipped" and e.track]
    assert skipped == [(tracks[0].id, "context queue")]
