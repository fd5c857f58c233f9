"""analysis.decode's second decoder: used only when FFmpeg fails, and its reasons kept."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from player.analysis.decode import DecodeError, decode
from player.core.errors import KnownError


def test_a_file_ffmpeg_cannot_read_goes_to_the_fallback(tmp_path: Path) -> None:
    path = tmp_path / "odd.ogg"
    path.write_bytes(b"OggS" + b"\x00" * 200)  # FFmpeg: invalid data
    asked: list[tuple[str, int, float]] = []
    tone = (np.sin(2 * np.pi * 440 * np.arange(22050) / 22050) * 16000).astype(np.int16)

    def fallback(p: str, rate: int, seconds: float) -> np.ndarray:
        asked.append((p, rate, seconds))
        return tone

    blocks: list[int] = []
    audio = decode(str(path), max_seconds=30.0, native=lambda b, r: blocks.append(b.shape[1]),
                   fallback=fallback)
    assert asked == [(str(path), 22050, 30.0)]
    assert audio.seconds == pytest.approx(1.0) and audio.codec == "libvlc"
    assert sum(blocks) == 22050
    assert abs(float(audio.mono.max()) - 16000 / 32768) < 1e-3


def test_when_both_fail_the_message_gives_both_reasons(tmp_path: Path) -> None:
    path = tmp_path / "odd.ogg"
    path.write_bytes(b"OggS" + b"\x00" * 200)

    def fallback(p: str, rate: int, seconds: float) -> np.ndarray:
        raise KnownError("libVLC could not decode odd.ogg")

    with pytest.raises(DecodeError) as caught:
        decode(str(path), fallback=fallback)
    assert "not a readable audio file" in caught.value.message
    assert "libVLC could not decode odd.ogg" in caught.value.message


@pytest.mark.parametrize("name", ["tone.dsf", "tone.dff"])
def test_dsd_is_analysed_by_ffmpeg_itself(tmp_path: Path, name: str) -> None:
    """libVLC cannot decode DSD, FFmpeg can: no fallback, the tone's pitch and level."""
    from player.analysis.features import analyse_file
    from tests.factories import make_dff, make_dsf

    make = make_dsf if name.endswith(".dsf") else make_dff
    path = str(make(tmp_path / name, seconds=3.0, freq=440.0))

    def no_fallback(p: str, rate: int, seconds: float) -> np.ndarray:
        raise AssertionError("FFmpeg decodes DSD")

    audio = decode(path, fallback=no_fallback)
    assert audio.codec.startswith("dsd_") and audio.source_rate == 352800
    assert audio.seconds == pytest.approx(3.0, abs=0.01)
    features = analyse_file(path, fallback=no_fallback)
    assert features.key_tonic == 9  # A
    assert features.peak == pytest.approx(0.5, abs=0.05)  # the modulator's +-0.25 of 0..1
