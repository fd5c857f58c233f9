"""Per-frame spectral measures from one chunked STFT pass: centroid, bandwidth, rolloff,
flatness, RMS, a 64-band log-mel spectrogram and a chroma matrix; then their summaries
(means, spreads, 20 MFCCs from the log-mel bands)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.fft

from player.analysis.frames import HOP, N_FFT, fft_frequencies, magnitude_chunks
from player.analysis.tonal import chroma_filterbank

MEL_BANDS = 64
MFCC_COUNT = 20
ROLLOFF_SHARE = 0.85
_EPS = 1e-10


@dataclass(frozen=True, slots=True)
class SpectralFrames:
    """Frame-wise measures (length T each; mel_db is (64, T), chroma (12, T))."""

    centroid: np.ndarray
    bandwidth: np.ndarray
    rolloff: np.ndarray
    flatness: np.ndarray
    rms: np.ndarray
    mel_db: np.ndarray
    chroma: np.ndarray
    frame_rate: float


def hz_to_mel(hz: np.ndarray | float) -> np.ndarray:
    return np.asarray(2595.0 * np.log10(1.0 + np.asarray(hz) / 700.0))


def mel_filterbank(rate: int, n_fft: int = N_FFT, bands: int = MEL_BANDS,
                   fmin: float = 30.0, fmax: float | None = None) -> np.ndarray:
    """(bands, bins) triangular filters, equal area (Slaney-style normalisation)."""
    fmax = fmax or rate / 2
    edges_mel = np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), bands + 2)
    edges = 700.0 * (10 ** (edges_mel / 2595.0) - 1.0)
    freqs = fft_frequencies(rate, n_fft)
    lower = (freqs[None, :] - edges[:-2, None]) / (edges[1:-1, None] - edges[:-2, None])
    upper = (edges[2:, None] - freqs[None, :]) / (edges[2:, None] - edges[1:-1, None])
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights.astype(np.float32)


def _frame_measures(mag: np.ndarray, freqs: np.ndarray) -> tuple[np.ndarray, ...]:
    power = mag * mag
    total = mag.sum(axis=1) + _EPS
    centroid = (mag @ freqs) / total
    spread = (mag * (freqs[None, :] - centroid[:, None]) ** 2).sum(axis=1) / total
    # Roll-off on 4-bin groups (43 Hz resolution): a quarter of the cumulative-sum cost.
    grouped = power[:, : (power.shape[1] // 4) * 4].reshape(len(power), -1, 4).sum(axis=2)
    cumulative = np.cumsum(grouped, axis=1)
    threshold = ROLLOFF_SHARE * cumulative[:, -1:]
    rolloff = freqs[np.minimum(4 * (cumulative < threshold).sum(axis=1) + 2, len(freqs) - 1)]
    log_mean = np.log(power + _EPS).mean(axis=1)
    flatness = np.exp(log_mean) / (power.mean(axis=1) + _EPS)
    # Parseval: mean square of the windowed frame, Hann-corrected to the signal's RMS.
    rms = np.sqrt(2.0 * power.sum(axis=1) / (N_FFT * N_FFT * 0.375))
    return centroid, np.sqrt(spread), rolloff, flatness, rms


def spectral_frames(mono: np.ndarray, rate: int) -> SpectralFrames:
    freqs = fft_frequencies(rate)
    mel_fb = mel_filterbank(rate)
    chroma_fb = chroma_filterbank(rate)
    parts: list[tuple[np.ndarray, ...]] = []
    for mag in magnitude_chunks(mono):
        power = mag * mag
        mel = 10.0 * np.log10(power @ mel_fb.T + _EPS)
        chroma = power @ chroma_fb.T
        parts.append((*_frame_measures(mag, freqs), mel.T, chroma.T))
    c, b, r, f, rms, mel, chroma = (np.concatenate([p[i] for p in parts], axis=-1) for i in range(7))
    return SpectralFrames(centroid=c, bandwidth=b, rolloff=r, flatness=f, rms=rms, mel_db=mel,
                          chroma=chroma, frame_rate=rate / HOP)


def mfcc(mel_db: np.ndarray, count: int = MFCC_COUNT) -> np.ndarray:
    """(count, T) cepstral coefficients: orthonormal DCT-II of the dB mel bands."""
    return np.asarray(scipy.fft.dct(mel_db, type=2, norm="ortho", axis=0)[:count])


def _stats(name: str, values: np.ndarray, weights: np.ndarray) -> dict[str, float]:
    if values.size == 0:
        return {f"{name}_mean": 0.0, f"{name}_std": 0.0}
    mean = float(np.average(values, weights=weights))
    std = float(np.sqrt(np.average((values - mean) ** 2, weights=weights)))
    return {f"{name}_mean": mean, f"{name}_std": std}


def audible(frames: SpectralFrames) -> np.ndarray:
    """Weights that leave out silent frames (-60 dB below the loudest), so a quiet intro
    or trailing silence does not drag the averages."""
    level = 20 * np.log10(frames.rms + _EPS)
    keep = level > level.max() - 60.0 if level.size else level.astype(bool)
    return keep.astype(np.float64) + 1e-9


def spectral_summary(frames: SpectralFrames) -> dict[str, object]:
    weights = audible(frames)
    out: dict[str, object] = {}
    for name in ("centroid", "bandwidth", "rolloff", "flatness"):
        out.update(_stats(f"spectral_{name}", getattr(frames, name), weights))
    mel_mean = np.average(frames.mel_db, axis=1, weights=weights)
    coefficients = mfcc(frames.mel_db)
    mfcc_mean = np.average(coefficients, axis=1, weights=weights)
    mfcc_std = np.sqrt(np.average((coefficients - mfcc_mean[:, None]) ** 2, axis=1, weights=weights))
    out["mel_db_mean"] = [round(float(v), 3) for v in mel_mean]
    out["mfcc_mean"] = [round(float(v), 4) for v in mfcc_mean]
    out["mfcc_std"] = [round(float(v), 4) for v in mfcc_std]
    return out


def zero_crossing_rate(mono: np.ndarray, hop: int = HOP, frame: int = N_FFT) -> np.ndarray:
    """Share of sign changes per frame (frame-length windows every hop samples), counted
    per hop in chunks of 2048 hops and summed over each frame's hops: no full-length
    temporaries."""
    if mono.size < 2:
        return np.zeros(1)
    chunk = 2048 * hop
    per_hop = []
    for start in range(0, mono.size - 1, chunk):
        part = mono[start:start + chunk + 1]  # one sample of overlap: the change across chunks
        changes = np.signbit(part[1:]) != np.signbit(part[:-1])
        per_hop.append(np.add.reduceat(changes, np.arange(0, changes.size, hop), dtype=np.int32))
    counts = np.concatenate(per_hop)
    hops = max(1, frame // hop)
    if counts.size < hops:
        return np.asarray([counts.sum() / frame])
    return np.asarray(np.convolve(counts, np.ones(hops), mode="valid") / frame)
