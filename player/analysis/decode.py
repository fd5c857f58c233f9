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

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO

import av
import numpy as np

from player.core.errors import KnownError

TARGET_RATE = 22050
MAX_SECONDS = 600.0
NATIVE_MAX_SECONDS = 3600.0
MIN_SECONDS = 0.03  # shorter than ~1 analysis frame there is nothing to measure


NativeSink = Callable[[np.ndarray, int], None]  # (channels, n) float32 block, its rate
# A second decoder for files FFmpeg cannot read (libVLC's, injected from above so that vlc
# stays in engine/): (path, rate, max_seconds) -> mono signed 16-bit samples.
FallbackDecoder = Callable[[str, int, float], Sequence[int]]


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


def decode(path: str, max_seconds: float = MAX_SECONDS, native: NativeSink | None = None,
           fallback: FallbackDecoder | None = None) -> DecodedAudio:
    """Decode path's first audio stream to 22,050 Hz mono; raises DecodeError with a plain
    reason. `native`, when given, also receives the source-rate audio (same length cap).
    `fallback`, when given, decodes what FFmpeg cannot (then `native` gets the 22 kHz mono)."""
    try:
        return _decode_with_av(path, max_seconds, native)
    except DecodeError as first:
        if fallback is None or not os.path.exists(path):
            raise
        return _decode_with_fallback(path, max_seconds, native, fallback, first)


# Playable copies (formats libVLC cannot decode, DSD): FLAC, 24-bit, at the first rate at or
# below 96 kHz that the source rate halves to (FFmpeg decodes DSD64 at 352.8 kHz -> 88.2 kHz).
COPY_MAX_RATE = 96000


def write_flac_copy(path: str, out: IO[bytes], wanted: Callable[[], bool] = lambda: True) -> float:
    """Decode path with FFmpeg and write all of it to `out` (a seekable binary file) as FLAC
    that libVLC can play. Returns the seconds written. Raises DecodeError with the reason;
    stops early, raising DecodeError, once `wanted()` turns False (nobody waits for it)."""
    container = _open(path, "FFmpeg cannot read it")
    try:
        if not container.streams.audio:
            raise DecodeError("the file has no audio stream")
        return _encode_flac(container, container.streams.audio[0], out, wanted)
    finally:
        container.close()


def _encode_flac(container: av.container.InputContainer, stream: av.AudioStream,
                 out: IO[bytes], wanted: Callable[[], bool]) -> float:
    rate = int(stream.codec_context.sample_rate or 0)
    while rate > COPY_MAX_RATE:
        rate //= 2
    layout = stream.codec_context.layout.name
    written = 0
    try:
        with av.open(out, mode="w", format="flac") as output:
            encoder = output.add_stream("flac", rate=rate, layout=layout, format="s32")
            resampler = av.AudioResampler(format="s32", layout=layout, rate=rate)

            def encode(frames: list[av.AudioFrame] | list[None]) -> None:
                nonlocal written
                for frame in frames:
                    written += frame.samples if frame is not None else 0
                    output.mux(encoder.encode(frame))

            for frame in container.decode(stream):
                if not wanted():
                    raise DecodeError("the conversion was cancelled")
                encode(resampler.resample(frame))
            encode(resampler.resample(None))
            encode([None])
    except (av.FFmpegError, ValueError) as exc:
        raise DecodeError(f"the audio cannot be decoded ({_reason(exc)})") from exc
    if written == 0 or rate <= 0:
        raise DecodeError("no audio could be decoded")
    return written / rate


def _decode_with_fallback(path: str, max_seconds: float, native: NativeSink | None,
                          fallback: FallbackDecoder, first: DecodeError) -> DecodedAudio:
    try:
        pcm = fallback(path, TARGET_RATE, max_seconds)
    except KnownError as exc:
        raise DecodeError(f"{first.message}; libVLC: {exc.message}") from exc
    samples = np.asarray(pcm, dtype=np.int16).astype(np.float32) / 32768.0
    if samples.size < MIN_SECONDS * TARGET_RATE:
        raise DecodeError(f"{first.message}; libVLC decoded {samples.size / TARGET_RATE:.2f} s")
    if native is not None:
        for start in range(0, samples.size, TARGET_RATE):  # ~1 s blocks, as from PyAV
            native(samples[None, start:start + TARGET_RATE], TARGET_RATE)
    return DecodedAudio(samples=samples[None, :], rate=TARGET_RATE,
                        truncated=samples.size >= int(max_seconds * TARGET_RATE),
                        source_rate=TARGET_RATE, source_channels=1, codec="libvlc")


