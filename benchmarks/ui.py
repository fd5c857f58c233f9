"""The main window's budgets on a synthetic 100,000-track library.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/ui.py [--tracks 100000] [--scan-files 20000]

Prints, measured in the same run:
- start to window shown (a fresh `python -m player` process, until the window is shown and
  until the 100,000 tracks are in the views), against the same start on an empty database;
- peak memory (VmHWM) of that process once the tracks are shown;
- a filter keystroke at 100,000 tracks (setText on the filter box plus the repaint), typing a
  word and deleting it again;
- the longest the GUI thread went without running a 10 ms timer while a 20,000-file scan ran
  (and, separately, while the finished scan's 20,000 tracks were put into the views).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from player.core.models import TrackTags  # noqa: E402
from player.db.connection import Database, open_database  # noqa: E402
from player.db.tracks import ScannedFile, TrackRepository  # noqa: E402

GENRES = ["Jazz", "Rock", "Classical", "Electronic", "Hip-Hop", "Folk", "Ambient", "Pop"]


def synthetic_library(db: Database, count: int, batch: int = 5000) -> None:
    """count tracks (no files) by 2,000 artists on 10,000 albums, through write_scanned."""
    repo = TrackRepository(db)
    for start in range(0, count, batch):
        files = []
        for i in range(start, min(count, start + batch)):
            artist, album = f"Artist {i // 50:04d}", f"Album {i // 10:05d}"
            tags = TrackTags(title=f"Song {i} of {album}", artists=(artist,), album=album,
                             genres=(GENRES[i % len(GENRES)],), year=1960 + i % 60,
                             track_number=i % 10 + 1, duration=120.0 + i % 240, codec="mp3")
            files.append(ScannedFile(f"/music/{artist}/{album}/{i % 10 + 1:02d}.mp3", 4_000_000,
                                     1.0, f"fp{i}", tags))
        repo.write_scanned(files, {})


def start_once(db_path: Path, env: dict[str, str]) -> dict[str, float]:
    """Seconds from spawning the app to window shown and to tracks shown; peak memory MB."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "player", "--db", str(db_path), "--engine", "null"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    result: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("window-shown"):
            result["shown"] = time.perf_counter() - t0
        elif line.startswith("tracks-loaded"):
            result["loaded"] = time.perf_counter() - t0
            time.sleep(0.3)  # let the views settle before reading the peak
            result["peak_mb"] = peak_memory_mb(proc.pid)
            break
    proc.terminate()
    proc.wait(10)
    if "loaded" not in result:
        raise SystemExit(f"the app did not start: {proc.stderr.read() if proc.stderr else ''}")
    return result


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_start(tmp: Path, count: int, runs: int) -> None:
    env = dict(os.environ, ENCORE_REPORT_SHOWN="1", ENCORE_NO_FIRST_RUN="1",
               ENCORE_QUIT_AFTER_MS="60000", QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               XDG_CONFIG_HOME=str(tmp / "config"), ENCORE_CACHE_DIR=str(tmp / "cache"))
    empty, full = tmp / "empty.db", tmp / "full.db"
    open_database(empty).close()
    db = open_database(full)
    t0 = time.perf_counter()
    synthetic_library(db, count)
    db.close()
    print(f"synthetic library: {count:,} tracks written in {time.perf_counter() - t0:.1f} s")
    # The library folder is empty, so the start-up scan finds nothing and changes nothing.
    for path in (empty, full):
        db = open_database(path)
        db.execute("INSERT OR IGNORE INTO library_folder (path, added_at) VALUES (?, 0)",
                   (str(tmp / "no-music"),))
        db.close()
    (tmp / "no-music").mkdir(exist_ok=True)
    empty_runs = [start_once(empty, env) for _ in range(runs)]
    full_runs = [start_once(full, env) for _ in range(runs)]
    e_shown = statistics.median(r["shown"] for r in empty_runs)
    f_shown = statistics.median(r["shown"] for r in full_runs)
    f_loaded = statistics.median(r["loaded"] for r in full_runs)
    peak = max(r["peak_mb"] for r in full_runs)
    print(f"start to window shown, empty database: {e_shown:.2f} s (reference, median of {runs})")
    print(f"start to window shown, {count:,} tracks: {f_shown:.2f} s  "
          f"ratio {f_shown / e_shown:.2f}x  (budget < 1.5 s and <= 2x)")
    print(f"start to {count:,} tracks shown in the views: {f_loaded:.2f} s  "
          f"ratio {f_loaded / e_shown:.2f}x to the empty start")
    print(f"peak memory with {count:,} tracks shown: {peak:.0f} MB  (budget < 400 MB)")


