"""Crossfade: the curve, NullEngine (exact, FakeClock) and VlcEngine (real samples, 4x)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from player.core.clock import FakeClock
from player.engine import Engine, NullEngine
from player.engine.base import Media
from player.engine.capture import CAPTURE_RATE, SampleCapture
from player.engine.crossfade import fade_gains, fade_length_ms
from player.engine.vlc import VlcEngine
from tests.engine.conftest import Rig
from tests.engine.test_vlc import dominant_frequency
from tests.factories import make_audio

# -- the curve ----------------------------------------------------------------------------


def test_equal_power_curve_goes_from_one_track_to_the_other() -> None:
    assert fade_gains(0.0) == pytest.approx((1.0, 0.0))
    assert fade_gains(1.0) == pytest.approx((0.0, 1.0), abs=1e-9)
    assert fade_gains(0.5) == pytest.approx((math.sqrt(0.5), math.sqrt(0.5)))
    for p in np.linspace(0, 1, 11):
        out, inc = fade_gains(float(p))
        assert out * out + inc * inc == pytest.approx(1.0)
    outs = [fade_gains(float(p))[0] for p in np.linspace(0, 1, 11)]
    assert outs == sorted(outs, reverse=True)


def test_the_fade_is_at_most_half_of_either_track() -> None:
    assert fade_length_ms(3000, 10_000, 10_000) == 3000
    assert fade_length_ms(3000, 4000, 10_000) == 2000
    assert fade_length_ms(3000, 10_000, 5000) == 2500
    assert fade_length_ms(3000, 10_000, 0) == 3000  # next length unknown: the current limits
    assert fade_length_ms(0, 10_000, 10_000) == 0


# -- NullEngine ---------------------------------------------------------------------------


def null_engine(crossfade_s: float) -> tuple[NullEngine, FakeClock]:
    clock = FakeClock()
    engine = NullEngine(clock=clock, check_files=False)
    engine.set_crossfade(crossfade_s)
    return engine, clock


def ten_s(path: str, token: int, gain: float = 1.0) -> Media:
    return Media(path, token, 10_000, gain)


def test_null_engine_is_still_an_engine_with_crossfade() -> None:
    engine, _clock = null_engine(3)
    assert isinstance(engine, Engine)


def test_null_crossfade_overlaps_and_ramps_with_volume_and_replaygain() -> None:
    engine, clock = null_engine(3)
    engine.set_volume(50)
    engine.load(ten_s("/a.ogg", 1))
    engine.play()
    engine.prepare_next(ten_s("/b.ogg", 2, gain=0.5))
    engine.poll_events()
    clock.advance(6.9)
    assert engine.poll_events() == []
    assert engine.audible() == {1: pytest.approx(0.5)}
    clock.advance(0.1)  # 3 s before the end: b starts, a fades
    events = engine.poll_events()
    assert [(e.kind, e.token, e.next_token, e.fade_ms) for e in events] == [
        ("ended", 1, 2, 3000), ("playing", 2, None, 0)]
    assert engine.position() == 0
    assert engine.audible() == {1: pytest.approx(0.5), 2: pytest.approx(0.0)}
    clock.advance(1.5)  # half way: both at cos(pi/4) of their level
    assert engine.audible() == {1: pytest.approx(0.5 * math.sqrt(0.5)),
                                2: pytest.approx(0.25 * math.sqrt(0.5))}
    assert engine.position() == 1500
    clock.advance(1.0)
    levels = engine.audible()
    assert levels[1] < 0.5 * math.sqrt(0.5) and levels[2] > 0.25 * math.sqrt(0.5)
    clock.advance(0.5)  # a's real end
    assert engine.audible() == {2: pytest.approx(0.25)}
    assert engine.effective_volume() == pytest.approx(0.25)
    assert engine.played == ["/a.ogg", "/b.ogg"]


def test_null_crossfade_zero_is_the_gapless_handover() -> None:
    engine, clock = null_engine(0)
    engine.load(ten_s("/a.ogg", 1))
    engine.play()
    engine.prepare_next(ten_s("/b.ogg", 2))
    engine.poll_events()
    clock.advance(9.99)
    assert engine.poll_events() == []
    clock.advance(0.01)
    assert [(e.kind, e.token, e.fade_ms) for e in engine.poll_events()] == [
        ("ended", 1, 0), ("playing", 2, 0)]
    assert engine.audible() == {2: pytest.approx(1.0)}


def test_null_crossfade_is_cut_by_load_and_by_pause() -> None:
    engine, clock = null_engine(3)
    engine.load(ten_s("/a.ogg", 1))
    engine.play()
    engine.prepare_next(ten_s("/b.ogg", 2))
    clock.advance(8)
    assert set(engine.audible()) == {1, 2}
    engine.pause()
    engine.play()
    assert engine.audible() == {2: pytest.approx(1.0)}
    engine.prepare_next(ten_s("/c.ogg", 3))
    clock.advance(6)  # b: 7 s in, the fade into c has begun
    assert set(engine.audible()) == {2, 3}
    engine.load(ten_s("/d.ogg", 4))  # the user chose another track
    engine.play()
    assert engine.audible() == {4: pytest.approx(1.0)}


def test_null_same_file_again_follows_gaplessly() -> None:
    engine, clock = null_engine(3)
    engine.load(ten_s("/a.ogg", 1))
    engine.play()
    engine.prepare_next(ten_s("/a.ogg", 2))  # repeat one
    engine.poll_events()
    clock.advance(9.9)
    assert engine.poll_events() == []
    clock.advance(0.1)
    assert [(e.kind, e.fade_ms) for e in engine.poll_events()] == [("ended", 0), ("playing", 0)]


# -- VlcEngine: the samples ---------------------------------------------------------------

RATE = 4.0
TRACK_S = 8.0
FADE_S = 4.0  # 1 s of wall time at 4x


@pytest.fixture(scope="module")
def long_tones(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("xfade")
    return {name: make_audio(folder / f"{name}.ogg", seconds=TRACK_S, freq=freq)
            for name, freq in (("a", 440.0), ("b", 880.0))}


def test_vlc_crossfade_samples_overlap_while_the_volumes_ramp(long_tones: dict[str, Path]) -> None:
    capture = SampleCapture()
    rig = Rig(VlcEngine("dummy", capture=capture), None, capture)
    engine = rig.engine
    try:
        engine.set_rate(RATE)
        engine.set_crossfade(FADE_S)
        engine.set_volume(80)
        engine.load(Media(str(long_tones["a"]), 1, int(TRACK_S * 1000), 1.0))
        engine.play()
        engine.prepare_next(Media(str(long_tones["b"]), 2, int(TRACK_S * 1000), 0.5))
        ended = rig.wait_event("ended", 1)
        assert ended.next_token == 2
        assert 1700 <= ended.fade_ms <= FADE_S * 1000, ended
        rig.wait_event("ended", 2)
    finally:
        engine.close()
    first, second = capture.segments()
    assert (first.token, second.token) == (1, 2)
    overlap_us = first.end_pts - second.first_pts
    fade_wall_us = FADE_S / RATE * 1e6
    assert 0.6 * fade_wall_us <= overlap_us <= 1.3 * fade_wall_us, overlap_us
    # both tones really sound in the overlap
    a = np.frombuffer(first.samples, dtype=np.int16)
    b = np.frombuffer(second.samples, dtype=np.int16)
    n = int(overlap_us / 1e6 * CAPTURE_RATE)
    assert abs(dominant_frequency(a[-n:]) - 440) < 30
    assert abs(dominant_frequency(b[:n]) - 880) < 30
    # the volumes libVLC applied ramp: b from 0 up to 0.8 x 0.5 (ReplayGain), a down from 0.8.
    # libVLC 3 holds volume changes back while an output drains (its decoder is done: the
    # last ~2 s of track time, 0.5 s here), so a's ramp stops part way and its last step
    # (0) lands only at its end.
    timed = list(zip(capture.volumes, capture.volume_times, strict=True))
    b_level = capture.volume_at(2, second.first_pts)
    assert b_level is not None and b_level <= 0.05, b_level  # b comes in (almost) silent
    b_ramp = [v for (token, v, _m), t in timed if token == 2 and t >= second.first_pts]
    assert len(set(b_ramp)) >= 8 and b_ramp == sorted(b_ramp), b_ramp
    assert b_ramp[-1] == pytest.approx(0.4, abs=0.011)
    a_before = [v for (token, v, _m), t in timed if token == 1 and t < second.first_pts]
    assert a_before[-1] == pytest.approx(0.8, abs=0.011)
    a_ramp = [v for (token, v, _m), t in timed if token == 1 and t >= second.first_pts]
    assert a_ramp == sorted(a_ramp, reverse=True) and a_ramp[-1] <= 0.02, a_ramp
    assert len([v for v in a_ramp if 0.1 < v < 0.79]) >= 3, a_ramp
    # a quarter into the overlap: a still loud, b coming up
    quarter = second.first_pts + overlap_us // 4
    a_q, b_q = capture.volume_at(1, int(quarter)), capture.volume_at(2, int(quarter))
    assert a_q is not None and b_q is not None
    assert 0.8 * 0.75 <= a_q <= 0.8, a_q
    assert 0.4 * 0.15 <= b_q <= 0.4 * 0.65, b_q
