"""EBU R128 / ITU-R BS.1770-4 loudness: K-weighting, 400 ms gated blocks, loudness range,
and a true-ish peak. ReplayGain 2.0's track gain is -18 LUFS minus the integrated loudness.

`LoudnessMeter` is fed the decoded audio at the SOURCE rate and channel layout, block by
block, while the decoder also produces the 22,050 Hz mono signal for everything else: a
meter on the 22 kHz signal would miss the energy above 11 kHz (up to 1 LU on bright
tracks and hiss) and a mono downmix would read 3-6 LU low.
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
PEAK_BLOCK = 4096
PEAK_BLOCKS_KEPT = 8


def channel_weights(channels: int) -> np.ndarray:
    """BS.1770 weights in FFmpeg's channel order (FL FR FC LFE BL BR ...): LFE left out,
    surrounds +1.5 dB."""
    weights = np.ones(channels)
    if channels >= 4:
        weights[3] = 0.0
        weights[4:] = 1.41
    return weights


class LoudnessMeter:
    """Streaming meter: feed (channels, n) float blocks at one rate, then `result()`."""

    def __init__(self) -> None:
        self.rate = 0
        self._sos = np.zeros((2, 6))
        self._state = np.zeros(0)
        self._weights = np.ones(1)
        self._pending = np.zeros((1, 0))
        self._steps: list[np.ndarray] = []
        self._peaks: list[tuple[float, np.ndarray]] = []

    def feed(self, block: np.ndarray, rate: int) -> None:
        if self.rate == 0:
            self.rate = rate
            self._sos = k_weighting(rate)
            self._state = np.zeros((block.shape[0], self._sos.shape[0], 2))
            self._weights = channel_weights(block.shape[0])
            self._pending = np.zeros((block.shape[0], 0))
        if block.shape[0] != self._state.shape[0] or rate != self.rate:
            return  # a mid-stream format change: measure the first format only
        self._keep_peaks(block)
        step = int(round(STEP_SECONDS * self.rate))
        data = np.concatenate([self._pending, block.astype(np.float64)], axis=1)
        usable = (data.shape[1] // step) * step
        self._pending = data[:, usable:]
        if usable == 0:
            return
        energies = np.zeros(usable // step)
        for index, channel in enumerate(data[:, :usable]):
            weighted, self._state[index] = scipy.signal.sosfilt(self._sos, channel, zi=self._state[index])
            energies += self._weights[index] * (weighted * weighted).reshape(-1, step).mean(axis=1)
        self._steps.append(energies)

    def _keep_peaks(self, block: np.ndarray) -> None:
        for start in range(0, block.shape[1], PEAK_BLOCK):
            part = block[:, start:start + PEAK_BLOCK]
            peak = float(np.abs(part).max()) if part.size else 0.0
            if len(self._peaks) < PEAK_BLOCKS_KEPT or peak > self._peaks[0][0]:
                self._peaks.append((peak, np.array(part, dtype=np.float64)))
                self._peaks.sort(key=lambda item: item[0])
                del self._peaks[:-PEAK_BLOCKS_KEPT]

    def result(self) -> Loudness:
        steps = np.concatenate(self._steps) if self._steps else np.zeros(0)
        sample_peak = max((p for p, _ in self._peaks), default=0.0)
        true_peak = sample_peak
        for _, part in self._peaks:  # 4x oversampling finds peaks between the samples
            if part.shape[1] >= 16:
                upsampled = scipy.signal.resample_poly(part, 4, 1, axis=1)[:, 32:-32]  # no edge ringing
                true_peak = max(true_peak, float(np.abs(upsampled).max()))
        return Loudness(_integrated(_blocks(steps, 0.4)), _range(_blocks(steps, 3.0)), true_peak, sample_peak)


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


def measure_loudness(samples: np.ndarray, rate: int) -> Loudness:
    """samples: (channels, n) float, all at once (tests, synthesised signals)."""
    meter = LoudnessMeter()
    for start in range(0, samples.shape[1], 30 * rate):
        meter.feed(samples[:, start:start + 30 * rate], rate)
    return meter.result()
