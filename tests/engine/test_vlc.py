"""What only VlcEngine has: real samples, libVLC loading failures, audio output choice."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from player.core.errors import EngineUnavailable
from player.engine import create_engine
from player.engine import vlc as vlc_engine
from player.engine.capture import CAPTURE_RATE, SampleCapture
from player.engine.vlc import VlcEngine
from tests.engine.conftest import FREQS, Rig, media

ROOT = Path(__file__).resolve().parents[2]


def dominant_frequency(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64) * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1.0 / CAPTURE_RATE)[int(np.argmax(spectrum))])


@pytest.fixture
def vlc_rig() -> Rig:
    capture = SampleCapture()
    rig = Rig(VlcEngine("dummy", capture=capture), None, capture)
    rig.engine.set_rate(4.0)
    yield rig
    rig.engine.close()


def test_samples_show_a_then_b_then_c(vlc_rig: Rig, tones: dict[str, Path]) -> None:
    engine = vlc_rig.engine
    engine.load(media(tones["a"], 1))
    engine.play()
    engine.prepare_next(media(tones["b"], 2))
    vlc_rig.wait_event("ended", 1)
    engine.prepare_next(media(tones["c"], 3))
    vlc_rig.wait_event("ended", 3)
    segments = vlc_rig.capture.segments()
    assert [s.token for s in segments] == [1, 2, 3]
    heard = [dominant_frequency(np.frombuffer(s.samples, dtype=np.int16)) for s in segments]
    for got, want in zip(heard, FREQS.values(), strict=True):
        assert abs(got - want) < 15, heard
    for segment in segments:  # all of each track came out (the tones are 1.5 s long)
        assert len(segment.samples) / CAPTURE_RATE * 4.0 > 1.3


def test_replaygain_scales_the_volume_libvlc_applies(vlc_rig: Rig, tones: dict[str, Path]) -> None:
    engine = vlc_rig.engine
    engine.set_volume(100)
    engine.load(media(tones["a"], 1, gain=0.5))
    engine.play()
    engine.prepare_next(media(tones["b"], 2, gain=1.0))
    vlc_rig.wait_event("ended", 2)
    volumes = {token: volume for token, volume, _muted in vlc_rig.capture.volumes}
    assert volumes[1] == pytest.approx(0.5, abs=0.01)
    assert volumes[2] == pytest.approx(1.0, abs=0.01)


def test_mute_reaches_libvlc(vlc_rig: Rig, tones: dict[str, Path]) -> None:
    engine = vlc_rig.engine
    engine.load(media(tones["long"], 1))
    engine.play()
    vlc_rig.wait_event("playing", 1)
    engine.set_muted(True)
    vlc_rig.wait_for(lambda: any(m for _t, _v, m in vlc_rig.capture.volumes))


def test_missing_libvlc_is_engine_unavailable_with_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "vlc", None)  # import vlc now raises ImportError
    with pytest.raises(EngineUnavailable) as caught:
        create_engine("vlc")
    assert "apt-get install libvlc5 vlc-plugin-base libvlc-bin" in caught.value.hint


def test_a_library_that_fails_to_load_is_engine_unavailable(tmp_path: Path) -> None:
    """A real failing load: python-vlc pointed at a library that is not there."""
    code = ("from player.engine import create_engine\n"
            "from player.core.errors import EngineUnavailable\n"
            "try:\n    create_engine('vlc')\n"
            "except EngineUnavailable as exc:\n    print('UNAVAILABLE', exc.hint)\n")
    env = {"PYTHON_VLC_LIB_PATH": str(tmp_path / "libvlc.so.5"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert "UNAVAILABLE" in done.stdout, done.stderr
    assert "libvlc5" in done.stdout


def test_libvlc_without_plugins_is_engine_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    vlc = vlc_engine.import_vlc()
    monkeypatch.setattr(vlc, "Instance", lambda *args: None)  # what libvlc5 alone gives
    with pytest.raises(EngineUnavailable, match="failed to start"):
        VlcEngine("dummy")


def test_no_audio_device_falls_back_to_dummy_with_a_warning(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("ENCORE_AUDIO_OUTPUT", raising=False)
    monkeypatch.setattr(vlc_engine, "sound_device_present", lambda: False)
    with caplog.at_level(logging.WARNING, logger="player.engine.vlc"):
        engine = VlcEngine()
    try:
        assert engine.audio_output == "dummy"
        assert "No audio device" in caplog.text
    finally:
        engine.close()


def test_an_output_whose_device_is_missing_falls_back_to_dummy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vlc_engine, "_alsa_present", lambda: False)
    monkeypatch.setitem(vlc_engine._DEVICE_CHECKS, "alsa", vlc_engine._alsa_present)
    output, warning = vlc_engine.choose_output("alsa")
    assert output == "dummy" and "No alsa audio device" in warning
    monkeypatch.setitem(vlc_engine._DEVICE_CHECKS, "alsa", lambda: True)
    assert vlc_engine.choose_output("alsa") == ("alsa", "")


def test_the_output_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENCORE_AUDIO_OUTPUT", "afile")
    assert vlc_engine.choose_output(None) == ("afile", "")
    assert vlc_engine.choose_output("dummy") == ("dummy", "")


def test_an_unknown_output_falls_back_to_dummy_and_still_plays(
        caplog: pytest.LogCaptureFixture, tones: dict[str, Path]) -> None:
    with caplog.at_level(logging.WARNING, logger="player.engine.vlc"):
        engine = VlcEngine("nonesuch")
    rig = Rig(engine, None)
    try:
        assert engine.audio_output == "dummy"
        assert "no audio output 'nonesuch'" in caplog.text
        engine.set_rate(4.0)
        engine.load(media(tones["a"], 1))
        engine.play()
        rig.wait_event("ended", 1)
    finally:
        engine.close()


def test_a_file_libvlc_cannot_decode_is_an_error_or_ends_at_once(vlc_rig: Rig, tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(bytes(range(256)) * 200)
    vlc_rig.engine.load(media(junk, 5))
    vlc_rig.engine.play()
    vlc_rig.wait_for(lambda: any(e.token == 5 and e.kind in ("error", "ended") for e in vlc_rig.events))
    assert not vlc_rig.capture.segments()
