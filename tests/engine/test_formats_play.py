"""Odd formats through real libVLC: played (amem capture) and decoded for analysis; DSD, which
libVLC 3 cannot decode, through the FLAC copy FFmpeg makes (playback/playable_copies.py)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from player.core.errors import EngineDecodeError
from player.engine.base import EngineEvent, Media
from player.engine.capture import CAPTURE_RATE, SampleCapture
from player.engine.vlc import VlcEngine, decode_to_pcm
from player.playback.playable_copies import PlayableCopyCache
from tests.factories import have_ffmpeg, make_audio, make_dff, make_dsf

needs_ffmpeg = pytest.mark.skipif(not have_ffmpeg(), reason="ffmpeg makes the audio files")
DEBIAN = Path(os.path.expanduser("~/.cache/encore-testdata/debian-music/hyperrogue-music"))


def _main_frequency(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64)))
    return float(np.fft.rfftfreq(samples.size, 1 / rate)[spectrum.argmax()])


def _play(path: Path, seconds: float, copies: PlayableCopyCache | None = None,
          events: list[EngineEvent] | None = None) -> tuple[list[str], np.ndarray]:
    capture = SampleCapture()
    engine = VlcEngine("dummy", capture=capture, copies=copies)
    events = [] if events is None else events
    try:
        engine.set_rate(4.0)
        engine.load(Media(str(path), 1, int(seconds * 1000), 1.0))
        engine.play()
        deadline = time.monotonic() + 20
        while not {"ended", "error"} & {e.kind for e in events} and time.monotonic() < deadline:
            events += engine.poll_events()
            time.sleep(0.02)
    finally:
        engine.close()
    return [e.kind for e in events], _captured(capture)


def _captured(capture: SampleCapture) -> np.ndarray:
    return np.concatenate([np.frombuffer(s.samples, dtype=np.int16) for s in capture.segments()]
                          or [np.zeros(0, dtype=np.int16)])


@needs_ffmpeg
@pytest.mark.parametrize("name", ["tone.tta", "tone.spx"])
def test_trueaudio_and_speex_play_their_tone(tmp_path: Path, name: str) -> None:
    path = make_audio(tmp_path / name, seconds=2.0, freq=440.0)
    kinds, samples = _play(path, 2.0)
    assert kinds[-1] == "ended"
    assert samples.size > 0.3 * CAPTURE_RATE  # 2 s at 4x: ~0.5 s of captured audio
    assert abs(_main_frequency(samples, CAPTURE_RATE) - 440.0) < 10


def test_libvlc_3_cannot_play_dsd_which_is_why_it_plays_through_a_copy(tmp_path: Path) -> None:
    """Fails when libVLC learns DSD: then core.models.PLAYED_THROUGH_COPY can lose DSF/DFF."""
    path = make_dsf(tmp_path / "tone.dsf", seconds=1.0, freq=440.0)
    _, samples = _play(path, 1.0)
    assert np.count_nonzero(samples) == 0
    with pytest.raises(EngineDecodeError):
        decode_to_pcm(str(path), 22050, 10.0)


@pytest.mark.parametrize("make", [make_dsf, make_dff], ids=["dsf", "dff"])
def test_dsd_plays_its_tone_through_a_flac_copy_made_once(tmp_path: Path, make: Any) -> None:
    path = make(tmp_path / "Music" / f"tone.{make.__name__[-3:]}", seconds=2.0, freq=440.0)
    cache = PlayableCopyCache(tmp_path / "cache")
    events: list[EngineEvent] = []
    kinds, samples = _play(path, 2.0, cache, events)
    assert kinds == ["converting", "playing", "ended"], events
    assert "libVLC cannot play DSD" in events[0].message and path.name in events[0].message
    assert abs(samples.size / CAPTURE_RATE - 0.5) < 0.1  # 2 s at 4x
    assert abs(_main_frequency(samples, CAPTURE_RATE) - 440.0) < 10
    copies = list((tmp_path / "cache").iterdir())
    assert [c.suffix for c in copies] == [".flac"]  # whole, nothing half-written left
    # The second time the copy is there: no conversion, same sound.
    kinds, samples = _play(path, 2.0, cache)
    assert kinds == ["playing", "ended"]
    assert abs(_main_frequency(samples, CAPTURE_RATE) - 440.0) < 10
    assert list((tmp_path / "cache").iterdir()) == copies


class HeldCache(PlayableCopyCache):
    """The real cache, whose conversion waits until the test lets it go on."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.go = threading.Event()

        self.asked: list[str] = []

    def make_copy(self, path: str, wanted: Callable[[], bool]) -> str:
        self.asked.append(path)
        assert self.go.wait(30)
        return super().make_copy(path, wanted)


