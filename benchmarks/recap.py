"""Recap budgets: a year of 1,000,000 listens computes in < 1 s; each page paints in < 200 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/recap.py [--listens N] [--db PATH]

The database (made-up history, tests/recap/demo_history.py: 20,000 tracks, N listens in 2025
and N/4 in 2024) is built once and kept at --db (default: the temp folder). Reference figures
measured in the same run: one SQLite aggregate pass over the same rows (the floor of any
SQL-based recap), and filling an image of the card's size (the floor of any painting).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from player.db import recap_queries as q  # noqa: E402
from player.db.connection import open_database  # noqa: E402
from player.qt.recap_loader import load_recap  # noqa: E402
from player.recap.story import story  # noqa: E402
from tests.recap.demo_history import build_library, build_year, demo_clusters  # noqa: E402

YEAR = 2025
TRACKS = 20_000


def timed(fn, repeat: int) -> tuple[float, float]:
    """Best wall and CPU seconds of repeat runs (the machine is shared: best is steadiest)."""
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus)


def database(path: Path, listens: int):
    fresh = not path.exists()
    db = open_database(path)
    if fresh:
        start = time.perf_counter()
        build_library(db, tracks=TRACKS)
        build_year(db, YEAR - 1, listens // 4, tracks=TRACKS)
        build_year(db, YEAR, listens, tracks=TRACKS)
        print(f"built {path} in {time.perf_counter() - start:.1f} s")
    return db


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listens", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    path = args.db or Path(tempfile.gettempdir()) / f"encore-recap-bench-{args.listens}.db"
    db = database(path, args.listens)
    clusters = demo_clusters(TRACKS)
    count = q.year_totals(db, YEAR)[0]

    lo, hi = q.local_year_span(YEAR)
    reference = timed(lambda: db.query(
        "SELECT COUNT(*), SUM(ms_played), SUM(is_skip) FROM listen WHERE started_at >= ? "
        "AND started_at < ?", (lo - q.MAX_OFFSET_S, hi + q.MAX_OFFSET_S)), 3)
    recap = load_recap(db, YEAR, clusters=clusters)
    wall, cpu = timed(lambda: load_recap(db, YEAR, clusters=clusters), 5)
    print(f"recap of {YEAR}: {count:,} listens, {recap.plays:,} plays, {recap.tracks:,} tracks")
    print(f"  compute: {wall:.3f} s wall, {cpu:.3f} s CPU (budget 1 s); "
          f"reference SQL aggregate pass {reference[0]:.3f} s -> ratio {wall / reference[0]:.1f}x")

    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QGuiApplication, QImage, QPainter

    from player.ui.recap.painter import paint_page

    app = QGuiApplication.instance() or QGuiApplication([])
    pages = story(recap)

    def paint(page_index: int, size: tuple[int, int]) -> None:
        image = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        paint_page(painter, QRectF(0, 0, *size), pages[page_index], page_index, len(pages))
        painter.end()

    def fill(size: tuple[int, int]) -> None:
        QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied).fill(0)

    for size in ((1080, 1920), (1920, 1080), (1000, 660)):
        times = {p.key: timed(lambda i=i, s=size: paint(i, s), 3)[0] for i, p in enumerate(pages)}
        ref = timed(lambda s=size: fill(s), 5)[0]
        worst = max(times, key=lambda k: times[k])
        print(f"  paint {size[0]}x{size[1]}: median {statistics.median(times.values()) * 1000:.1f} ms, "
              f"worst {worst} {times[worst] * 1000:.1f} ms (budget 200 ms); "
              f"reference fill {ref * 1000:.1f} ms")
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    del app
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
