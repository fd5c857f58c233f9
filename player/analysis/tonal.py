"""Chroma and a key/mode estimate by correlation with the Krumhansl-Kessler profiles."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from player.analysis.frames import N_FFT, fft_frequencies

PITCH_CLASSES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
# Krumhansl & Kessler (1982) probe-tone ratings, tonic first.
MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
CHROMA_FMIN = 80.0  # below this a 2048-point FFT at 22 kHz cannot tell semitones apart
CHROMA_FMAX = 5000.0


@dataclass(frozen=True, slots=True)
class Key:
    tonic: int  # 0 = C
    mode: int  # 1 major, 0 minor
    confidence: float  # best correlation minus the runner-up's, 0..~1
    correlation: float

    @property
    def name(self) -> str:
        return f"{PITCH_CLASSES[self.tonic]} {'major' if self.mode else 'minor'}"


def chroma_filterbank(rate: int, n_fft: int = N_FFT, sigma: float = 0.5) -> np.ndarray:
    """(12, bins): each FFT bin's power shared to pitch classes by a Gaussian on its
    distance in semitones to the nearest equal-tempered note of that class."""
    freqs = fft_frequencies(rate, n_fft)
    usable = (freqs >= CHROMA_FMIN) & (freqs <= CHROMA_FMAX)
    midi = np.zeros_like(freqs)
    midi[usable] = 69.0 + 12.0 * np.log2(freqs[usable] / 440.0)
    classes = np.arange(12)[:, None]
    distance = (midi[None, :] - classes + 6.0) % 12.0 - 6.0
    weights = np.exp(-0.5 * (distance / sigma) ** 2) * usable[None, :]
    return weights.astype(np.float32)


def mean_chroma(chroma: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Average of per-frame chroma, each frame scaled to sum 1 (so loud passages do not
    outvote the rest), silent frames left out; returned normalised to max 1."""
    totals = chroma.sum(axis=0)
    normalised = chroma / np.maximum(totals, 1e-12)
    profile = np.average(normalised, axis=1, weights=weights * (totals > 1e-9) + 1e-12)
    top = profile.max()
    return np.asarray(profile / top) if top > 0 else np.asarray(profile)


def estimate_key(profile: np.ndarray) -> Key:
    scores = []
    for mode, template in ((1, MAJOR_PROFILE), (0, MINOR_PROFILE)):
        for tonic in range(12):
            scores.append((float(np.corrcoef(profile, np.roll(template, tonic))[0, 1]), tonic, mode))
    scores = [(0.0 if np.isnan(s) else s, t, m) for s, t, m in scores]
    scores.sort(reverse=True)
    best, second = scores[0], scores[1]
    return Key(tonic=best[1], mode=best[2], confidence=max(0.0, best[0] - second[0]),
               correlation=best[0])
