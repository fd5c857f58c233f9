"""The handover lead learned per format: HandoverTuner's bookkeeping, and VlcEngine feeding it."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.engine.base import Media
from player.engine.capture import SampleCapture
from player.engine.handover import LEARN_RATE, MAX_STEP_MS, HandoverTuner, format_of, key
from tests.engine.conftest import RATE, SECONDS, Rig
from tests.factories import make_audio


def test_format_and_key_ignore_case_and_round_the_rate() -> None:
    assert format_of("/m/A Song.FLAC") == ".flac"
    assert format_of("/m/noext") == "?"
    assert key("/m/a.ogg", 1.0000001) == (".ogg", 1.0)


def test_the_default_lead_stands_until_a_format_is_measured() -> None:
    tuner = HandoverTuner()
    assert tuner.lead_ms((".mp3", 1.0), (".flac", 1.0), 30.0) == 30.0


def test_lead_is_start_latency_of_the_next_minus_end_error_of_the_current() -> None:
    tuner = HandoverTuner()
    assert tuner.observe_start((".flac", 1.0), 118.0)
    assert tuner.observe_start((".ogg", 1.0), 37.0)
    # no end measured yet: the default, not the start latency alone
    assert tuner.lead_ms((".flac", 1.0), (".flac", 1.0), 30.0) == 30.0
    assert tuner.observe_end((".mp3", 1.0), -13.0)
    assert tuner.observe_end((".flac", 1.0), 103.0)
    assert tuner.lead_ms((".mp3", 1.0), (".flac", 1.0), 30.0) == pytest.approx(131.0)
    # the current track really ends 103 ms after the estimate: start an Ogg (37 ms to start)
    # 66 ms after the estimated end
    assert tuner.lead_ms((".flac", 1.0), (".ogg", 1.0), 30.0) == pytest.approx(-66.0)
    assert tuner.lead_ms((".ogg", 1.0), (".flac", 1.0), 30.0) == 30.0  # Ogg's end not seen
    # other rates are learned apart
    assert tuner.lead_ms((".mp3", 4.0), (".flac", 4.0), 7.5) == 7.5


def test_later_measurements_refine_rather_than_replace() -> None:
    tuner = HandoverTuner()
    tuner.observe_start((".ogg", 1.0), 40.0)
    tuner.observe_start((".ogg", 1.0), 60.0)
    assert tuner.start_ms[(".ogg", 1.0)] == pytest.approx(40.0 + LEARN_RATE * 20.0)


def test_one_odd_measurement_moves_a_learned_value_only_a_little() -> None:
    tuner = HandoverTuner()
    tuner.observe_end((".flac", 1.0), 100.0)
    tuner.observe_end((".flac", 1.0), -300.0)  # a stall while the track ended
    assert tuner.end_error_ms[(".flac", 1.0)] == pytest.approx(100.0 - MAX_STEP_MS)


def test_absurd_measurements_are_ignored() -> None:
    tuner = HandoverTuner()
    assert not tuner.observe_start((".ogg", 1.0), -5.0)  # before play(): not a start latency
    assert not tuner.observe_start((".ogg", 1.0), 5000.0)  # a stall
    assert not tuner.observe_end((".ogg", 1.0), -2000.0)
    assert tuner.start_ms == {} and tuner.end_error_ms == {}


def test_vlc_engine_learns_per_format_and_hands_over_in_order(tmp_path: Path) -> None:
    from player.engine.vlc import VlcEngine

    paths = [make_audio(tmp_path / f"t{i}.{fmt}", seconds=SECONDS, freq=330.0 + 110.0 * i)
             for i, fmt in enumerate(["ogg", "flac", "ogg", "flac", "ogg"])]
    capture = SampleCapture()
    engine = VlcEngine("dummy", capture=capture)
    rig = Rig(engine, None, capture)
    try:
        engine.set_rate(RATE)
        medias = [Media(str(p), i + 1, int(SECONDS * 1000)) for i, p in enumerate(paths)]
        engine.load(medias[0])
        engine.play()
        for following in medias[1:]:
            engine.prepare_next(following)
            rig.wait_event("ended", following.token - 1)
        rig.wait_event("ended", medias[-1].token)
        rig.pass_time(0.3)  # the last measurements settle
        tuner = engine.tuner
        assert set(tuner.start_ms) == {(".ogg", RATE), (".flac", RATE)}
        assert all(0.0 <= v < 1000.0 for v in tuner.start_ms.values())
        assert set(tuner.end_error_ms) == {(".ogg", RATE), (".flac", RATE)}
        assert [s.token for s in capture.segments()] == [m.token for m in medias]
    finally:
        engine.close()
