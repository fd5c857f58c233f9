"""Playlist budgets: importing a 10,000-entry M3U8 against a 100,000-track library (< 2 s), and
smart playlists over 100,000 tracks and 1,000,000 listens (< 300 ms each).

    .venv/bin/python benchmarks/playlists.py [--tracks 100000] [--listens 1000000] [--entries 10000]

References measured in the same run: for the import, a plain sqlite3 loop looking up every
entry's path (what any importer must at least do); for smart playlists, the bare
`SELECT track_id, count(*) FROM listen GROUP BY track_id` aggregate.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from player.db.connection import Database, open_database  # noqa: E402
from player.db.playlists import PlaylistRepository  # noqa: E402
from player.playlists.files import import_playlist_file  # noqa: E402
from player.playlists.rules import READY_MADE, Condition, RuleGroup, SmartRules  # noqa: E402

GENRES = ["Jazz", "Rock", "Classical", "Electronic", "Hip-Hop", "Folk", "Ambient", "Pop"]
DAY = 86400.0


def build(db: Database, tracks: int, listens: int, now: float) -> None:
    rng = random.Random(3)
    rows = [(i + 1, f"/music/Artist {i // 120:04d}/Album {i // 12:05d}/{i % 12 + 1:02d} Song {i}.flac",
             f"Song {i}", f"Artist {i // 120:04d}", f"Album {i // 12:05d}", GENRES[i % 8],
             180.0 + i % 120, now - rng.uniform(0, 3 * 365) * DAY) for i in range(tracks)]
    db.executemany("INSERT INTO track (id, path, title, artist, album, genre, duration, added_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany("INSERT INTO genre (id, name) VALUES (?, ?)", list(enumerate(GENRES, 1)))
    db.executemany("INSERT INTO track_genre (track_id, genre_id) VALUES (?, ?)",
                   [(i + 1, i % 8 + 1) for i in range(tracks)])
    weights = [1.0 / (1 + i) ** 0.8 for i in range(tracks)]  # a few favourites, a long tail
    picks = rng.choices(range(1, tracks + 1), weights=weights, k=listens)
    listen_rows = []
    for n, track_id in enumerate(picks):
        skip = rng.random() < 0.15
        listen_rows.append((track_id, now - (listens - n) * (2 * 365 * DAY / listens), int(not skip), int(skip)))
    db.executemany("INSERT INTO listen (track_id, started_at, is_play, is_skip) VALUES (?, ?, ?, ?)",
                   listen_rows)
    db.executemany("INSERT INTO track_feedback (track_id, liked, banned, updated_at) VALUES (?, 1, 0, ?)",
                   [(t, now) for t in rng.sample(range(1, tracks + 1), tracks // 50)])
    db.execute("ANALYZE")


def write_m3u8(path: Path, tracks: int, entries: int) -> list[str]:
    """70% exact paths, 20% from another root (moved), 10% renamed (only tags match)."""
    rng = random.Random(5)
    lines, wanted = ["#EXTM3U"], []
    for n in range(entries):
        i = rng.randrange(tracks)
        where = f"/Artist {i // 120:04d}/Album {i // 12:05d}/{i % 12 + 1:02d} Song {i}.flac"
        kind = n % 10
        location = ("/music" + where if kind < 7 else "D:\\old" + where.replace("/", "\\") if kind < 9
                    else f"/gone/renamed {i}.flac")
        lines += [f"#EXTINF:200,Artist {i // 120:04d} - Song {i}", location]
        wanted.append("/music" + where)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return wanted


def best_of(runs: int, func) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--listens", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    now = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.db")
        start = time.perf_counter()
        build(db, args.tracks, args.listens, now)
        print(f"built {args.tracks} tracks, {args.listens} listens in {time.perf_counter() - start:.1f} s")

        m3u = Path(tmp) / "big.m3u8"
        wanted = write_m3u8(m3u, args.tracks, args.entries)
        raw = sqlite3.connect(db.path)
        reference = best_of(3, lambda: [raw.execute("SELECT id FROM track WHERE path = ?", (p,)).fetchone()
                                        for p in wanted])
        reports = []
        elapsed = best_of(3, lambda: reports.append(import_playlist_file(db, m3u)))
        report = reports[-1]
        print(f"import {args.entries}-entry M3U8: {elapsed * 1000:.0f} ms (budget 2000 ms); "
              f"{report.resolved} resolved ({report.by_path} path, {report.by_moved_path} moved, "
              f"{report.by_tags} tags), {len(report.unresolved)} unresolved")
        print(f"  reference (plain sqlite3 path lookups): {reference * 1000:.0f} ms; "
              f"ratio {elapsed / reference:.1f}x")

        agg = best_of(3, lambda: raw.execute(
            "SELECT track_id, count(*) FROM listen GROUP BY track_id").fetchall())
        print(f"smart playlists over {args.tracks} tracks / {args.listens} listens (budget 300 ms); "
              f"reference bare GROUP BY: {agg * 1000:.0f} ms")
        repo = PlaylistRepository(db)
        jazz = SmartRules(RuleGroup("all", (Condition("genre", "contains", "jazz"),
                                            Condition("play_count", ">", 0),
                                            Condition("skip_rate", "<", 0.2))),
                          sort="play_count", descending=True, limit=25, history_days=90)
        cases = {"25 most played jazz, 90 days, <20% skips": jazz, **READY_MADE}
        for name, rules in cases.items():
            query = rules.to_dict()
            took = best_of(5, lambda q=query: repo.evaluate_rules(q, now))
            count = len(repo.evaluate_rules(query, now))
            print(f"  {name:45s} {took * 1000:6.0f} ms  ({count} tracks; "
                  f"ratio {took / agg:.2f}x)")
        raw.close()
        db.close()


if __name__ == "__main__":
    main()
