"""Decoding any audio file to 22,050 Hz mono float32 with PyAV (the ONLY module importing av).

The analysis works at 22,050 Hz mono: everything it measures lies below 11 kHz, and half
the samples of 44.1 kHz halves the cost of every step. Loudness needs the original rate
and channels (EBU R128 sums the channels' energies over the full band), so `decode` can
also hand the source-format audio, in ~1 s float blocks, to a `native` callback while it
decodes: one decoding pass serves both.

Length cap: only the first MAX_SECONDS (10 minutes) become the 22 kHz signal. Longer files
(DJ mixes, long suites) are analysed on that part, which keeps a worker under 300 MB. The
`native` callback (loudness, which streams) keeps receiving audio up to NATIVE_MAX_SECONDS
(1 hour), so ReplayGain covers the whole track.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import av
import numpy as np

from player.core.errors import KnownError

TARGET_RATE = 22050
MAX_SECONDS = 600.0
NATIVE_MAX_SECONDS = 3600.0
MIN_SECONDS = 0.03  # shorter than ~1 analysis frame there is nothing to measure


NativeSink = Callable[[np.ndarray, int], None]  # (channels, n) float32 block, its rate


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


def decode(path: str, max_seconds: float = MAX_SECONDS, native: NativeSink | None = None) -> DecodedAudio:
    """Decode path's first audio stream to 22,050 Hz mono; raises DecodeError with a plain
    reason. `native`, when given, also receives the source-rate audio (same length cap)."""
    try:
        container = av.open(path)
    except FileNotFoundError as exc:
        raise DecodeError(f"file not found: {path}") from exc
    except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise DecodeError(f"not a readable audio file ({_reason(exc)})") from exc
    try:
        return _decode_container(container, max_seconds, native)
    finally:
        container.close()


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return str(text).split(": '/")[0].strip()


def _decode_container(container: av.container.InputContainer, max_seconds: float,
                      native: NativeSink | None) -> DecodedAudio:
    if not container.streams.audio:
        raise DecodeError("the file has no audio stream")
    stream = container.streams.audio[0]
    channels = int(stream.codec_context.channels or 0)
    resampler = av.AudioResampler(format="fltp", layout="mono", rate=TARGET_RATE)
    limit = int(max_seconds * TARGET_RATE)
    buffer = _Buffer(_expected_samples(container, limit))
    source = _NativeBatcher(native, NATIVE_MAX_SECONDS)
    truncated = False
    try:
        for frame in container.decode(stream):
            if source.add(frame) and truncated:
                continue  # past the cap: only the loudness meter still listens
            if truncated:
                break
            for out in resampler.resample(frame):
                buffer.append(out.to_ndarray()[0])
            truncated = buffer.size >= limit
        if not truncated:
            for out in resampler.resample(None):
                buffer.append(out.to_ndarray()[0])
    except (av.FFmpegError, ValueError) as exc:
        # A damaged tail: keep what decoded when it is enough to measure.
        if buffer.size < MIN_SECONDS * TARGET_RATE:
            raise DecodeError(f"the audio cannot be decoded ({_reason(exc)})") from exc
    source.flush()
    if buffer.size < MIN_SECONDS * TARGET_RATE:
        raise DecodeError(f"too short to analyse ({buffer.size / TARGET_RATE:.2f} s of audio)")
    return DecodedAudio(samples=buffer.samples()[None, :limit], rate=TARGET_RATE, truncated=truncated,
                        source_rate=int(stream.codec_context.sample_rate or 0),
                        source_channels=channels, codec=str(stream.codec_context.name))


_INTEGER_SCALE = {"u8": 128.0, "s16": 32768.0, "s32": 2147483648.0, "s64": 9.223372036854776e18}


def native_block(frame: av.AudioFrame) -> np.ndarray:
    """A decoded frame as (channels, n) float32, whatever its sample format."""
    data = frame.to_ndarray()
    name = frame.format.name
    channels = len(frame.layout.channels)
    if not frame.format.is_planar:
        data = data.reshape(-1, channels).T
    if name.rstrip("p") in _INTEGER_SCALE:
        offset = 128.0 if name.startswith("u8") else 0.0
        return ((data.astype(np.float32) - offset) / _INTEGER_SCALE[name.rstrip("p")]).astype(np.float32)
    return data.astype(np.float32, copy=False)


class _NativeBatcher:
    """Collects source-format frames into ~1 s blocks for the native callback."""

    def __init__(self, sink: NativeSink | None, max_seconds: float) -> None:
        self.sink = sink
        self.max_seconds = max_seconds
        self.blocks: list[np.ndarray] = []
        self.rate = 0
        self.pending = 0
        self.sent = 0

    def add(self, frame: av.AudioFrame) -> bool:
        """Pass a frame on; False once nothing more is wanted (no sink, or its cap)."""
        if self.sink is None or (self.rate and self.sent >= self.max_seconds * self.rate):
            return False
        if self.rate and frame.sample_rate != self.rate:
            return True  # the meter measures the stream's first format only
        self.rate = frame.sample_rate
        self.blocks.append(native_block(frame))
        self.pending += frame.samples
        if self.pending >= self.rate:
            self.flush()
        return True

    def flush(self) -> None:
        if self.sink is None or not self.blocks:
            return
        room = int(self.max_seconds * self.rate) - self.sent
        block = np.concatenate(self.blocks, axis=1)[:, :max(0, room)]
        self.blocks, self.pending = [], 0
        if block.shape[1]:
            self.sink(block, self.rate)
            self.sent += block.shape[1]


def _expected_samples(container: av.container.InputContainer, limit: int) -> int:
    seconds = (container.duration or 0) / 1_000_000  # av.time_base
    return min(limit + TARGET_RATE, int(seconds * TARGET_RATE) + TARGET_RATE) if seconds > 0 else TARGET_RATE * 60


class _Buffer:
    """Growable float32 array: decoded audio is written once, not collected in pieces
    and copied again (halves peak memory on long files)."""

    def __init__(self, capacity: int) -> None:
        self._data = np.empty(max(capacity, 1), dtype=np.float32)
        self.size = 0

    def append(self, block: np.ndarray) -> None:
        n = block.shape[0]
        if self.size + n > self._data.shape[0]:
            grown = np.empty(2 * (self.size + n), dtype=np.float32)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size:self.size + n] = block
        self.size += n

    def samples(self) -> np.ndarray:
        return self._data[: self.size]
