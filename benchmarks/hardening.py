"""Issue 18's bounds, measured: how long an import holds the write lock, and a 1 GB line.

    .venv/bin/python benchmarks/hardening.py [--rows 500000] [--line-mb 1024]
        [--playlist-entries 1000000] [--cover-mb 100] [--only import|line|playlist|cover]

1. Import lock hold: a --rows Last.fm-1K-shaped export (the shared sample's rows repeated
   with shifted times) is imported into a fresh database while another connection writes a
   row every 50 ms. Printed: the whole import (parse, match, stage, swap), the number of
   write transactions and their total hold, the LONGEST single hold of the library's write
   lock and its ratio to the whole import, and the longest wait of the other writer. Before
   issue 18 the lock was held for the whole import; then for one swap transaction (50%).
2. A --line-mb line: a Last.fm-1K file with one line of that size in the middle is read by
   read_rows in a fresh child; its peak RSS (VmHWM) is printed next to the same child reading
   the file without the long line (the reference).
3. A --playlist-entries playlist: peak RSS of `playlist show` (text and --json) and `playlist
   list`, each in a fresh interpreter, against the same commands over a 1,000-entry playlist.
4. A --cover-mb cover embedded in an MP3 and an M4A: peak RSS of scanning the file (read_tags)
   and of the GUI's cover loading (cover_bytes), against the same file without a cover.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from player.db.connection import open_database  # noqa: E402
from player.db.imports import LockClock  # noqa: E402
from player.history.import_service import import_files  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "data" / "listens" / "lastfm1k-user_000001.tsv"
if not SAMPLE.exists():
    SAMPLE = Path("/work/shared/data/listens/lastfm1k-user_000001.tsv")


def write_export(path: Path, rows: int) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    with path.open("w", encoding="utf-8") as out:
        written = copy = 0
        while written < rows:
            copy += 1
            for line in lines:
                user, when, *rest = line.split("\t")
                moved = datetime.strptime(when, "%Y-%m-%dT%H:%M:%SZ") + timedelta(seconds=copy)
                out.write("\t".join([user, moved.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                     *rest]) + "\n")
                written += 1
                if written >= rows:
                    break


class Probe(threading.Thread):
    """Another writer (as a like or the listen logger would be): a tiny write every 50 ms on its
    own connection, each waiting for the lock as long as it must; records the longest wait."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path, self.stop, self.waits = path, threading.Event(), [0.0]

    def run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=600, isolation_level=None)
        while not self.stop.wait(0.05):
            asked = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            self.waits.append(time.perf_counter() - asked)
            conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('probe', '1')")
            conn.execute("COMMIT")
        conn.close()


def lock_hold(work: Path, rows: int) -> None:
    export = work / "big.tsv"
    write_export(export, rows)
    clocks: list[LockClock] = []
    original = LockClock.__init__

    def remember(self: LockClock, db: object) -> None:
        original(self, db)  # type: ignore[arg-type]
        clocks.append(self)

    LockClock.__init__ = remember  # type: ignore[method-assign]
    db = open_database(work / "e.db")
    probe = Probe(work / "e.db")
    probe.start()
    started = time.perf_counter()
    report = import_files(db, [export], tz="UTC")
    total = time.perf_counter() - started
    probe.stop.set()
    probe.join()
    db.close()
    holds = [h for clock in clocks for h in clock.holds]
    longest = max(holds)
    print(f"import of {report.imported:,} listens: {total:.2f} s in all; {len(holds)} write "
          f"transactions holding the lock {sum(holds):.2f} s in all; the longest single hold "
          f"{longest:.3f} s = {100 * longest / total:.2f}% of the import (before: one swap "
          f"transaction, 50% of it); another writer (every 50 ms) waited at most "
          f"{max(probe.waits):.3f} s over {len(probe.waits) - 1} writes")
    steps: dict[str, list[float]] = {}
    for clock in clocks:
        for what, held in clock.steps:
            steps.setdefault(what or "other", []).append(held)
    print("  by step (transactions, longest hold, total): " + "; ".join(
        f"{what} {len(h)}, {max(h):.3f} s, {sum(h):.2f} s" for what, h in steps.items()))


CHILD = """
import resource, sys
sys.path.insert(0, {root!r})
from player.history.importers import read_rows
n = sum(1 for _ in read_rows({path!r}, tz="UTC"))
for line in open("/proc/self/status"):
    if line.startswith("VmHWM"):
        print(n, int(line.split()[1]) // 1024)
"""


