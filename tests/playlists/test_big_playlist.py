"""A playlist of hundreds of thousands of entries is shown and listed in bounded memory.

`playlist show` streams the entries from SQLite a page at a time (text and JSON alike) and
`playlist list` counts in SQL; each runs in its own interpreter here and its peak RSS is
compared with the same command over a 1,000-entry playlist. Holding 100,000 Track objects
cost 116 MB more (133 MB in JSON) (the issue measured 1-2.4 GB for a million).
"""

from __future__ import annotations

import json
from pathlib import Path

from player.cli import main
from player.db.connection import Database
from tests.playlists.helpers import big_playlist, peak_rss_mb

ROOT = str(Path(__file__).resolve().parents[2])


def test_show_and_list_of_a_huge_playlist_stay_small(db: Database) -> None:
    big_playlist(db, "Small", 1_000)
    big_playlist(db, "Huge", 100_000)
    base = ["--db", db.path, "playlist"]
    for argv in (["show", "Huge"], ["show", "Huge", "--json"], ["list"]):
        small = argv if argv == ["list"] else [argv[0], "Small", *argv[2:]]
        code_small, rss_small = peak_rss_mb(ROOT, base + small)
        code_big, rss_big = peak_rss_mb(ROOT, base + argv)
        assert code_small == code_big == 0
        assert rss_big < rss_small + 50, (argv, rss_small, rss_big)  # whole: +116 MB


def test_show_pages_and_streams_the_same_entries(db: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    big_playlist(db, "Loop", 2_500, tracks=7)
    assert main(["--db", db.path, "playlist", "show", "Loop", "--json"]) == 0
    whole = json.loads(capsys.readouterr().out)
    assert whole["tracks"] == len(whole["entries"]) == 2_500
    assert [e["position"] for e in whole["entries"]] == list(range(1, 2_501))
    assert [e["title"] for e in whole["entries"][:8]] == [
        *(f"Song number {n}" for n in range(7)), "Song number 0"]
    assert main(["--db", db.path, "playlist", "show", "Loop", "--json", "--offset", "1000",
                 "--limit", "3"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert page["entries"] == whole["entries"][1000:1003]
    assert main(["--db", db.path, "playlist", "show", "Loop", "--offset", "2498"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Loop (user): 2500 tracks")
    assert lines[2].split()[:2] == ["2499", str(whole["entries"][2498]["id"])]
    assert lines[-1] == "(entries 2,499-2,500 of 2,500; --offset and --limit show others)"
    assert len(lines) == 5  # title, header, two entries, the range
    assert main(["--db", db.path, "playlist", "show", "Loop", "--json", "--offset", "9999"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == []
