"""The cost of recording a listen event (budget: < 2 ms each).

    .venv/bin/python benchmarks/listen_log.py [--tracks 20000] [--listens 200000] [--events 2000]

A real SQLite file (WAL, synchronous=normal, as the app opens it) with a library and a
listening history already in it. ListenLogger records listens as the player does: start (an
INSERT after the repeat and session look-ups), heartbeat (an UPDATE) and end (an UPDATE with
the play/skip flags). Reference, measured in the same run on the same file: one bare sqlite3
INSERT of a listen row with its commit.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from player.core.clock import FakeClock  # noqa: E402
from player.db.connection import open_database  # noqa: E402
from player.db.listens import ListenRepository  # noqa: E402
from player.db.tracks import TrackRepository  # noqa: E402
from player.history.logger import ListenLogger  # noqa: E402
from tests.factories import add_tracks  # noqa: E402


def fill_history(path: Path, track_ids: list[int], count: int, rng: random.Random) -> None:
    start = 1_700_000_000.0 - count * 200.0
    rows = [(rng.choice(track_ids), start + i * 200.0, 60, rng.randint(0, 240_000), 240_000,
             "finished", 240_000, "library", "", i // 20, 0, "off", start + i * 200.0 + 180,
             rng.random() < 0.7, rng.random() < 0.2, 0, 0) for i in range(count)]
    with sqlite3.connect(path) as raw:
        raw.executemany(
            "INSERT INTO listen (track_id, started_at, utc_offset_min, ms_played, duration_ms, "
            "end_reason, end_position_ms, source, source_id, session_id, shuffle, repeat_mode, "
            "heartbeat_at, is_play, is_skip, is_early_skip, is_repeat) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def timed(fn: object) -> float:
    began = time.perf_counter()
    fn()  # type: ignore[operator]
    return (time.perf_counter() - began) * 1000


def report(name: str, values: list[float], reference: float) -> None:
    values = sorted(values)
    median = statistics.median(values)
    p95 = values[int(len(values) * 0.95)]
    print(f"{name:10s} median {median:6.3f} ms  p95 {p95:6.3f} ms  max {values[-1]:6.3f} ms  "
          f"({median / reference:4.1f}x the reference)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tracks", type=int, default=20_000)
    parser.add_argument("--listens", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=2_000)
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        db = open_database(path)
        add_tracks(db, args.tracks)
        tracks = TrackRepository(db).all()
        fill_history(path, [t.id for t in tracks], args.listens, rng)
        clock = FakeClock(1_700_000_000.0)
        logger = ListenLogger(ListenRepository(db), clock, heartbeat_s=5.0)
        starts, beats, ends, refs = [], [], [], []
        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("PRAGMA synchronous=normal")
        for _ in range(args.events):
            track = rng.choice(tracks)
            starts.append(timed(lambda t=track: logger.start(t, playing=True)))
            clock.advance(5)
            logger.tick(5000)  # accumulate, no write
            beats.append(timed(logger.heartbeat))
            clock.advance(rng.uniform(1, 200))
            ends.append(timed(lambda: logger.end("next", 8000)))
            refs.append(timed(lambda t=track: raw.execute(
                "INSERT INTO listen (track_id, started_at) VALUES (?, ?)",
                (t.id, clock.now()))))
        reference = statistics.median(refs)
        print(f"{args.tracks} tracks, {args.listens} listens already stored, {args.events} "
              f"listens recorded; reference (bare sqlite3 INSERT + commit) median "
              f"{reference:.3f} ms")
        report("start", starts, reference)
        report("heartbeat", beats, reference)
        report("end", ends, reference)
        raw.close()
        db.close()


if __name__ == "__main__":
    main()