def measure_filter(app, count: int, tmp: Path):
    from player.ui.library_controller import freeze_long_lived
    from player.ui.main_window import MainWindow

    db = open_database(tmp / "filter.db")
    synthetic_library(db, count)
    tracks = TrackRepository(db).all()
    db.close()
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    t0 = time.perf_counter()
    window.library.set_tracks(tracks)
    app.processEvents()
    if not os.environ.get("ENCORE_BENCH_NO_FREEZE"):
        freeze_long_lived()  # as LibraryController does after each load
    print(f"putting {count:,} tracks into the views (GUI thread): {time.perf_counter() - t0:.2f} s")
    edit = window.library.filter_edit
    text = "artist 0042 song"
    steps = [text[:i] for i in range(1, len(text) + 1)] + [text[:i] for i in range(len(text) - 1, -1, -1)]
    times = []
    for step in steps:
        t0 = time.perf_counter()
        edit.setText(step)
        window.library.tracks_table.viewport().repaint()
        app.processEvents()
        times.append((time.perf_counter() - t0) * 1000)
    first = times[0]
    print(f"filter keystroke at {count:,} tracks: median {statistics.median(times):.1f} ms, "
          f"max {max(times):.1f} ms, first letter {first:.1f} ms over {len(times)} keystrokes "
          f"(budget < 50 ms)")
    window.close()
    return window  # kept alive: the scan below runs with 100,000 tracks in memory, as in the app


def measure_scan_blocking(app, files: int, library: Path, tmp: Path) -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer

    from benchmarks.scan import build_library
    from player.ui.library_controller import LibraryController
    from player.ui.main_window import MainWindow

    folder = library / str(files)
    t0 = time.perf_counter()
    build_library(folder, files)
    print(f"scan library: {files:,} files ready in {time.perf_counter() - t0:.1f} s ({folder})")
    db = open_database(tmp / "scan.db")
    window = MainWindow()
    window.show()
    controller = LibraryController(window, db)
    gaps: list[float] = []
    phase = {"name": "scan"}
    clock = QElapsedTimer()
    clock.start()
    probe = QTimer()
    probe.setInterval(10)

    def on_probe() -> None:
        gaps.append((phase["name"], clock.restart()))  # type: ignore[arg-type]

    probe.timeout.connect(on_probe)
    done = {"scan": False, "loaded": False}
    controller.scan_done.connect(lambda _r: (done.__setitem__("scan", True), phase.__setitem__("name", "load")))
    controller.tracks_loaded.connect(lambda _n: done.__setitem__("loaded", True))
    probe.start()
    t0 = time.perf_counter()
    controller.scan([str(folder)])
    while not done["loaded"]:
        app.processEvents()
        time.sleep(0.001)
    scan_s = time.perf_counter() - t0
    probe.stop()
    controller.shutdown()
    scan_gaps = [g for p, g in gaps if p == "scan"]
    load_gaps = [g for p, g in gaps if p == "load"] or [0]
    over = sum(1 for g in scan_gaps if g > 100)
    p99 = sorted(scan_gaps)[int(len(scan_gaps) * 0.99)]
    print(f"scan of {files:,} files from the GUI: {scan_s:.1f} s; longest GUI-thread gap "
          f"during the scan {max(scan_gaps)} ms, 99th percentile {p99} ms, {over} of "
          f"{len(scan_gaps)} ticks over 100 ms (budget < 100 ms; timer interval 10 ms)")
    print(f"longest GUI-thread gap while the scanned tracks went into the views: "
          f"{max(load_gaps)} ms")
    window.close()
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--scan-files", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=["start", "filter", "scan", "gui"], default=None)
    parser.add_argument("--library", type=Path,
                        default=Path.home() / ".cache" / "encore-bench" / "scan-library")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(f"{os.cpu_count()} CPUs; load average before the run: "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if args.only in (None, "start"):
            measure_start(tmp, args.tracks, args.runs)
        from PySide6.QtWidgets import QApplication

        app = QApplication([])
        if args.only in (None, "filter", "gui"):
            big_window = measure_filter(app, args.tracks, tmp)  # noqa: F841 (kept alive)
        if args.scan_files and args.only in (None, "scan", "gui"):
            measure_scan_blocking(app, args.scan_files, args.library, tmp)
    print(f"load average after the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
