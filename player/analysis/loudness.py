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


STEP_SECONDS = 0.1  # gating blocks are built from 100 ms steps (75% overlap of 400 ms)
CHUNK_STEPS = 300  # K-weight 30 s at a time: memory stays small for long files


def _step_energies(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mean square of the K-weighted signal per 100 ms step, summed over channels.

    Filtered in float32 chunks with the filter state carried over, so a 10-minute stereo
    file needs a few MB instead of several hundred."""
    step = int(round(STEP_SECONDS * rate))
    count = samples.shape[1] // step
    sos = k_weighting(rate)
    energies = np.zeros(count)
    for channel in samples:
        state = np.zeros((sos.shape[0], 2))
        for first in range(0, count, CHUNK_STEPS):
            last = min(count, first + CHUNK_STEPS)
            chunk = channel[first * step:last * step].astype(np.float64)
            weighted, state = scipy.signal.sosfilt(sos, chunk, zi=state)
            energies[first:last] += (weighted * weighted).reshape(-1, step).mean(axis=1)
    return energies


def _blocks(steps: np.ndarray, block_s: float) -> np.ndarray:
    per_block = int(round(block_s / STEP_SECONDS))
    if len(steps) < per_block:
        return np.zeros(0)
    return np.asarray(np.lib.stride_tricks.sliding_window_view(steps, per_block).mean(axis=1))


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
    """Sample peak, and the peak of a 4x oversampled signal around the loudest 4096-sample
    blocks (inter-sample peaks sit next to the largest samples)."""
    block = 4096
    usable = (samples.shape[1] // block) * block
    if usable == 0:
        peak = float(np.abs(samples).max()) if samples.size else 0.0
        return peak, peak
    maxima = np.zeros(usable // block)
    for channel in samples:
        np.maximum(maxima, np.abs(channel[:usable]).reshape(-1, block).max(axis=1), out=maxima)
    tail = float(np.abs(samples[:, usable:]).max()) if samples.shape[1] > usable else 0.0
    sample_peak = max(float(maxima.max()), tail)
    best = sample_peak
    for index in np.argsort(maxima)[-around:]:
        start = int(index) * block
        segment = samples[:, start:start + block].astype(np.float64)
        upsampled = scipy.signal.resample_poly(segment, 4, 1, axis=1)
        best = max(best, float(np.abs(upsampled[:, 4 * width:-4 * width]).max()))
    return sample_peak, best


def measure_loudness(samples: np.ndarray, rate: int) -> Loudness:
    """samples: (channels, n) float; channels weighted 1.0 each (mono or stereo)."""
    steps = _step_energies(samples, rate)
    integrated = _integrated(_blocks(steps, 0.4))
    lra = _range(_blocks(steps, 3.0))
    sample_peak, peak = _true_peak(samples)
    return Loudness(integrated, lra, peak, sample_peak)
