"""Scan throughput, unchanged rescan and peak memory on a synthetic tagged library.

    .venv/bin/python benchmarks/scan.py [--files 20000] [--workers 2]

Prints, measured in the same run: a plain one-process `mutagen.File` loop over the same files
(the reference), the first scan (all database writes included) and its ratio to the reference,
an unchanged rescan, and the scanning process's peak memory (workers included).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mutagen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.factories import make_audio  # noqa: E402

FORMATS = ["mp3", "flac", "ogg", "m4a", "opus"]
GENRES = ["Jazz", "Rock", "Classical", "Electronic", "Hip-Hop", "Folk", "Ambient", "Pop"]


def build_library(folder: Path, count: int) -> list[Path]:
    """count files in Artist/Album/NN Title.ext folders, each with its own tags."""
    marker = folder / f".complete-{count}"
    if marker.exists():
        return sorted(p for p in folder.rglob("*") if p.suffix.lstrip(".") in FORMATS)
    shutil.rmtree(folder, ignore_errors=True)
    templates = {fmt: make_audio(folder / f"template.{fmt}", seconds=1.0) for fmt in FORMATS}
    rng = random.Random(7)
    paths = []
    for i in range(count):
        fmt = FORMATS[i % len(FORMATS)]
        artist, album = f"Artist {i // 120:04d}", f"Album {i // 12:05d}"
        path = folder / artist / album / f"{i % 12 + 1:02d} Song {i}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(templates[fmt], path)
        tags = mutagen.File(path, easy=True)
        assert tags is not None
        if tags.tags is None:
            tags.add_tags()
        tags["title"] = f"Song {i}"
        tags["artist"] = artist
        tags["album"] = album
        tags["genre"] = rng.choice(GENRES)
        tags["tracknumber"] = str(i % 12 + 1)
        tags.save()
        paths.append(path)
    for template in templates.values():
        template.unlink()
    marker.touch()
    return paths


def reference_loop(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        audio = mutagen.File(path)
        assert audio is not None and audio.info.length > 0
    return time.perf_counter() - started


SCAN_CHILD = """
import json, os, sys, threading, time
from player.db.connection import open_database
from player.library.scanner import Scanner

def hwm_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return int([l.split()[1] for l in f if l.startswith("VmHWM")][0])
    except (OSError, IndexError):
        return 0

def descendants(root):
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    found, frontier = set(), {root}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found

peaks, done = {}, threading.Event()
def sample():
    while not done.wait(0.2):
        for pid in descendants(os.getpid()):
            peaks[pid] = max(peaks.get(pid, 0), hwm_kb(pid))

threading.Thread(target=sample, daemon=True).start()
db = open_database(sys.argv[1])
report = Scanner(db, workers=int(sys.argv[3])).scan([sys.argv[2]])
done.set()
worker_peaks = sorted(peaks.values(), reverse=True)
print(json.dumps({"seconds": report.seconds, "added": report.added, "unchanged": report.unchanged,
                  "issues": report.issues, "self_mb": hwm_kb(os.getpid()) / 1024,
                  "worker_mb": (worker_peaks[0] if worker_peaks else 0) / 1024,
                  "children_mb": sum(worker_peaks) / 1024}))
"""


def run_scan(db: Path, folder: Path, workers: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", SCAN_CHILD, str(db), str(folder), str(workers)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--library", type=Path,
                        default=Path.home() / ".cache" / "encore-bench" / "scan-library")
    args = parser.parse_args()
    folder = args.library / str(args.files)
    t0 = time.perf_counter()
    paths = build_library(folder, args.files)
    print(f"library: {len(paths)} files in {folder} (ready in {time.perf_counter() - t0:.1f} s)")
    for path in paths:  # warm the page cache, so both sides read from memory
        path.read_bytes()
    ref = min(reference_loop(paths) for _ in range(2))
    print(f"reference: one-process mutagen.File loop  {len(paths) / ref:8.0f} files/s  ({ref:.2f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        run_scan(Path(tmp) / "warm-up.db", folder, args.workers)  # best of two, like the reference
        first = run_scan(db, folder, args.workers)
        assert first["added"] == len(paths), first
        rate = len(paths) / first["seconds"]
        print(f"first scan ({args.workers} workers, writes included) {rate:8.0f} files/s  "
              f"({first['seconds']:.2f} s)  ratio to reference: {ref / first['seconds']:.2f}x")
        again = run_scan(db, folder, args.workers)
        assert again["unchanged"] == len(paths), again
        print(f"unchanged rescan: {again['seconds']:.2f} s for {len(paths)} files")
        peak = first["self_mb"] + first["children_mb"]
        print(f"peak memory: scanner process {first['self_mb']:.0f} MB, largest worker "
              f"{first['worker_mb']:.0f} MB, all processes together <= {peak:.0f} MB")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"max rss of this driver {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
