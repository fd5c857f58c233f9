"""The engine contract: the same tests for NullEngine and VlcEngine (real libVLC)."""

from __future__ import annotations

from pathlib import Path

from player.engine import Engine
from tests.engine.conftest import RATE, SECONDS, Rig, media


def start(rig: Rig, path: Path, token: int = 1) -> None:
    rig.engine.load(media(path, token))
    rig.engine.play()
    rig.wait_event("playing", token)


def test_is_an_engine(rig: Rig) -> None:
    assert isinstance(rig.engine, Engine)
    assert rig.engine.state() == "stopped"
    assert rig.engine.position() == 0


def test_play_reports_playing_and_the_position_moves(rig: Rig, tones: dict[str, Path]) -> None:
    start(rig, tones["a"])
    assert rig.engine.state() == "playing"
    first = rig.engine.position()
    rig.pass_time(0.1)
    assert rig.engine.position() > first
    assert abs(rig.engine.duration() - SECONDS * 1000) < 100


def test_plays_to_the_end_and_stops(rig: Rig, tones: dict[str, Path]) -> None:
    start(rig, tones["a"])
    ended = rig.wait_event("ended", 1)
    assert ended.next_token is None
    rig.wait_for(lambda: rig.engine.state() == "stopped")


def test_pause_holds_the_position_and_play_resumes(rig: Rig, tones: dict[str, Path]) -> None:
    start(rig, tones["long"])
    rig.pass_time(0.08)
    rig.engine.pause()
    rig.wait_for(lambda: rig.engine.state() == "paused")
    held = rig.engine.position()
    rig.pass_time(0.3)
    assert rig.engine.position() == held
    assert not any(e.kind == "ended" for e in rig.events)
    rig.engine.play()
    rig.wait_for(lambda: rig.engine.state() == "playing")
    rig.wait_for(lambda: rig.engine.position() > held + 200)


def test_seek_moves_the_position(rig: Rig, tones: dict[str, Path]) -> None:
    start(rig, tones["long"])
    rig.engine.seek(10_000)
    position = rig.engine.position()
    assert 9_950 <= position <= 10_400, position
    rig.pass_time(0.1)
    assert 10_000 < rig.engine.position() < 12_000


def test_seek_past_the_end_ends(rig: Rig, tones: dict[str, Path]) -> None:
    start(rig, tones["a"])
    rig.engine.seek(int(SECONDS * 1000) - 50)
    rig.wait_event("ended", 1, timeout=3)


def test_prepared_media_follows_with_ended_naming_it(rig: Rig, tones: dict[str, Path]) -> None:
    start(rig, tones["a"], 1)
    rig.engine.prepare_next(media(tones["b"], 2))
    ended = rig.wait_event("ended", 1)
    assert ended.next_token == 2
    rig.engine.prepare_next(media(tones["c"], 3))
    assert rig.wait_event("ended", 2).next_token == 3
    assert rig.wait_event("ended", 3).next_token is None
    order = [(e.token, e.next_token) for e in rig.events if e.kind == "ended"]
    assert order == [(1, 2), (2, 3), (3, None)]


def test_prepare_none_forgets_the_prepared_media(rig: Rig, tones: dict[str, Path]) -> None:
    start(rig, tones["a"])
    rig.engine.prepare_next(media(tones["b"], 2))
    rig.engine.prepare_next(None)
    assert rig.wait_event("ended", 1).next_token is None
    rig.pass_time(0.2)
    assert not any(e.token == 2 for e in rig.events)


def test_load_replaces_what_plays(rig: Rig, tones: dict[str, Path]) -> None:
    start(rig, tones["a"], 1)
    start(rig, tones["b"], 2)
    rig.wait_event("ended", 2)
    assert not any(e.kind == "ended" and e.token == 1 for e in rig.events)


def test_stop_stops(rig: Rig, tones: dict[str, Path]) -> None:
    start(rig, tones["a"])
    rig.engine.stop()
    assert rig.engine.state() == "stopped"
    assert rig.engine.position() == 0
    rig.pass_time(0.5)
    assert not any(e.kind == "ended" for e in rig.events)


def test_a_missing_file_is_an_error_event(rig: Rig, tmp_path: Path) -> None:
    rig.engine.load(media(tmp_path / "gone.ogg", 7))
    rig.engine.play()
    error = rig.wait_event("error", 7)
    assert "not found" in error.message
    rig.wait_for(lambda: rig.engine.state() == "stopped")


def test_volume_mute_and_replaygain_make_the_effective_volume(rig: Rig, tones: dict[str, Path]) -> None:
    rig.engine.load(media(tones["a"], 1, gain=0.5))
    rig.engine.set_volume(80)
    assert abs(rig.engine.effective_volume() - 0.4) < 0.011
    rig.engine.set_muted(True)
    assert rig.engine.effective_volume() == 0.0
    rig.engine.set_muted(False)
    rig.engine.set_volume(500)  # clamped
    assert abs(rig.engine.effective_volume() - 0.5) < 0.011


def test_rate_carries_over_to_the_next_media(rig: Rig, tones: dict[str, Path]) -> None:
    start(rig, tones["a"], 1)
    rig.engine.prepare_next(media(tones["b"], 2))
    rig.wait_event("ended", 1)
    rig.wait_event("playing", 2)
    before = rig.engine.position()
    rig.pass_time(0.1)
    moved = rig.engine.position() - before
    assert moved >= 0.1 * 1000 * RATE * 0.6, moved