def _open(path: str, unreadable: str) -> av.container.InputContainer:
    """The file opened by FFmpeg, or DecodeError: not found, or `unreadable` and FFmpeg's reason."""
    try:
        return av.open(path)
    except FileNotFoundError as exc:
        raise DecodeError(f"file not found: {path}") from exc
    except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise DecodeError(f"{unreadable} ({_reason(exc)})") from exc


def _decode_with_av(path: str, max_seconds: float, native: NativeSink | None) -> DecodedAudio:
    container = _open(path, "not a readable audio file")
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
    limit = int(max_seconds * TARGET_RATE)
    pipeline = _Pipeline(native, limit, _expected_samples(container, limit))
    try:
        for frame in container.decode(stream):
            if not pipeline.add(frame):
                break
    except (av.FFmpegError, ValueError) as exc:
        # A damaged tail: keep what decoded when it is enough to measure.
        if pipeline.decoded_seconds < MIN_SECONDS:
            raise DecodeError(f"the audio cannot be decoded ({_reason(exc)})") from exc
    pipeline.finish()
    buffer = pipeline.buffer
    if buffer.size < MIN_SECONDS * TARGET_RATE:
        raise DecodeError(f"too short to analyse ({buffer.size / TARGET_RATE:.2f} s of audio)")
    return DecodedAudio(samples=buffer.samples()[None, :limit], rate=TARGET_RATE,
                        truncated=pipeline.truncated,
                        source_rate=int(stream.codec_context.sample_rate or 0),
                        source_channels=int(stream.codec_context.channels or 0),
                        codec=str(stream.codec_context.name))


class _Pipeline:
    """Decoded frames -> ~1 s source-format blocks -> (a) the native callback, (b) a mono
    mix resampled to 22,050 Hz. Resampling whole blocks costs one resampler call per
    second instead of one per codec frame (a third of the decoding time on Vorbis)."""

    def __init__(self, native: NativeSink | None, limit: int, capacity: int) -> None:
        self.native = native
        self.limit = limit
        self.buffer = _Buffer(capacity)
        self.truncated = False
        self.rate = 0
        self.layout = ""
        self.blocks: list[np.ndarray] = []
        self.pending = 0
        self.native_sent = 0
        self.resampler = av.AudioResampler(format="fltp", layout="mono", rate=TARGET_RATE)
        self.converter: av.AudioResampler | None = None

    @property
    def decoded_seconds(self) -> float:
        return (self.buffer.size / TARGET_RATE) + (self.pending / self.rate if self.rate else 0.0)

    def add(self, frame: av.AudioFrame) -> bool:
        """Take one frame; False once nothing more is wanted."""
        if not self.rate:
            self.rate, self.layout = frame.sample_rate, frame.layout.name
        if frame.sample_rate != self.rate or frame.layout.name != self.layout:
            # A mid-stream format change: convert to the first format (rare, so per frame).
            self.converter = self.converter or av.AudioResampler(
                format="fltp", layout=self.layout, rate=self.rate)
            for converted in self.converter.resample(frame):
                self._append(converted.to_ndarray())
        else:
            self._append(native_block(frame))
        return not self._done()

    def _append(self, block: np.ndarray) -> None:
        self.blocks.append(block)
        self.pending += block.shape[1]
        if self.pending >= self.rate:
            self._flush()

    def _done(self) -> bool:
        native_full = self.native is None or self.native_sent >= NATIVE_MAX_SECONDS * self.rate
        return self.truncated and native_full

    def _flush(self) -> None:
        if not self.blocks:
            return
        block = np.concatenate(self.blocks, axis=1) if len(self.blocks) > 1 else self.blocks[0]
        self.blocks, self.pending = [], 0
        room = int(NATIVE_MAX_SECONDS * self.rate) - self.native_sent
        if self.native is not None and room > 0:
            self.native(block[:, :room], self.rate)
            self.native_sent += min(room, block.shape[1])
        if not self.truncated:
            mono = block.mean(axis=0, dtype=np.float32) if block.shape[0] > 1 else block[0]
            self._resample(mono)

    def _resample(self, mono: np.ndarray | None) -> None:
        frame = None
        if mono is not None:
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(mono[None, :]), format="fltp",
                                               layout="mono")
            frame.sample_rate = self.rate
        for out in self.resampler.resample(frame):
            self.buffer.append(out.to_ndarray()[0])
        self.truncated = self.buffer.size >= self.limit

    def finish(self) -> None:
        self._flush()
        if not self.truncated and self.rate:
            self._resample(None)  # the resampler's buffered tail


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
