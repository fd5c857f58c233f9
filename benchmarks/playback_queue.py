"""Playback with a huge queue: what double-clicking a track in an unfiltered 100,000-track
library makes. Budget (issue 12): next(), previous(), a position tick and play_tracks each
under 20 ms on the GUI thread with 100,000 tracks in the queue.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/playback_queue.py [--tracks 100000]

The real window (build_app: PlaybackService, PlaybackBridge, PlaybackController, the queue
page, now playing) on a NullEngine and a fake clock, on a SQLite file holding a synthetic
library. Each call is timed on the GUI thread, including every slot the playback events reach
(the queue page redraws, the title, the tray). The same calls on a 100-track queue are measured
in the same run as the reference. The queue's background save is waited for between calls
(it runs on its own thread), so it does not eat the measured calls' CPU on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ui import synthetic_library  # noqa: E402
from player.db.connection import open_database  # noqa: E402
from player.db.tracks import TrackRepository  # noqa: E402


def timed(call: Callable[[], object], settle: Callable[[], None], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        settle()
        t0 = time.perf_counter()
        call()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from player.app import build_app
    from player.core.clock import FakeClock
    from player.engine.null import NullEngine

    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="encore-bench-queue-"))
    db = open_database(tmp / "queue.db")
    t0 = time.perf_counter()
    synthetic_library(db, args.tracks)
    tracks = TrackRepository(db).all()
    print(f"library: {len(tracks):,} tracks written in {time.perf_counter() - t0:.1f} s")
    clock = FakeClock()
    parts = build_app(db, NullEngine(clock=clock, check_files=False), None, cover_dir=tmp / "covers", clock=clock,
                      mpris=False, home=False)
    parts.bridge.timer.stop()  # ticks are driven by hand below
    parts.window.show()
    parts.window.show_page("Queue")
    service = parts.services.playback

    def settle() -> None:
        service.flush_saves()
        app.processEvents()

    rows = []
    for size in (100, len(tracks)):
        queue = tracks[:size]
        middle = size // 2
        def play(queue: list = queue, middle: int = middle) -> None:
            service.play_tracks(queue, middle, "library", "")

        plays = timed(play, settle, args.runs)

        def step_next() -> None:
            clock.advance(40)  # heard 40 s: a play, not a skip
            service.next()

        nxt = timed(step_next, settle, args.runs)

        def step_previous() -> None:
            service.previous()  # at the start of a track: back to the one before

        prev = timed(step_previous, settle, args.runs)

        def tick() -> None:
            clock.advance(0.15)
            service.tick()

        ticks = timed(tick, settle, args.runs * 4)
        rows.append((size, plays, nxt, prev, ticks))

    print("\n| queue | play_tracks | next() | previous() | tick |")
    print("|---|---|---|---|---|")
    for size, *calls in rows:
        cells = [f"{statistics.median(c):.2f} ms (max {max(c):.1f})" for c in calls]
        print(f"| {size:,} tracks | " + " | ".join(cells) + " |")
    small, big = rows[0], rows[1]
    print("\nratio 100,000 / 100 (median): " + ", ".join(
        f"{name} {statistics.median(b) / max(statistics.median(s), 1e-6):.1f}x"
        for name, s, b in zip(("play_tracks", "next", "previous", "tick"), small[1:], big[1:],
                              strict=True)))
    worst = max(max(c) for c in big[1:])
    print(f"worst single call at {big[0]:,}: {worst:.1f} ms (budget 20 ms)")
    parts.shutdown()
    db.close()


if __name__ == "__main__":
    main()
