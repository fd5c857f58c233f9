"""Tempo from the onset-strength envelope: autocorrelation, a comb over 4 multiples of each
candidate period (for sub-frame precision), a log-normal preference around 120 BPM to settle
octave ambiguity. Also the onset rate (picked onsets per second)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.ndimage
import scipy.signal

MIN_BPM = 40.0
MAX_BPM = 240.0
PRIOR_CENTRE_BPM = 120.0
PRIOR_OCTAVES = 1.0  # spread of the preference, in octaves
HARMONICS = 4
GRID_STEP_BPM = 0.05


@dataclass(frozen=True, slots=True)
class Tempo:
    bpm: float
    confidence: float  # 0..1: autocorrelation at the beat period (how periodic onsets are)
    pulse_clarity: float  # 0..1: mean autocorrelation at 1-4 beat periods (regular pulse)


def onset_envelope(mel_db: np.ndarray) -> np.ndarray:
    """Spectral flux: mean over mel bands of the rise in dB since the previous frame."""
    if mel_db.shape[1] < 2:
        return np.zeros(mel_db.shape[1])
    # Ignore the last 80 dB below the peak: quantisation noise in silences is not an onset.
    floored = np.maximum(mel_db, mel_db.max() - 80.0)
    rise = np.maximum(0.0, np.diff(floored, axis=1))
    return np.concatenate([[0.0], rise.mean(axis=0)])


def _autocorrelation(envelope: np.ndarray, max_lag: int) -> np.ndarray:
    centred = envelope - envelope.mean()
    size = 1 << int(np.ceil(np.log2(2 * len(centred))))
    spectrum = np.fft.rfft(centred, size)
    acf = np.fft.irfft(spectrum * np.conj(spectrum), size)[: max_lag + 1]
    acf /= np.arange(len(centred), len(centred) - len(acf), -1)  # unbiased
    return np.asarray(acf / acf[0]) if acf[0] > 0 else np.zeros_like(acf)


def estimate_tempo(envelope: np.ndarray, frame_rate: float) -> Tempo:
    if envelope.size < 4 * frame_rate or not np.any(envelope > 0):
        return Tempo(0.0, 0.0, 0.0)
    max_lag = min(len(envelope) // 2, int(HARMONICS * 60.0 * frame_rate / MIN_BPM) + 2)
    acf = _autocorrelation(envelope, max_lag)
    bpms = np.arange(MIN_BPM, MAX_BPM, GRID_STEP_BPM)
    lags = 60.0 * frame_rate / bpms
    positions = np.arange(len(acf))
    comb = np.zeros_like(bpms)
    counts = np.zeros_like(bpms)
    for k in range(1, HARMONICS + 1):
        usable = k * lags <= max_lag
        comb[usable] += np.interp(k * lags[usable], positions, acf)
        counts[usable] += 1
    comb = np.where(counts > 0, comb / np.maximum(counts, 1), 0.0)
    prior = np.exp(-0.5 * (np.log2(bpms / PRIOR_CENTRE_BPM) / PRIOR_OCTAVES) ** 2)
    best = int(np.argmax(np.maximum(comb, 0.0) * prior))
    bpm = float(bpms[best])
    confidence = float(np.clip(np.interp(lags[best], positions, acf), 0.0, 1.0))
    clarity = float(np.clip(comb[best], 0.0, 1.0))
    return Tempo(round(bpm, 2), confidence, clarity)


def onset_rate(envelope: np.ndarray, frame_rate: float) -> float:
    """Onsets per second: local maxima (±50 ms) clearly above a 1 s moving median."""
    if envelope.size < 3:
        return 0.0
    radius = max(1, int(0.05 * frame_rate))
    local_max = scipy.ndimage.maximum_filter1d(envelope, 2 * radius + 1)
    baseline = scipy.ndimage.median_filter(envelope, size=max(3, int(frame_rate)) | 1)
    threshold = baseline + 0.5 * float(np.std(envelope))
    peaks = (envelope == local_max) & (envelope > threshold) & (envelope > 0)
    return float(peaks.sum() / (envelope.size / frame_rate))
