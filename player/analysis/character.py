"""Heuristic, named-for-what-they-are descriptors built from the measured features:
a music-vs-speech/sound score, a danceability proxy, an energy proxy. None is a trained
model; docs/ANALYSIS.md lists how each is made and where it was checked."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MUSIC_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Traits:
    pulse_clarity: float
    tempo_confidence: float
    low_energy_ratio: float
    flatness: float
    zcr_std: float
    chroma_peakiness: float
    rms_modulation: float
    onset_rate: float
    seconds: float
    loudness_lufs: float
    onset_strength: float


def low_energy_ratio(rms: np.ndarray) -> float:
    """Share of frames quieter than half the average RMS (speech pauses: high)."""
    if rms.size == 0:
        return 0.0
    return float(np.mean(rms < 0.5 * rms.mean()))


def peakiness(profile: np.ndarray) -> float:
    """How concentrated the chroma is on few pitch classes (0 flat .. 1 one class)."""
    total = float(profile.sum())
    if total <= 0:
        return 0.0
    p = profile / total
    entropy = -float(np.sum(p * np.log(p + 1e-12)))
    return 1.0 - entropy / math.log(12)


def syllabic_modulation(rms: np.ndarray, frame_rate: float) -> float:
    """Share of the loudness envelope's modulation energy at 2-8 Hz (syllable rate)."""
    if rms.size < 8:
        return 0.0
    level = 20 * np.log10(rms + 1e-6)
    level = level - level.mean()
    spectrum = np.abs(np.fft.rfft(level)) ** 2
    freqs = np.fft.rfftfreq(level.size, 1.0 / frame_rate)
    total = spectrum[(freqs > 0.2)].sum()
    band = spectrum[(freqs >= 2.0) & (freqs <= 8.0)].sum()
    return float(band / total) if total > 0 else 0.0


def _squash(value: float, centre: float, width: float) -> float:
    return 1.0 / (1.0 + math.exp(-(value - centre) / width))


# Calibrated on ../shared/data/audio/librosa (9 music, 3 speech, 3 animal clips); see
# docs/ANALYSIS.md for the values each clip gets and the margins.
TONAL_FLOOR = 0.011  # chroma peakiness: speech/whale/dog 0.004-0.008, music 0.014-0.13
PULSE_FLOOR = 0.055  # tempo confidence: speech/animals 0.00-0.08, music 0.08-0.8
STRONG_PULSE = 0.25


def music_score(t: Traits) -> float:
    """0..1, a soft AND of two pieces of evidence: the pitch content sits on few pitch
    classes (notes, not gliding speech or noise) and onsets recur periodically (a pulse).
    Clips too short to measure a pulse (< 4 s) have no pulse evidence."""
    tonal = (math.log10(max(t.chroma_peakiness, 1e-6)) - math.log10(TONAL_FLOOR)) / 0.15
    pulse = (t.tempo_confidence - PULSE_FLOOR) / 0.015
    # A strong pulse on its own (drones and ambient tracks with a beat) also counts.
    strong_pulse = (t.tempo_confidence - STRONG_PULSE) / 0.03
    return max(_squash(tonal, 0.0, 1.0) * _squash(pulse, 0.0, 1.0), _squash(strong_pulse, 0.0, 1.0))


def danceability_proxy(t: Traits, bpm: float) -> float:
    """0..1: a clear, regular pulse in a walkable-to-dance tempo range (90-140 BPM best)."""
    if bpm <= 0:
        return 0.0
    tempo_fit = math.exp(-0.5 * (math.log2(bpm / 118.0) / 0.45) ** 2)
    return float(np.clip(t.pulse_clarity * (0.4 + 0.6 * tempo_fit), 0.0, 1.0))


def energy(t: Traits) -> float:
    """0..1 from loudness (-30..-6 LUFS) and onset density (0..8 per second)."""
    level = float(np.clip((t.loudness_lufs + 30.0) / 24.0, 0.0, 1.0))
    busy = float(np.clip(t.onset_rate / 8.0, 0.0, 1.0))
    return 0.6 * level + 0.4 * busy
