"""Odd formats through real libVLC: played (amem capture) and decoded for analysis."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from player.core.errors import EngineDecodeError
from player.engine.base import Media
from player.engine.capture import CAPTURE_RATE, SampleCapture
from player.engine.vlc import VlcEngine, decode_to_pcm
from tests.factories import have_ffmpeg, make_audio, make_dsf

needs_ffmpeg = pytest.mark.skipif(not have_ffmpeg(), reason="ffmpeg makes the audio files")
DEBIAN = Path(os.path.expanduser("~/.cache/encore-testdata/debian-music/hyperrogue-music"))


def _main_frequency(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64)))
    return float(np.fft.rfftfreq(samples.size, 1 / rate)[spectrum.argmax()])


def _play(path: Path, seconds: float) -> tuple[list[str], np.ndarray]:
    capture = SampleCapture()
    engine = VlcEngine("dummy", capture=capture)
    try:
        engine.set_rate(4.0)
        engine.load(Media(str(path), 1, int(seconds * 1000), 1.0))
        engine.play()
        kinds: list[str] = []
        deadline = time.monotonic() + 10
        while "ended" not in kinds and "error" not in kinds and time.monotonic() < deadline:
            kinds += [e.kind for e in engine.poll_events()]
            time.sleep(0.02)
    finally:
        engine.close()
    samples = np.concatenate([np.frombuffer(s.samples, dtype=np.int16) for s in capture.segments()]
                             or [np.zeros(0, dtype=np.int16)])
    return kinds, samples


@needs_ffmpeg
@pytest.mark.parametrize("name", ["tone.tta", "tone.spx"])
def test_trueaudio_and_speex_play_their_tone(tmp_path: Path, name: str) -> None:
    path = make_audio(tmp_path / name, seconds=2.0, freq=440.0)
    kinds, samples = _play(path, 2.0)
    assert kinds[-1] == "ended"
    assert samples.size > 0.3 * CAPTURE_RATE  # 2 s at 4x: ~0.5 s of captured audio
    assert abs(_main_frequency(samples, CAPTURE_RATE) - 440.0) < 10


def test_libvlc_3_cannot_play_dsd_which_is_why_the_scanner_lists_it(tmp_path: Path) -> None:
    """Fails when libVLC learns DSD: then the scanner should store DSF/DFF files again."""
    path = make_dsf(tmp_path / "tone.dsf", seconds=1.0, freq=440.0)
    _, samples = _play(path, 1.0)
    assert np.count_nonzero(samples) == 0
    with pytest.raises(EngineDecodeError):
        decode_to_pcm(str(path), 22050, 10.0)


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