def peak(path: Path) -> tuple[int, int]:
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), path=str(path))],
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), int(out[1])


def long_line(work: Path, megabytes: int) -> None:
    lines = SAMPLE.read_bytes().split(b"\n")[:2000]
    plain = work / "plain.tsv"
    plain.write_bytes(b"\n".join(lines) + b"\n")
    huge = work / "huge.tsv"
    with huge.open("wb") as out:
        out.write(b"\n".join(lines[:1000]) + b"\n")
        block = b"x\t" * (1 << 19)  # 1 MiB
        for _ in range(megabytes):
            out.write(block)
        out.write(b"\n" + b"\n".join(lines[1000:]) + b"\n")
    rows_plain, rss_plain = peak(plain)
    started = time.perf_counter()
    rows_huge, rss_huge = peak(huge)
    seconds = time.perf_counter() - started
    print(f"read_rows over a {megabytes} MB line: peak RSS {rss_huge} MB ({rows_huge} rows, "
          f"{seconds:.1f} s) vs {rss_plain} MB without it ({rows_plain} rows): "
          f"x{rss_huge / rss_plain:.2f}")


def big_playlist_memory(work: Path, entries: int) -> None:
    """Peak RSS of `playlist show` (text, JSON) and `playlist list` with a playlist of
    `entries` entries, each in a fresh interpreter, against the same over 1,000 entries."""
    from tests.playlists.helpers import big_playlist, peak_rss_mb

    path, reference = work / "playlists.db", work / "reference.db"
    for where, size in ((reference, 1_000), (path, entries)):
        db = open_database(where)
        big_playlist(db, "Big", size)
        db.close()
    for argv in (["show", "Big"], ["show", "Big", "--json"], ["list"]):
        _, rss_small = peak_rss_mb(str(ROOT), ["--db", str(reference), "playlist", *argv])
        started = time.perf_counter()
        _, rss_big = peak_rss_mb(str(ROOT), ["--db", str(path), "playlist", *argv])
        seconds = time.perf_counter() - started
        print(f"playlist {' '.join(argv)} ({entries:,} entries): peak RSS {rss_big} MB "
              f"({seconds:.1f} s) vs {rss_small} MB over 1,000 entries: x{rss_big / rss_small:.2f}")


COVER_CHILD = """
import sys
sys.path.insert(0, {root!r})
from player.tags.covers import cover_bytes
from player.tags.reader import read_tags
found = read_tags({path!r}, "/").has_cover if {scan!r} else cover_bytes({path!r})
print(next(int(l.split()[1]) // 1024 for l in open("/proc/self/status") if l.startswith("VmHWM")))
"""


def cover_memory(work: Path, megabytes: int) -> None:
    """Peak RSS of scanning a file (read_tags) and of the GUI's cover loading (cover_bytes)
    with a `megabytes` embedded cover, against the same file without one."""
    import shutil

    from tests.factories import embed_cover, make_audio

    for ext in ("mp3", "m4a"):
        plain = make_audio(work / f"plain.{ext}", seconds=2, metadata={"title": "T", "artist": "A"})
        big = work / f"big.{ext}"
        shutil.copy(plain, big)
        embed_cover(big, megabytes << 20)
        for scan, what in ((True, "scan (read_tags)"), (False, "cover loader (cover_bytes)")):
            rss = [int(subprocess.run([sys.executable, "-c", COVER_CHILD.format(
                root=str(ROOT), path=str(p), scan=scan)], capture_output=True, text=True,
                check=True).stdout.split()[-1]) for p in (big, plain)]
            print(f"{ext} with a {megabytes} MB cover, {what}: peak RSS {rss[0]} MB vs {rss[1]} MB "
                  f"without a cover: x{rss[0] / rss[1]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--line-mb", type=int, default=1024)
    parser.add_argument("--playlist-entries", type=int, default=1_000_000)
    parser.add_argument("--cover-mb", type=int, default=100)
    parser.add_argument("--only", choices=["import", "line", "playlist", "cover"], default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.only in (None, "import"):
            lock_hold(work, args.rows)
        if args.only in (None, "line"):
            long_line(work, args.line_mb)
        if args.only in (None, "playlist"):
            big_playlist_memory(work, args.playlist_entries)
        if args.only in (None, "cover"):
            cover_memory(work, args.cover_mb)


if __name__ == "__main__":
    main()
