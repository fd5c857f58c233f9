"""Making the playable copy of a DSD file, against plain PyAV decoding of it in the same run.

    .venv/bin/python benchmarks/dsd_copy.py [--seconds 60]

A stereo DSD64 .dsf file (tests/factories.make_dsf, a tone through a sigma-delta modulator:
DSD's own noise above 20 kHz, like real DSD) is made once in ~/.cache/encore-bench.
Copy: PlayableCopyCache.make_copy (FFmpeg's DSD decoder, resampled to 88.2 kHz 24-bit FLAC,
written with fsync and an atomic rename into a new cache folder), best of 3.
Reference: decoding the same file with PyAV to its native float samples and nothing else.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import av  # noqa: E402

from player.playback.playable_copies import PlayableCopyCache  # noqa: E402
from tests.factories import make_dsf  # noqa: E402

BENCH = Path(os.path.expanduser("~/.cache/encore-bench"))


def _decode(path: Path) -> float:
    started = time.perf_counter()
    with av.open(str(path)) as container:
        for _ in container.decode(container.streams.audio[0]):
            pass
    return time.perf_counter() - started


def _copy(path: Path) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        cache = PlayableCopyCache(Path(folder))
        started = time.perf_counter()
        copy = cache.make_copy(str(path), lambda: True)
        return time.perf_counter() - started, os.path.getsize(copy)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    path = BENCH / f"dsd64-stereo-{int(args.seconds)}s.dsf"
    if not path.exists():
        BENCH.mkdir(parents=True, exist_ok=True)
        make_dsf(path, seconds=args.seconds, freq=440.0, channels=2)
    decode = min(_decode(path) for _ in range(3))
    copies = [_copy(path) for _ in range(3)]
    copy, size = min(c[0] for c in copies), copies[0][1]
    print(f"{args.seconds:.0f} s of stereo DSD64 ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"copy:      {copy:.2f} s ({args.seconds / copy:.0f}x real time), "
          f"{size / 1e6:.1f} MB of FLAC ({size / args.seconds / 1e6:.2f} MB per second of audio)")
    print(f"reference: {decode:.2f} s (PyAV decode only, {args.seconds / decode:.0f}x real time)")
    print(f"ratio:     {copy / decode:.2f}x the plain decode's time")
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
