"""The handover gap between tracks, measured on the samples libVLC really produced.

    .venv/bin/python benchmarks/gap.py [--tracks 8] [--seconds 2] [--rates 1 4]

VlcEngine plays a queue of short sine tones (Ogg Vorbis, MP3, FLAC in turn; a different
pitch each) through --aout=dummy with sample capture (amem, S16N 22,050 Hz mono). Every block
comes with its presentation time on the monotonic clock, so for each handover:

- scheduled gap = first sample of B - end of A's last sample (negative: a short overlap);
- audible gap = the scheduled gap plus the silence at A's tail and B's head inside the files
  (encoder delay and padding, which a player without gapless decoding also lets through).

Configurations, measured in the same run: our handover (the next player started
HANDOVER_LEAD_MS before the end until the engine has measured, per format, libVLC's start-up
latency and the error of its end estimate; "in order" lists every handover's gap per pair,
"learned" what the engine measured by the end, ms of wall time) and the reference, the next
player started only on EndReached (lead 0).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from player.engine.base import Media  # noqa: E402
from player.engine.capture import CAPTURE_RATE, SampleCapture  # noqa: E402
from player.engine.vlc import HANDOVER_LEAD_MS, VlcEngine  # noqa: E402
from tests.factories import make_audio  # noqa: E402

FORMATS = ["ogg", "mp3", "flac"]
SILENCE = 300  # |sample| below this (of 32767) counts as silence; the tones peak near 4,000


def make_tones(folder: Path, count: int, seconds: float, formats: list[str] = FORMATS) -> list[Path]:
    return [make_audio(folder / f"tone{i}.{formats[i % len(formats)]}", seconds=seconds,
                       freq=330.0 + 110.0 * i) for i in range(count)]


def play_queue(paths: list[Path], rate: float, lead_ms: float, seconds: float,
               learned: list[str] | None = None) -> SampleCapture:
    capture = SampleCapture()
    engine = VlcEngine("dummy", capture=capture, handover_lead_ms=lead_ms)
    engine.set_rate(rate)
    medias = [Media(str(p), i + 1, int(seconds * 1000)) for i, p in enumerate(paths)]
    engine.load(medias[0])
    engine.play()
    engine.prepare_next(medias[1])
    following = 2
    deadline = time.monotonic() + len(paths) * seconds / rate + 20
    done = False
    while not done and time.monotonic() < deadline:
        for event in engine.poll_events():
            if event.kind == "ended":
                if event.next_token is None:
                    done = True
                elif following < len(medias):
                    engine.prepare_next(medias[following])
                    following += 1
            elif event.kind == "error":
                raise SystemExit(f"playback error: {event.message}")
        time.sleep(0.01)
    if learned is not None:  # what the engine measured (ms of wall time)
        tuner = engine.tuner
        learned += [f"{fmt[1:]} start {tuner.start_ms[k]:.0f}" for k in sorted(tuner.start_ms)
                    for fmt in [k[0]]]
        learned += [f"{fmt[1:]} end {tuner.end_error_ms[k]:+.0f}" for k in sorted(tuner.end_error_ms)
                    for fmt in [k[0]]]
    engine.close()
    if not done:
        raise SystemExit("playback did not finish")
    return capture


def silent_ms(samples: np.ndarray, from_end: bool) -> float:
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) >= SILENCE)
    if not len(loud):
        return len(samples) / CAPTURE_RATE * 1000
    quiet = len(samples) - 1 - loud[-1] if from_end else loud[0]
    return quiet / CAPTURE_RATE * 1000


def by_pair(capture: SampleCapture, paths: list[Path]) -> dict[str, list[float]]:
    """Scheduled gaps per format pair (libVLC's start-up time differs by format)."""
    segments = capture.segments()
    out: dict[str, list[float]] = {}
    for a, b in zip(segments, segments[1:], strict=False):
        pair = f"{paths[a.token - 1].suffix[1:]}->{paths[b.token - 1].suffix[1:]}"
        out.setdefault(pair, []).append((b.first_pts - a.end_pts) / 1000)
    return out


def gaps(capture: SampleCapture, rate: float) -> tuple[list[float], list[float]]:
    segments = capture.segments()
    scheduled, audible = [], []
    for a, b in zip(segments, segments[1:], strict=False):
        gap = (b.first_pts - a.end_pts) / 1000
        tail = silent_ms(np.frombuffer(a.samples, dtype=np.int16), True)
        head = silent_ms(np.frombuffer(b.samples, dtype=np.int16), False)
        scheduled.append(gap)
        audible.append(max(0.0, gap) + tail + head)  # silence is wall time, rate included
    return scheduled, audible


def summary(values: list[float]) -> str:
    return (f"median {statistics.median(values):6.1f}  mean {statistics.fmean(values):6.1f}  "
            f"min {min(values):6.1f}  max {max(values):6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tracks", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rates", type=float, nargs="+", default=[1.0, 4.0])
    parser.add_argument("--formats", nargs="+", default=FORMATS, help="used in turn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = make_tones(Path(folder), args.tracks, args.seconds, args.formats)
        print(f"{args.tracks} tracks of {args.seconds} s ({', '.join(args.formats)}), "
              f"{args.tracks - 1} handovers per run; gaps in ms of wall time")
        for rate in args.rates:
            results = {}
            for name, lead in ((f"ours (lead {HANDOVER_LEAD_MS:g} ms)", HANDOVER_LEAD_MS),
                               ("reference: start on EndReached", 0.0)):
                learned: list[str] = []
                capture = play_queue(paths, rate, lead, args.seconds, learned)
                segments = capture.segments()
                if len(segments) != len(paths):
                    raise SystemExit(f"captured {len(segments)} tracks of {len(paths)}")
                scheduled, audible = gaps(capture, rate)
                results[name] = statistics.median(scheduled)
                print(f"rate {rate:g}  {name:32s} scheduled: {summary(scheduled)}")
                print(f"rate {rate:g}  {'':32s} audible:   {summary(audible)}")
                pairs = by_pair(capture, paths)
                print(f"rate {rate:g}  {'':32s} by pair:   " + "  ".join(
                    f"{k} {statistics.median(v):.0f}" for k, v in sorted(pairs.items())))
                print(f"rate {rate:g}  {'':32s} in order:  " + "  ".join(
                    f"{k} " + "/".join(f"{g:.0f}" for g in v) for k, v in sorted(pairs.items())))
                if learned:
                    print(f"rate {rate:g}  {'':32s} learned:   " + "  ".join(learned))
            ours, ref = results.values()
            print(f"rate {rate:g}  median scheduled gap: ours {ours:.1f} ms vs reference {ref:.1f} ms")


if __name__ == "__main__":
    main()
