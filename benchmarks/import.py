"""History import throughput (matching included) and peak memory on a 2,000,000-row export.

    .venv/bin/python benchmarks/import.py [--rows 200000] [--tracks 100000] [--big-rows 2000000]

For each format a synthetic export of --rows listens is written (90% of them name library
tracks, with realistic spelling variations; 10% name tracks not in the library), then imported
into a fresh copy of a --tracks library. Printed per format, measured in the same run: a plain
parse loop over the same file (json.load / csv.reader: the reference), the import (parsing,
matching, SQLite writes, one transaction) and the ratio. Then a --big-rows Spotify export is
imported in a fresh child process and its peak RSS is printed (VmHWM: getrusage's ru_maxrss
would include this parent's peak, inherited across fork/exec on Linux).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from player.core.models import TrackTags  # noqa: E402
from player.db.connection import open_database  # noqa: E402
from player.db.tracks import ScannedFile, TrackRepository  # noqa: E402
from player.history.import_service import import_files  # noqa: E402

WORDS = ["love", "night", "blue", "dream", "fire", "heart", "city", "rain", "gold", "light", "shadow", "river", "summer", "wild", "ghost", "electric", "paper", "silver", "ocean", "desert", "star", "falling", "broken", "echo", "velvet", "neon", "honey", "stone", "moon", "tiger", "garden", "machine"]
START = 1_500_000_000
Song = tuple[str, str, str]


def library_songs(count: int) -> list[Song]:
    rng = random.Random(1)
    artists = [f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}" for i in range(count // 20)]
    return [(artists[i // 20], " ".join(rng.sample(WORDS, 3)).title() + f" {i}", f"Album {i // 10}")
            for i in range(count)]


def build_library(path: Path, songs: list[Song]) -> None:
    db = open_database(path)
    repo = TrackRepository(db)
    for start in range(0, len(songs), 5000):
        files = [ScannedFile(f"/music/{i}.flac", 1, 1.0, f"fp{i}",
                             TrackTags(title=t, artists=(a,), album=al, duration=200.0))
                 for i, (a, t, al) in enumerate(songs[start:start + 5000], start)]
        repo.write_scanned(files, {})
    db.close()


def export_songs(songs: list[Song], rows: int, seed: int) -> Iterator[tuple[int, Song]]:
    """(epoch, (artist, title, album)) listens: 90% library songs spelled differently, 10% not."""
    rng = random.Random(seed)
    for i in range(rows):
        when = START + i * 60  # 2,000,000 rows span 3.8 years, all in the past
        if rng.random() < 0.1:
            yield when, (f"Unknown Band {rng.randrange(2000)}", f"Lost Song {rng.randrange(20000)}", "")
            continue
        artist, title, album = songs[int(rng.paretovariate(1.2) * 50) % len(songs)]
        kind = i % 4
        if kind == 1:
            title = title.upper()
        elif kind == 2:
            title = f"{title} - Remastered 2011"
        elif kind == 3:
            artist = f"{artist} feat. Guest"
        yield when, (artist, title, album)


def iso(when: int) -> str:
    return datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_spotify(path: Path, listens: Iterator[tuple[int, Song]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n")
        for n, (when, (artist, title, album)) in enumerate(listens):
            record = {"ts": iso(when), "platform": "linux", "ms_played": 180_000, "conn_country": "FR",
                      "master_metadata_track_name": title, "master_metadata_album_artist_name": artist,
                      "master_metadata_album_album_name": album,
                      "spotify_track_uri": f"spotify:track:{abs(hash(title)) % 10**22:022d}",
                      "episode_name": None, "episode_show_name": None, "spotify_episode_uri": None,
                      "reason_start": "trackdone", "reason_end": "trackdone", "shuffle": False,
                      "skipped": None, "offline": False, "offline_timestamp": 0, "incognito_mode": False}
            out.write(("," if n else "") + json.dumps(record, ensure_ascii=False) + "\n")
        out.write("]\n")


def write_listenbrainz(path: Path, listens: Iterator[tuple[int, Song]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for when, (artist, title, album) in listens:
            out.write(json.dumps({"listened_at": when, "user_name": "bench", "track_metadata": {
                "artist_name": artist, "track_name": title, "release_name": album,
                "additional_info": {"duration_ms": 200_000}}}, ensure_ascii=False) + "\n")


def write_lastfm_csv(path: Path, listens: Iterator[tuple[int, Song]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["uts", "utc_time", "artist", "artist_mbid", "album", "album_mbid", "track", "track_mbid"])
        for when, (artist, title, album) in listens:
            writer.writerow([when, datetime.fromtimestamp(when, UTC).strftime("%d %b %Y, %H:%M"),
                             artist, "", album, "", title, ""])


def write_lastexport(path: Path, listens: Iterator[tuple[int, Song]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for when, (artist, title, album) in listens:
            out.write(f"{when}\t{title}\t{artist}\t{album}\t\t\t\n")


def write_lastfm1k(path: Path, listens: Iterator[tuple[int, Song]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for when, (artist, title, _album) in listens:
            out.write(f"user_000001\t{iso(when)}\t\t{artist}\t\t{title}\n")


def write_scrobbler(path: Path, listens: Iterator[tuple[int, Song]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("#AUDIOSCROBBLER/1.1\n#TZ/UTC\n#CLIENT/bench\n")
        for when, (artist, title, album) in listens:
            out.write(f"{artist}\t{album}\t{title}\t1\t200\tL\t{when}\t\n")


def ref_json(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for r in json.load(handle) if r["master_metadata_track_name"])


def ref_jsonl(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for line in handle if json.loads(line)["track_metadata"]["track_name"])


def ref_csv(delimiter: str, skip: int = 0) -> Callable[[Path], int]:
    def count(path: Path) -> int:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle, delimiter=delimiter, quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL)
            return sum(1 for i, r in enumerate(rows) if i >= skip and r[0])
    return count


FORMATS: list[tuple[str, Callable[[Path, Iterator[tuple[int, Song]]], None], Callable[[Path], int]]] = [
    ("spotify_extended", write_spotify, ref_json),
    ("listenbrainz", write_listenbrainz, ref_jsonl),
    ("lastfm_csv", write_lastfm_csv, ref_csv(",", 1)),
    ("lastexport", write_lastexport, ref_csv("\t")),
    ("lastfm1k", write_lastfm1k, ref_csv("\t")),
    ("scrobbler_log", write_scrobbler, ref_csv("\t", 3)),
]


def run_format(work: Path, library_db: Path, songs: list[Song], name: str,
               writer: Callable[[Path, Iterator[tuple[int, Song]]], None], reference: Callable[[Path], int],
               rows: int, newest_first: bool = False) -> None:
    export = work / f"{name}.export"
    listens = export_songs(songs, rows, seed=hash(name) & 0xFFFF)
    writer(export, reversed(list(listens)) if newest_first else listens)
    t0, c0 = time.perf_counter(), time.process_time()
    reference(export)
    ref_s, ref_cpu = time.perf_counter() - t0, time.process_time() - c0
    db_path = work / f"{name}.db"
    shutil.copyfile(library_db, db_path)
    db = open_database(db_path)
    t0, c0 = time.perf_counter(), time.process_time()
    report = import_files(db, [export], tz="UTC")
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    sessions, without = db.query("SELECT COUNT(DISTINCT session_id), SUM(session_id = 0) FROM listen")[0]
    db.close()
    assert report.rows_read == rows and report.imported == rows, report
    print(f"{name:17s} {rows:>9,} rows {export.stat().st_size / 2**20:6.1f} MiB | reference parse "
          f"{rows / ref_s:>9,.0f}/s | import {rows / took:>7,.0f} listens/s wall, "
          f"{rows / cpu:>7,.0f}/s per CPU-second | {took / ref_s:4.1f}x the reference's time "
          f"(CPU {cpu / ref_cpu:4.1f}x) | matched {report.matched_percent:4.1f}% | "
          f"{sessions:,} sessions, {without or 0:,} listens without one")
    export.unlink()
    db_path.unlink()


def big_run(work: Path, library_db: Path, songs: list[Song], rows: int) -> None:
    export = work / "big_spotify.json"
    t0 = time.perf_counter()
    write_spotify(export, export_songs(songs, rows, seed=99))
    print(f"\nwrote a {rows:,}-row Spotify export ({export.stat().st_size / 2**20:,.0f} MiB) "
          f"in {time.perf_counter() - t0:.0f} s")
    db_path = work / "big.db"
    shutil.copyfile(library_db, db_path)
    code = ("import sys, time, resource; sys.path.insert(0, sys.argv[3]);"
            "from player.db.connection import open_database;"
            "from player.history.import_service import import_files;"
            "t = time.perf_counter(); r = import_files(open_database(sys.argv[1]), [sys.argv[2]], tz='UTC');"
            "s = time.perf_counter() - t;"
            "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')];"
            "print(r.rows_read, r.imported, round(r.matched_percent, 1), round(s, 1),"
            " int(hwm[0]) // 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)")
    out = subprocess.run([sys.executable, "-c", code, str(db_path), str(export), str(ROOT)],
                         check=True, capture_output=True, text=True).stdout.split()
    read, imported, matched, seconds, peak_mb = out
    assert read == imported == str(rows), out  # every synthetic row is a new, plausible listen
    print(f"{rows:,}-row import: {int(read):,} read, {int(imported):,} imported, matched {matched}%, "
          f"{seconds} s ({int(read) / float(seconds):,.0f} listens/s), peak RSS {peak_mb} MB "
          f"(budget 300 MB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--big-rows", type=int, default=2_000_000, help="0 to skip the memory run")
    parser.add_argument("--formats", default="", help="comma-separated names; default: all")
    parser.add_argument("--newest-first", action="store_true",
                        help="write the exports newest first, as Last.fm's are (sessions and "
                             "repeats then come from the SQL pass after the rows, not the stream)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="encore-import-bench-"))
    try:
        songs = library_songs(args.tracks)
        library_db = work / "library.db"
        t0 = time.perf_counter()
        build_library(library_db, songs)
        print(f"library: {args.tracks:,} tracks built in {time.perf_counter() - t0:.1f} s\n")
        chosen = set(filter(None, args.formats.split(",")))
        for name, writer, reference in FORMATS:
            if not chosen or name in chosen:
                run_format(work, library_db, songs, name, writer, reference, args.rows,
                           args.newest_first)
        if args.big_rows:
            big_run(work, library_db, songs, args.big_rows)
        print(f"\nbenchmark process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
