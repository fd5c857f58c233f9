"""Decoding any audio file to 22,050 Hz float32 with PyAV (the ONLY module importing av).

The analysis works at 22,050 Hz: everything it measures lies below 11 kHz, and half the
samples of 44.1 kHz halves the cost of every step. Up to two channels are kept because
EBU R128 loudness sums the channels' energies (a mono downmix would read 3-6 LU low);
`mono` is their mean.

Length cap: only the first MAX_SECONDS (10 minutes) are decoded. Longer files (DJ mixes,
audiobooks) are analysed on that part, which keeps a worker well under 300 MB. The
decoded duration and whether the cap applied are returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import av
import numpy as np

from player.core.errors import KnownError

TARGET_RATE = 22050
MAX_SECONDS = 600.0
MIN_SECONDS = 0.03  # shorter than ~1 analysis frame there is nothing to measure


class DecodeError(KnownError):
    """A file that cannot be decoded to audio; the message is the plain reason."""


@dataclass(frozen=True, slots=True)
class DecodedAudio:
    """Decoded samples: shape (channels, n), channels 1 or 2, float32 at `rate`."""

    samples: np.ndarray
    rate: int
    truncated: bool
    source_rate: int
    source_channels: int
    codec: str

    @property
    def mono(self) -> np.ndarray:
        if self.samples.shape[0] == 1:
            return np.ascontiguousarray(self.samples[0])
        return np.asarray(self.samples.mean(axis=0), dtype=np.float32)

    @property
    def seconds(self) -> float:
        return self.samples.shape[1] / self.rate


def decode(path: str, max_seconds: float = MAX_SECONDS) -> DecodedAudio:
    """Decode path's first audio stream; raises DecodeError with a plain reason."""
    try:
        container = av.open(path)
    except FileNotFoundError as exc:
        raise DecodeError(f"file not found: {path}") from exc
    except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise DecodeError(f"not a readable audio file ({_reason(exc)})") from exc
    try:
        return _decode_container(container, max_seconds)
    finally:
        container.close()


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return str(text).split(": '/")[0].strip()


def _decode_container(container: av.container.InputContainer, max_seconds: float) -> DecodedAudio:
    if not container.streams.audio:
        raise DecodeError("the file has no audio stream")
    stream = container.streams.audio[0]
    channels = stream.codec_context.channels or 2
    layout = "mono" if channels == 1 else "stereo"
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=TARGET_RATE)
    limit = int(max_seconds * TARGET_RATE)
    buffer = _Buffer(1 if layout == "mono" else 2, _expected_samples(container, limit))
    truncated = False
    try:
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                buffer.append(out.to_ndarray())
            if buffer.size >= limit:
                truncated = True
                break
        if not truncated:
            for out in resampler.resample(None):
                buffer.append(out.to_ndarray())
    except (av.FFmpegError, ValueError) as exc:
        # A damaged tail: keep what decoded when it is enough to measure.
        if buffer.size < MIN_SECONDS * TARGET_RATE:
            raise DecodeError(f"the audio cannot be decoded ({_reason(exc)})") from exc
    if buffer.size < MIN_SECONDS * TARGET_RATE:
        raise DecodeError(f"too short to analyse ({buffer.size / TARGET_RATE:.2f} s of audio)")
    samples = buffer.samples()[:, :limit]
    return DecodedAudio(samples=samples, rate=TARGET_RATE, truncated=truncated,
                        source_rate=int(stream.codec_context.sample_rate or 0),
                        source_channels=int(channels), codec=str(stream.codec_context.name))


def _expected_samples(container: av.container.InputContainer, limit: int) -> int:
    seconds = (container.duration or 0) / 1_000_000  # av.time_base
    return min(limit + TARGET_RATE, int(seconds * TARGET_RATE) + TARGET_RATE) if seconds > 0 else TARGET_RATE * 60


class _Buffer:
    """Growable (channels, n) float32 array: decoded audio is written once, not
    collected in pieces and copied again (halves peak memory on long files)."""

    def __init__(self, channels: int, capacity: int) -> None:
        self._data = np.empty((channels, max(capacity, 1)), dtype=np.float32)
        self.size = 0

    def append(self, block: np.ndarray) -> None:
        n = block.shape[1]
        if self.size + n > self._data.shape[1]:
            grown = np.empty((self._data.shape[0], 2 * (self.size + n)), dtype=np.float32)
            grown[:, : self.size] = self._data[:, : self.size]
            self._data = grown
        self._data[:, self.size:self.size + n] = block
        self.size += n

    def samples(self) -> np.ndarray:
        return self._data[:, : self.size]
