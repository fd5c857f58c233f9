"""Short-time framing and a chunked magnitude STFT, so a long track never needs the whole
spectrogram in memory at once."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import scipy.fft

N_FFT = 2048
HOP = 512
CHUNK_FRAMES = 256  # frames per FFT batch: a few MB of temporaries, whatever the length


def frame_count(n_samples: int, hop: int = HOP) -> int:
    return 1 + max(0, n_samples - 1) // hop


def padded(signal: np.ndarray, n_fft: int = N_FFT) -> np.ndarray:
    """Centre frames on their hop position (like librosa's center=True, zero padding)."""
    half = n_fft // 2
    return np.pad(signal, (half, half))


def framed(signal: np.ndarray, n_fft: int = N_FFT, hop: int = HOP) -> np.ndarray:
    """A (frames, n_fft) strided view of an already padded signal (no copy)."""
    count = 1 + (len(signal) - n_fft) // hop
    return np.lib.stride_tricks.as_strided(
        signal, shape=(count, n_fft), strides=(signal.strides[0] * hop, signal.strides[0]),
        writeable=False)


def magnitude_chunks(mono: np.ndarray, n_fft: int = N_FFT, hop: int = HOP,
                     chunk: int = CHUNK_FRAMES) -> Iterator[np.ndarray]:
    """Yield |STFT| blocks of shape (frames, n_fft // 2 + 1), float32, Hann window.

    Frames start at 0, hop, 2*hop... (not centred: no padded copy of a long signal); a
    signal shorter than one frame is zero-padded to one."""
    window = np.hanning(n_fft + 1)[:-1].astype(np.float32)  # periodic Hann
    signal = mono.astype(np.float32, copy=False)
    if signal.size < n_fft:
        signal = np.pad(signal, (0, n_fft - signal.size))
    frames = framed(signal, n_fft, hop)
    for start in range(0, frames.shape[0], chunk):
        block = frames[start:start + chunk] * window
        yield np.abs(scipy.fft.rfft(block, axis=1)).astype(np.float32, copy=False)


def fft_frequencies(rate: int, n_fft: int = N_FFT) -> np.ndarray:
    return np.fft.rfftfreq(n_fft, 1.0 / rate).astype(np.float32)
