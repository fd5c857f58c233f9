"""Shared builders for playlist tests: listens and tracks written straight into SQLite."""

from __future__ import annotations

from player.db.connection import Database
from player.db.tracks import ScannedFile, TrackRepository
from tests.factories import make_tags

DAY = 86400.0
NOW = 1_800_000_000.0


def add_listens(db: Database, track_id: int, plays: int = 0, skips: int = 0,
                days_ago: float = 1.0) -> None:
    rows = [(track_id, NOW - days_ago * DAY - i, 1, 0) for i in range(plays)]
    rows += [(track_id, NOW - days_ago * DAY - 1000 - i, 0, 1) for i in range(skips)]
    db.executemany("INSERT INTO listen (track_id, started_at, is_play, is_skip) VALUES (?, ?, ?, ?)",
                   rows)


def add_named(db: Database, specs: list[tuple[str, str, str, str]]) -> dict[str, int]:
    """(path, artist, title, genre) -> {title: id}."""
    repo = TrackRepository(db)
    files = [ScannedFile(path, 1, 1.0, f"fp-{n}",
                         make_tags(title=title, artists=(artist,), genres=tuple(genre.split("; ")) if genre else ()))
             for n, (path, artist, title, genre) in enumerate(specs)]
    repo.write_scanned(files, {})
    return {t.title: t.id for t in repo.all()}


def big_playlist(db: Database, name: str, entries: int, tracks: int = 1000) -> int:
    """A user playlist of `entries` entries cycling over `tracks` library tracks (SQL only:
    a million entries in seconds). Returns its id."""
    from player.db.playlists import PlaylistRepository

    have = int(db.scalar("SELECT COUNT(*) FROM track"))
    if have < tracks:
        add_named(db, [(f"/big/{n:06d}.mp3", f"Artist {n % 97}", f"Song number {n}", "")
                       for n in range(have, tracks)])
    playlist = PlaylistRepository(db).create(name)
    ids = [int(r[0]) for r in db.query("SELECT id FROM track ORDER BY id LIMIT ?", (tracks,))]
    db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?) "
        "INSERT INTO playlist_entry (playlist_id, position, track_id) "
        "SELECT ?, i, ? + (i % ?) FROM n", (entries, playlist.id, ids[0], len(ids)))
    return playlist.id


# Runs `encore` in a fresh interpreter, its output thrown away, and prints its peak RSS in MB
# (VmHWM) on stderr's last line: what a command costs in memory, alone.
PEAK_RSS_CHILD = """
import os, sys
sys.path.insert(0, {root!r})
sys.stdout = open(os.devnull, "w", encoding="utf-8")
from player.cli import main
code = main({argv!r})
for line in open("/proc/self/status"):
    if line.startswith("VmHWM"):
        print(code, int(line.split()[1]) // 1024, file=sys.stderr)
"""


def peak_rss_mb(root: str, argv: list[str]) -> tuple[int, int]:
    """(exit status, peak RSS in MB) of `encore *argv` run alone."""
    import subprocess
    import sys

    err = subprocess.run([sys.executable, "-c", PEAK_RSS_CHILD.format(root=root, argv=argv)],
                         capture_output=True, text=True, check=True).stderr
    code, megabytes = err.strip().splitlines()[-1].split()
    return int(code), int(megabytes)