def test_while_converting_it_seeks_pauses_and_reports_like_a_player(tmp_path: Path) -> None:
    path = make_dsf(tmp_path / "long.dsf", seconds=6.0, freq=440.0)
    cache = HeldCache(tmp_path / "cache")
    engine = VlcEngine("dummy", capture=SampleCapture(keep_samples=False), copies=cache)
    try:
        engine.load(Media(str(path), 1, 6000, 1.0))
        engine.play()
        assert (engine.state(), engine.position(), engine.duration()) == ("playing", 0, 6000)
        engine.seek(4000)  # applied when the copy plays
        engine.pause()
        assert (engine.state(), engine.position()) == ("paused", 4000)
        engine.play()
        cache.go.set()
        deadline = time.monotonic() + 10
        while "playing" not in [e.kind for e in engine.poll_events()]:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.3)
        assert engine.duration() == pytest.approx(6000, abs=30)  # the copy's, from libVLC
        assert 4000 <= engine.position() < 5500
    finally:
        engine.close()


def test_a_dsd_file_that_cannot_be_converted_is_an_error_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "broken.dsf"
    path.write_bytes(b"DSD " + bytes(200))
    events: list[EngineEvent] = []
    kinds, _ = _play(path, 1.0, PlayableCopyCache(tmp_path / "cache"), events)
    assert kinds == ["converting", "error"]
    assert events[-1].message.startswith("cannot convert broken.dsf for playback: ")
    assert not [p for p in (tmp_path / "cache").iterdir() if p.is_file()]


@needs_ffmpeg
@pytest.mark.parametrize("ready_in_time", [True, False])
def test_a_dsd_track_prepared_next_plays_after_the_current_one(tmp_path: Path,
                                                                ready_in_time: bool) -> None:
    """Converted while the current track plays (a gapless handover), or still converting
    when it ends (then it starts once its copy is ready, and says it is converting)."""
    first = make_audio(tmp_path / "a.ogg", seconds=1.0, freq=880.0)
    second = make_dsf(tmp_path / "b.dsf", seconds=2.0, freq=440.0)
    capture = SampleCapture()
    cache = HeldCache(tmp_path / "cache")
    if ready_in_time:
        cache.go.set()
    engine = VlcEngine("dummy", capture=capture, copies=cache)
    events: list[EngineEvent] = []
    try:
        engine.set_rate(4.0)
        engine.load(Media(str(first), 1, 1000, 1.0))
        engine.prepare_next(Media(str(second), 2, 2000, 1.0))
        engine.play()
        deadline = time.monotonic() + 20
        while not [e for e in events if e.kind == "ended" and e.token == 2]:
            assert time.monotonic() < deadline, events
            events += engine.poll_events()
            if [e for e in events if e.kind == "ended"]:
                cache.go.set()
            time.sleep(0.02)
    finally:
        engine.close()
    kinds = [(e.kind, e.token) for e in events]
    expected = [("playing", 1), ("ended", 1), ("playing", 2), ("ended", 2)] if ready_in_time else \
        [("playing", 1), ("ended", 1), ("converting", 2), ("playing", 2), ("ended", 2)]
    assert kinds == expected, events
    assert [e.next_token for e in events if e.kind == "ended"] == [2, None]
    second_part = np.concatenate([np.frombuffer(s.samples, dtype=np.int16)
                                  for s in capture.segments() if s.token == 2])
    assert abs(second_part.size / CAPTURE_RATE - 0.5) < 0.1
    assert abs(_main_frequency(second_part, CAPTURE_RATE) - 440.0) < 10


