"""Tempo from the onset-strength envelope: autocorrelation, a comb over 4 multiples of each
candidate period (for sub-frame precision), a log-normal preference around 120 BPM, then the
metrical level: the comb's period may be two beats, half a beat or two thirds of a beat, which
the periodicity of the *accents* (loud onsets outweigh soft ones) settles. Also the onset rate
(picked onsets per second)."""

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
# Accents: log(1 + ACCENT_GAIN x power / peak power), so about 20 dB of dynamics count.
ACCENT_GAIN = 100.0
UP_RATIO = 0.7  # half-beat periodicity x preference >= this share of the beat's: it was 2 beats
DOWN_RATIO = 0.35  # beat periodicity x preference < this share of 2 beats': it was a half beat
THREE_HALVES_MARGIN = 0.3  # periodicity at 2/3 of the period this much above: it was 1.5 beats
REFINE_TOLERANCE = 0.03  # after a change of level, the comb's best tempo within 3%


@dataclass(frozen=True, slots=True)
class Tempo:
    bpm: float
    confidence: float  # 0..1: autocorrelation at the beat period (how periodic onsets are)
    pulse_clarity: float  # 0..1: mean autocorrelation at 1-4 beat periods (regular pulse)


class OnsetEnvelope(np.ndarray):
    """The onset-strength envelope (plain spectral flux in dB, what onset rate and strength
    read) carrying `accents`: the same flux on amplitude-compressed power, where a loud hit
    outweighs a soft one, which the metrical level choice needs."""

    accents: np.ndarray


def _flux(levels: np.ndarray) -> np.ndarray:
    """Mean over bands of the rise since the previous frame (0 for the first frame)."""
    rise = np.diff(levels, axis=1)
    np.maximum(rise, 0.0, out=rise)
    return np.concatenate([[0.0], rise.mean(axis=0)])


def onset_envelope(mel_db: np.ndarray) -> np.ndarray:
    """Spectral flux: mean over mel bands of the rise in dB since the previous frame
    (with `accents`, the rise of log(1 + 100 x power / peak power), attached)."""
    if mel_db.shape[1] < 2:
        return np.zeros(mel_db.shape[1])
    peak = float(mel_db.max())
    # Ignore the last 80 dB below the peak: quantisation noise in silences is not an onset.
    envelope = _flux(np.maximum(mel_db, peak - 80.0)).view(OnsetEnvelope)
    compressed = mel_db - peak  # in place from here: a 10-minute track's bands are ~13 MB
    compressed *= np.log(10.0) / 10.0
    np.exp(compressed, out=compressed)
    compressed *= ACCENT_GAIN
    np.log1p(compressed, out=compressed)
    envelope.accents = _flux(compressed)
    return envelope


def _autocorrelation(envelope: np.ndarray, max_lag: int) -> np.ndarray:
    centred = np.asarray(envelope, dtype=float) - float(np.mean(envelope))
    size = 1 << int(np.ceil(np.log2(2 * len(centred))))
    spectrum = np.fft.rfft(centred, size)
    acf = np.fft.irfft(spectrum * np.conj(spectrum), size)[: max_lag + 1]
    acf /= np.arange(len(centred), len(centred) - len(acf), -1)  # unbiased
    return np.asarray(acf / acf[0]) if acf[0] > 0 else np.zeros_like(acf)


def _prior(bpm: np.ndarray | float) -> np.ndarray | float:
    """The preference for a tempo: log-normal around PRIOR_CENTRE_BPM, PRIOR_OCTAVES wide."""
    return np.exp(-0.5 * (np.log2(np.asarray(bpm) / PRIOR_CENTRE_BPM) / PRIOR_OCTAVES) ** 2)


def _at(acf: np.ndarray, lag: float) -> float:
    """The autocorrelation peak within a frame of `lag` (-inf past the computed lags)."""
    if lag + 1 > len(acf) - 1:
        return -np.inf
    return float(np.max(np.interp(lag + np.array([-1.0, -0.5, 0.0, 0.5, 1.0]), np.arange(len(acf)), acf)))


def _metrical_level(bpm: float, accents: np.ndarray, frame_rate: float) -> float:
    """Move from the comb's tempo to the beat level of the accents: up an octave while the
    half-beats are nearly as strongly periodic as the beats (the beat was two beats), to 3/2
    when the beat is really one and a half beats (kick/snare accents one beat apart), down
    while every other beat is weak (the beat was a subdivision). The octave moves weigh
    periodicity by the same tempo preference as the comb, so eighth-note activity alone does
    not double a 110 BPM piece to 220."""
    acf = _autocorrelation(accents, min(len(accents) // 2, int(2 * 60.0 * frame_rate / MIN_BPM) + 2))
    for _ in range(3):
        period = 60.0 * frame_rate / bpm
        beat, double, half = _at(acf, period), _at(acf, 2 * period), _at(acf, period / 2)
        two_thirds = _at(acf, period * 2 / 3)
        if bpm * 2 <= MAX_BPM and half > 0 and half * _prior(2 * bpm) >= UP_RATIO * beat * _prior(bpm):
            bpm *= 2
        elif bpm * 1.5 <= MAX_BPM and two_thirds > beat + THREE_HALVES_MARGIN:
            bpm *= 1.5
        elif bpm / 2 >= MIN_BPM and beat * _prior(bpm) < DOWN_RATIO * double * _prior(bpm / 2):
            bpm /= 2
        else:
            break
    return bpm


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
    best = int(np.argmax(np.maximum(comb, 0.0) * _prior(bpms)))
    accents = getattr(envelope, "accents", None)
    if accents is not None and np.any(accents > 0):
        level = _metrical_level(float(bpms[best]), accents, frame_rate)
        near = np.flatnonzero(np.abs(bpms / level - 1.0) <= REFINE_TOLERANCE)
        if near.size:  # the comb's peak near the chosen level, for sub-frame precision
            best = int(near[np.argmax(comb[near])])
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
