"""PlaybackService on NullEngine + FakeClock: transport, queue, ReplayGain, saving, feedback."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.db.feedback import FeedbackRepository
from player.db.tracks import ScannedFile, TrackRepository
from player.engine.base import replaygain_factor
from tests.factories import make_tags
from tests.playback.harness import Harness, add_library, new_harness


@pytest.fixture
def h(tmp_path: Path) -> Harness:
    harness = new_harness(tmp_path)
    yield harness
    harness.db.close()


def kinds(h: Harness) -> list[str]:
    return [e.kind for e in h.events if e.kind != "position"]


def test_play_tracks_plays_and_tells_listeners(h: Harness) -> None:
    tracks = add_library(h.db, [60.0, 60.0])
    h.service.play_tracks(tracks, 1)
    state = h.service.state
    assert state.current.id == tracks[1].id and state.index == 1 and state.playing
    assert state.queue == tuple(tracks)
    assert state.duration_ms == 60_000
    assert "queue_changed" in kinds(h) and "track_changed" in kinds(h)
    h.run(1)
    assert h.events[-1].kind == "position" and h.events[-1].state.position_ms == 1000


def test_the_queue_ends_and_playback_stops(h: Harness) -> None:
    tracks = add_library(h.db, [10.0, 10.0])
    h.service.play_tracks(tracks)
    h.run(25)
    state = h.service.state
    assert not state.playing and state.current.id == tracks[1].id
    assert [r.end_reason for r in h.rows()] == ["finished", "finished"]
    assert h.engine.played == [t.path for t in tracks]


def test_toggle_pause(h: Harness) -> None:
    tracks = add_library(h.db, [60.0])
    h.service.play_tracks(tracks)
    h.service.toggle_pause()
    assert h.service.state.paused and h.engine.state() == "paused"
    h.service.toggle_pause()
    assert not h.service.state.paused and h.engine.state() == "playing"


def test_next_at_the_end_stops(h: Harness) -> None:
    tracks = add_library(h.db, [60.0])
    h.service.play_tracks(tracks)
    h.service.next()
    assert not h.service.state.playing
    assert h.last().end_reason == "next"


def test_previous_at_the_start_restarts(h: Harness) -> None:
    tracks = add_library(h.db, [60.0, 60.0])
    h.service.play_tracks(tracks)
    h.run(2)
    h.service.previous()
    assert h.service.state.current.id == tracks[0].id and h.engine.position() == 0


def test_queue_edits_reach_the_engine_as_the_prepared_next(h: Harness) -> None:
    tracks = add_library(h.db, [10.0] * 4)
    h.service.play_tracks(tracks[:2])
    h.service.play_next(tracks[3:])
    h.service.add_to_queue(tracks[2:3])
    assert [t.id for t in h.service.state.queue] == [tracks[i].id for i in (0, 3, 1, 2)]
    h.service.move_in_queue(3, 1)
    h.service.remove_from_queue(2)
    assert [t.id for t in h.service.state.queue] == [tracks[i].id for i in (0, 2, 1)]
    h.run(31)
    assert h.engine.played == [tracks[i].path for i in (0, 2, 1)]


def test_removing_the_current_track_moves_on(h: Harness) -> None:
    tracks = add_library(h.db, [60.0] * 3)
    h.service.play_tracks(tracks)
    h.service.remove_from_queue(0)
    assert h.service.state.current.id == tracks[1].id
    assert h.rows()[0].end_reason == "next"


def test_clear_keeps_the_current_track(h: Harness) -> None:
    tracks = add_library(h.db, [60.0] * 3)
    h.service.play_tracks(tracks, 1)
    h.service.clear_queue()
    assert h.service.state.queue == (tracks[1],)
    assert h.service.state.playing


def test_when_every_file_fails_playback_stops(h: Harness) -> None:
    tracks = add_library(h.db, [60.0] * 3)
    h.engine.fail_paths.update(t.path for t in tracks)
    h.service.set_repeat("all")
    h.service.play_tracks(tracks)
    assert not h.service.state.playing
    assert [r.end_reason for r in h.rows()] == ["error"] * 3
    assert kinds(h).count("error") == 3


def _with_gain(h: Harness, **rg: float) -> list:
    tags = make_tags(title="Loud", duration=60.0, **rg)
    TrackRepository(h.db).write_scanned([ScannedFile("/music/loud.ogg", 1, 1.0, "fpx", tags)], {})
    return [TrackRepository(h.db).by_path("/music/loud.ogg")]


def test_replaygain_track_mode_scales_the_volume(h: Harness) -> None:
    tracks = _with_gain(h, rg_track_gain=-6.0, rg_track_peak=0.9, rg_album_gain=-3.0)
    h.service.set_volume(80)
    h.service.play_tracks(tracks)
    assert h.engine.effective_volume() == pytest.approx(0.8 * 10 ** (-6 / 20), rel=1e-6)


def test_replaygain_album_mode_and_off(h: Harness) -> None:
    tracks = _with_gain(h, rg_track_gain=-6.0, rg_album_gain=-3.0)
    h.service.set_replaygain("album")
    h.service.play_tracks(tracks)
    assert h.engine.effective_volume() == pytest.approx(10 ** (-3 / 20), rel=1e-6)
    h.service.set_replaygain("off")
    h.service.play_tracks(tracks)
    assert h.engine.effective_volume() == pytest.approx(1.0)


def test_replaygain_album_mode_falls_back_to_the_track_gain() -> None:
    assert replaygain_factor(None, None) == 1.0
    assert replaygain_factor(6.0, 0.9) == pytest.approx(1 / 0.9)  # the peak limits a boost


def test_mute_and_volume(h: Harness) -> None:
    tracks = add_library(h.db, [60.0])
    h.service.play_tracks(tracks)
    h.service.set_volume(50)
    h.service.set_muted(True)
    assert h.engine.effective_volume() == 0.0 and h.service.state.muted
    h.service.set_muted(False)
    assert h.engine.effective_volume() == pytest.approx(0.5)


def test_like_and_ban_are_stored_and_shown(h: Harness) -> None:
    tracks = add_library(h.db, [60.0, 60.0])
    h.service.play_tracks(tracks)
    h.service.like(tracks[0].id)
    h.service.ban(tracks[1].id)
    assert h.service.state.liked and not h.service.state.banned
    feedback = FeedbackRepository(h.db)
    assert feedback.liked_ids() == {tracks[0].id} and feedback.banned_ids() == {tracks[1].id}
    h.service.like(tracks[0].id, False)
    assert not feedback.get(tracks[0].id).liked


def test_the_queue_and_position_come_back_after_a_restart(tmp_path: Path) -> None:
    before = new_harness(tmp_path)
    tracks = add_library(before.db, [180.0] * 4)
    before.service.set_volume(70)
    before.service.set_repeat("all")
    before.service.play_tracks(tracks, 1, source="album", source_id="5")
    before.service.add_to_queue(tracks[:1])
    before.run(42)
    before.service.shutdown()

    after = Harness(before.db)
    assert after.service.restore()
    changed = [e for e in after.events if e.kind == "track_changed"]
    assert changed and changed[-1].track.id == tracks[1].id  # the now-playing bar can show it
    state = after.service.state
    assert [t.id for t in state.queue] == [t.id for t in tracks] + [tracks[0].id]
    assert state.current.id == tracks[1].id and state.repeat == "all" and state.volume == 70
    assert not state.playing and state.position_ms == 42_000
    after.service.play()
    assert after.engine.position() == 42_000
    assert after.last().source == "album" and after.last().source_id == "5"


def test_the_position_is_saved_while_playing_so_a_crash_loses_little(tmp_path: Path) -> None:
    before = new_harness(tmp_path)
    tracks = add_library(before.db, [180.0] * 2)
    before.service.play_tracks(tracks)
    before.run(33)  # no shutdown: killed
    after = Harness(before.db)
    after.service.restore()
    assert 25_000 <= after.service.state.position_ms <= 33_000


def test_restore_with_nothing_saved(h: Harness) -> None:
    assert h.service.restore() is False
    h.service.play()  # nothing to play: no error
    assert not h.service.state.playing


def test_a_listener_that_raises_does_not_stop_playback(h: Harness) -> None:
    tracks = add_library(h.db, [60.0])

    def broken(_event: object) -> None:
        raise RuntimeError("listener bug")

    h.service.add_listener(broken)
    h.service.play_tracks(tracks)
    assert h.service.state.playing


def test_resuming_after_a_restart_is_not_a_repeat_but_playing_it_again_is(tmp_path: Path) -> None:
    before = new_harness(tmp_path)
    tracks = add_library(before.db, [180.0] * 2)
    before.service.play_tracks(tracks)
    before.run(120)  # over half heard: a play
    before.service.shutdown()
    assert before.last().is_play
    after = Harness(before.db)
    after.clock.advance(before.clock.now() - after.clock.now() + 60)  # restarted a minute later
    after.service.restore()
    after.service.play()
    after.run(30)
    assert after.last().track_id == tracks[0].id and not after.last().is_repeat  # PRODUCT.md
    after.service.play_tracks(tracks[:1])  # chosen again from the start: that is a repeat
    assert after.last().is_repeat
