"""Tag editing and the libVLC decode fallback, each against a reference in the same run.

    .venv/bin/python benchmarks/tag_edit.py [--files 200] [--seconds 30]

Tag edit: TagEditingService.edit of the artist of N FLAC files in a real library (copy, write,
read back, fsync, atomic replace, database row and undo record) against the I/O floor of the
same safe write without any tags: copy2 + fsync + os.replace of each file.

Decode fallback: engine.vlc.decode_to_pcm (libVLC's transcoder to 22,050 Hz mono) against
PyAV's decode (analysis/decode.py, what analysis uses first) of the same Ogg Vorbis file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from player.analysis.decode import decode  # noqa: E402
from player.db.connection import open_database  # noqa: E402
from player.db.tracks import TrackRepository  # noqa: E402
from player.engine.vlc import decode_to_pcm  # noqa: E402
from player.library.scanner import Scanner  # noqa: E402
from player.library.tag_editing import TagEditingService  # noqa: E402
from tests.factories import make_audio  # noqa: E402


def _reference(files: list[Path]) -> float:
    started = time.perf_counter()
    for path in files:
        copy = path.with_name(f".{path.name}.bench")
        shutil.copy2(path, copy)
        with open(copy, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(copy, path)
    return time.perf_counter() - started


def bench_tags(count: int, folder: Path) -> None:
    music = folder / "Music"
    for i in range(count):
        make_audio(music / f"{i:03d}.flac", seconds=10, freq=200 + i,
                   metadata={"title": f"Song {i}", "artist": "Old", "album": "A"})
    db = open_database(folder / "bench.db")
    Scanner(db, workers=1).scan([str(music)])
    ids = [t.id for t in TrackRepository(db).all()]
    files = sorted(music.glob("*.flac"))
    size = sum(p.stat().st_size for p in files) / count / 1024
    reference = _reference(files)
    started = time.perf_counter()
    report = TagEditingService(db).edit(ids, {"artist": "New; Guest"})
    edit = time.perf_counter() - started
    assert len(report.edited) == count and not report.failed
    print(f"tag edit, {count} FLAC files of {size:.0f} kB: {count / edit:.0f} files/s "
          f"({edit:.2f} s); reference copy+fsync+replace {count / reference:.0f} files/s "
          f"({reference:.2f} s); ratio {edit / reference:.2f}x the I/O floor's time")


def bench_decode(seconds: float, folder: Path) -> None:
    path = make_audio(folder / "long.ogg", seconds=seconds, freq=330.0, sample_rate=44100)
    best_av = best_vlc = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        decode(str(path))
        best_av = min(best_av, time.perf_counter() - started)
        started = time.perf_counter()
        decode_to_pcm(str(path), 22050, 600.0)
        best_vlc = min(best_vlc, time.perf_counter() - started)
    print(f"decode {seconds:.0f} s of Ogg Vorbis (best of 3): libVLC {best_vlc:.3f} s "
          f"({seconds / best_vlc:.0f}x real time); PyAV {best_av:.3f} s; ratio {best_vlc / best_av:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="encore-bench-") as tmp:
        bench_tags(args.files, Path(tmp))
        bench_decode(args.seconds, Path(tmp))


if __name__ == "__main__":
    main()
