"""EBU R128 / ITU-R BS.1770-4 loudness: K-weighting, 400 ms gated blocks, loudness range,
and a true-ish peak. ReplayGain 2.0's track gain is -18 LUFS minus the integrated loudness.

Measured on the analysis signal (22,050 Hz, at most 2 channels): energy above 11 kHz is
not seen, which for music moves the figure by a few hundredths of an LU (see ANALYSIS.md
for the comparison against ffmpeg's ebur128 filter).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.signal

ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
LRA_RELATIVE_GATE = -20.0
REPLAYGAIN_REFERENCE = -18.0
SILENCE = -70.0  # what an all-silent file reports


@dataclass(frozen=True, slots=True)
class Loudness:
    integrated_lufs: float
    loudness_range: float  # LU
    peak: float  # linear, ~true peak (4x oversampled around the sample peaks)
    sample_peak: float

    @property
    def replaygain_gain(self) -> float:
        return REPLAYGAIN_REFERENCE - self.integrated_lufs


def k_weighting(rate: int) -> np.ndarray:
    """BS.1770's two K-weighting biquads (shelf, high-pass) as SOS rows for any sample rate.

    The analogue prototypes are libebur128's; at 48 kHz they give the standard's
    coefficients (checked in tests/analysis/test_loudness.py)."""
    k = math.tan(math.pi * 1681.974450955533 / rate)
    q = 0.7071752369554196
    vh = 10 ** (3.999843853973347 / 20.0)
    vb = vh ** 0.4996667741545416
    a0 = 1.0 + k / q + k * k
    shelf = [(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0,
             (vh - vb * k / q + k * k) / a0, 1.0, 2.0 * (k * k - 1.0) / a0,
             (1.0 - k / q + k * k) / a0]
    k = math.tan(math.pi * 38.13547087602444 / rate)
    q = 0.5003270373238773
    a0 = 1.0 + k / q + k * k
    high_pass = [1.0, -2.0, 1.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0]
    return np.array([shelf, high_pass])


def _power(value: np.ndarray | float) -> np.ndarray | float:
    return -0.691 + 10 * np.log10(np.maximum(value, 1e-20))


def _block_energies(weighted_sq: np.ndarray, rate: int, block_s: float, step_s: float) -> np.ndarray:
    """Mean square per block (summed over channels) from per-channel squared samples."""
    summed = weighted_sq.sum(axis=0)
    step = int(round(step_s * rate))
    per_step = int(round(block_s / step_s))
    usable = (len(summed) // step) * step
    if usable == 0:
        return np.zeros(0)
    steps = summed[:usable].reshape(-1, step).mean(axis=1)
    if len(steps) < per_step:
        return np.zeros(0)
    window = np.lib.stride_tricks.sliding_window_view(steps, per_step)
    return np.asarray(window.mean(axis=1))


def _integrated(blocks: np.ndarray) -> float:
    loud = blocks[_power(blocks) > ABSOLUTE_GATE]
    if loud.size == 0:
        return SILENCE
    gate = float(_power(float(loud.mean()))) + RELATIVE_GATE
    kept = loud[_power(loud) > gate]
    return float(_power(float(kept.mean()))) if kept.size else SILENCE


def _range(short_term: np.ndarray) -> float:
    levels = np.asarray(_power(short_term))
    levels = levels[levels > ABSOLUTE_GATE]
    if levels.size < 2:
        return 0.0
    gate = float(_power(float(np.mean(10 ** ((levels + 0.691) / 10))))) + LRA_RELATIVE_GATE
    levels = levels[levels > gate]
    if levels.size < 2:
        return 0.0
    low, high = np.percentile(levels, [10, 95])
    return float(high - low)


def _true_peak(samples: np.ndarray, around: int = 8, width: int = 64) -> tuple[float, float]:
    """Sample peak, and the peak of a 4x oversampled signal near the largest samples."""
    flat = np.abs(samples).max(axis=0)
    sample_peak = float(flat.max()) if flat.size else 0.0
    if flat.size < 4 * width:
        return sample_peak, sample_peak
    best = sample_peak
    for index in np.argpartition(flat, -around)[-around:]:
        start = max(0, int(index) - width)
        segment = samples[:, start:start + 2 * width].astype(np.float64)
        upsampled = scipy.signal.resample_poly(segment, 4, 1, axis=1)
        best = max(best, float(np.abs(upsampled).max()))
    return sample_peak, best


def measure_loudness(samples: np.ndarray, rate: int) -> Loudness:
    """samples: (channels, n) float; channels weighted 1.0 each (mono or stereo)."""
    weighted = scipy.signal.sosfilt(k_weighting(rate), samples.astype(np.float64), axis=1)
    squared = weighted * weighted
    del weighted
    integrated = _integrated(_block_energies(squared, rate, 0.4, 0.1))
    lra = _range(_block_energies(squared, rate, 3.0, 0.1))
    sample_peak, peak = _true_peak(samples)
    return Loudness(integrated, lra, peak, sample_peak)