@needs_ffmpeg
def test_decode_through_libvlc_gives_the_files_audio(tmp_path: Path) -> None:
    path = make_audio(tmp_path / "tone.spx", seconds=2.0, freq=440.0)
    samples = np.asarray(decode_to_pcm(str(path), 22050, 600.0), dtype=np.int16)
    assert abs(samples.size / 22050 - 2.0) < 0.1
    assert abs(_main_frequency(samples, 22050) - 440.0) < 5
    assert len(decode_to_pcm(str(path), 22050, 1.0)) == 22050  # the length cap holds


@pytest.mark.skipif(not (DEBIAN / "hr-savino-ocean.ogg").exists(), reason="Debian soundtracks absent")
def test_analysis_falls_back_to_libvlc_where_ffmpeg_fails() -> None:
    from player.analysis.decode import DecodeError, decode
    from player.analysis.features import analyse_file

    path = str(DEBIAN / "hr-savino-ocean.ogg")
    with pytest.raises(DecodeError):
        decode(path)  # FFmpeg: "Invalid data found when processing input"
    features = analyse_file(path, fallback=decode_to_pcm)
    assert abs(features.seconds - 60.5) < 0.5
    assert -30 < features.loudness_lufs < -5


def _wait_for(engine: VlcEngine, kind: str, events: list[EngineEvent]) -> None:
    deadline = time.monotonic() + 15
    while kind not in [e.kind for e in events]:
        assert time.monotonic() < deadline, events
        events += engine.poll_events()
        time.sleep(0.02)


def test_a_file_loaded_again_while_converting_is_converted_once(tmp_path: Path) -> None:
    """previous/next back to it, a restored queue started, repeat one: one conversion."""
    path = make_dsf(tmp_path / "tone.dsf", seconds=1.0)
    cache = HeldCache(tmp_path / "cache")
    engine = VlcEngine("dummy", capture=SampleCapture(keep_samples=False), copies=cache)
    events: list[EngineEvent] = []
    try:
        engine.load(Media(str(path), 1, 1000, 1.0))
        engine.play()
        engine.load(Media(str(path), 2, 1000, 1.0))
        engine.prepare_next(Media(str(path), 3, 1000, 1.0))
        engine.play()
        time.sleep(0.2)
        cache.go.set()
        _wait_for(engine, "playing", events)
    finally:
        engine.close()
    assert cache.asked == [str(path)]
    assert [(e.kind, e.token) for e in events][-1] == ("playing", 2)
    assert not [e for e in events if e.kind == "error"]


@needs_ffmpeg
def test_a_conversion_nobody_waits_for_is_given_up_without_an_error(tmp_path: Path) -> None:
    dsd = make_dsf(tmp_path / "tone.dsf", seconds=3.0)
    other = make_audio(tmp_path / "other.ogg", seconds=1.0)
    cache = HeldCache(tmp_path / "cache")
    engine = VlcEngine("dummy", capture=SampleCapture(keep_samples=False), copies=cache)
    events: list[EngineEvent] = []
    try:
        engine.load(Media(str(dsd), 1, 3000, 1.0))
        engine.play()
        time.sleep(0.2)
        engine.load(Media(str(other), 2, 1000, 1.0))  # the listener moved on
        engine.play()
        cache.go.set()
        _wait_for(engine, "playing", events)
        time.sleep(0.5)
        events += engine.poll_events()
    finally:
        engine.close()
    assert [(e.kind, e.token) for e in events] == [("converting", 1), ("playing", 2)]
    assert [p for p in (tmp_path / "cache").iterdir() if p.suffix == ".flac"] == []


@pytest.mark.parametrize("name", ["5644800-2ch-s01-silence.dsf", "5644800-2ch-s01-silence.dff"])
def test_mutagens_own_dsd128_files_play_through_their_copy(tmp_path: Path, name: str) -> None:
    """Real files from another project (stereo DSD128), not our own generator's."""
    import mutagen

    from tests.mutagen_corpus import mutagen_test_data

    corpus = mutagen_test_data()
    if corpus is None:
        pytest.skip("mutagen's source distribution is not available (no cache, no PyPI)")
    cache = PlayableCopyCache(tmp_path / "cache")
    events: list[EngineEvent] = []
    kinds, _ = _play(corpus / name, 0.1, cache, events)
    assert kinds == ["converting", "playing", "ended"], events
    [copy] = (tmp_path / "cache").iterdir()
    info = mutagen.File(copy).info
    assert (info.channels, info.sample_rate, info.bits_per_sample) == (2, 88200, 24)
