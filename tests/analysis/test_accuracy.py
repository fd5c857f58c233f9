"""Accuracy on synthesised signals and the real clips in ../shared/data/audio/librosa."""

from __future__ import annotations

import re
import subprocess

import numpy as np
import pytest

from player.analysis.features import analyse_audio, analyse_file
from player.analysis.loudness import k_weighting, measure_loudness
from tests.analysis.synth import RATE, audio, chord_progression, drum_pattern, key_name, scale
from tests.factories import LIBROSA

MUSIC = [
    "147793__setuniman__sweet-waltz-0i-22mi", "442789__lena-orsa__happy-music-pistachio-ice-cream-ragtime",
    "Fats_Waller_-_Aint_Misbehavin_(piano_solo)", "Karissa_Hobbs_-_Lets_Go_Fishin",
    "Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_(string_orchestra)",
    "Kevin_MacLeod_-_P_I_Tchaikovsky_Dance_of_the_Sugar_Plum_Fairy", "Kevin_MacLeod_-_Vibe_Ace",
    "admiralbob77_-_Choice_-_Drum-bass", "sorohanro_-_solo-trumpet-06",
]
NOT_MUSIC = ["198-209-0000", "3436-172162-0000", "5703-47212-0000",  # LibriSpeech
             "456440__inspectorj__bird-whistling-robin-single-13", "glacier-bay-humpback", "pibble"]


def clip(name: str) -> str:
    return str(LIBROSA / f"{name}.hq.ogg")


@pytest.mark.parametrize("bpm", [90, 100, 110, 120, 130, 140, 150])
def test_tempo_of_drum_patterns_within_two_percent(bpm: int) -> None:
    found = analyse_audio(audio(drum_pattern(bpm, seconds=12))).tempo_bpm
    assert abs(found / bpm - 1) < 0.02, found


@pytest.mark.parametrize("bpm", [60, 70, 80, 160, 170, 180])
def test_slow_and_fast_patterns_are_right_or_an_octave_off(bpm: int) -> None:
    """Octave errors at the ends of the range are reported apart (docs/ANALYSIS.md)."""
    found = analyse_audio(audio(drum_pattern(bpm, seconds=12))).tempo_bpm
    assert min(abs(found / (bpm * m) - 1) for m in (0.5, 1, 2)) < 0.02, found


@pytest.mark.parametrize("bpm", range(60, 185, 5))
def test_tempo_of_drum_patterns_60_to_180_within_two_percent(bpm: int) -> None:
    """The metrical level (not twice or half the beat, nor 2/3 of it) over the whole range."""
    found = analyse_audio(audio(drum_pattern(bpm, seconds=12))).tempo_bpm
    assert abs(found / bpm - 1) < 0.02, found


@pytest.mark.parametrize("bpm", [65, 120, 175])
def test_tempo_of_drum_patterns_survives_a_chord_pad_and_other_hits(bpm: int) -> None:
    pad = np.resize(chord_progression(0, False), 15 * RATE)
    found = analyse_audio(audio(drum_pattern(bpm, seconds=15, seed=3) + 0.7 * pad)).tempo_bpm
    assert abs(found / bpm - 1) < 0.02, found


@pytest.mark.xfail(strict=True, reason="known miss: 125 BPM found (librosa finds 123); see ANALYSIS.md")
def test_trumpet_loop_is_90_bpm() -> None:
    found = analyse_file(clip("sorohanro_-_solo-trumpet-06")).tempo_bpm
    assert min(abs(found / (90 * m) - 1) for m in (0.5, 1, 2)) < 0.02, found


@pytest.mark.parametrize("tonic", [0, 2, 5, 7, 9, 11])
@pytest.mark.parametrize("minor", [False, True])
def test_key_of_chords_and_scales(tonic: int, minor: bool) -> None:
    assert analyse_audio(audio(chord_progression(tonic, minor))).key == key_name(tonic, minor)
    assert analyse_audio(audio(scale(tonic, minor))).key == key_name(tonic, minor)


def test_k_weighting_matches_the_standard_at_48k() -> None:
    sos = k_weighting(48000)
    assert np.allclose(sos[0, :3], [1.53512485958697, -2.69169618940638, 1.19839281085285], atol=1e-7)
    assert np.allclose(sos[0, 4:], [-1.69065929318241, 0.73248077421585], atol=1e-7)
    assert np.allclose(sos[1, 4:], [-1.99004745483398, 0.99007225036621], atol=1e-7)


def test_full_scale_1k_sine_on_one_channel_is_minus_3_lufs() -> None:
    t = np.arange(RATE * 5) / RATE
    stereo = np.vstack([np.sin(2 * np.pi * 997 * t), np.zeros_like(t)])
    level = measure_loudness(stereo, RATE)
    assert level.integrated_lufs == pytest.approx(-3.01, abs=0.05)
    assert level.replaygain_gain == pytest.approx(-18 + 3.01, abs=0.05)
    assert level.peak == pytest.approx(1.0, abs=0.01)


def _ffmpeg_integrated(path: str) -> float:
    out = subprocess.run(["ffmpeg", "-nostdin", "-i", path, "-af", "ebur128", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", out)[-1])


@pytest.mark.parametrize("name", ["Kevin_MacLeod_-_Vibe_Ace", "198-209-0000", "pibble"])
def test_loudness_within_half_an_lu_of_ffmpeg(name: str) -> None:
    ours = analyse_file(clip(name)).loudness_lufs
    assert abs(ours - _ffmpeg_integrated(clip(name))) < 0.5


@pytest.mark.parametrize("name", MUSIC)
def test_music_scores_as_music(name: str) -> None:
    assert analyse_file(clip(name)).is_music


@pytest.mark.parametrize("name", NOT_MUSIC)
def test_speech_and_animals_score_as_not_music(name: str) -> None:
    assert not analyse_file(clip(name)).is_music


@pytest.mark.parametrize(("name", "codec", "pan"), [
    ("noise.flac", "flac", "stereo|c0=c0|c1=0.5*c0"),
    ("noise.wav", "pcm_s16le", "stereo|c0=c0|c1=0.5*c0"),
    ("noise.mp3", "libmp3lame", "stereo|c0=c0|c1=0.5*c0"),
    ("surround.flac", "flac", "5.1|c0=c0|c1=0.8*c0|c2=0.5*c0|c3=0.9*c0|c4=0.4*c0|c5=0.3*c0"),
])
def test_loudness_of_bright_noise_matches_ffmpeg(tmp_path, name: str, codec: str, pan: str) -> None:
    """White noise has much energy above 11 kHz: the meter must read the source rate
    (and, for 5.1, weight the surrounds and leave out the LFE as BS.1770 says)."""
    path = tmp_path / name
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "anoisesrc=color=white:sample_rate=44100:duration=6:amplitude=0.3",
                    "-af", f"pan={pan}", "-c:a", codec, str(path)], check=True)
    assert abs(analyse_file(str(path)).loudness_lufs - _ffmpeg_integrated(str(path))) < 0.5
