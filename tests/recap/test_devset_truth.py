"""A real Spotify account-data export (the dev set, never committed): every row is kept, and
`encore recap YEAR --json` agrees within 1% with a plain count over the raw files.

Skips when ~/.cache/encore-devset is absent (CI machines have no dev set).
"""

from __future__ import annotations

import calendar
import json
import time
from collections import Counter
from pathlib import Path

import pytest

from player.cli import main
from player.history.import_service import import_files
from tests.factories import make_db

OWNER, YEAR = "MarieGoldschmidt", 2021  # a Spotify account-data year, 2020-12..2021-12
FOLDER = Path.home() / ".cache" / "encore-devset" / OWNER

pytestmark = pytest.mark.skipif(not FOLDER.is_dir(), reason="the dev set is not on this machine")


def raw_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for path in sorted(FOLDER.glob("*StreamingHistory*.json")):
        rows += json.loads(path.read_text(encoding="utf-8"))
    return rows


def independent_year(rows: list[dict[str, object]], year: int) -> dict[str, object]:
    """Plain Python over the raw rows (UTC): a listen is in the year its start (endTime minus
    msPlayed) is; a play is >= 30 s heard, a skip < 30 s (PRODUCT.md, length unknown)."""
    minutes = 0.0
    plays = skips = 0
    artists: Counter[str] = Counter()
    tracks: Counter[tuple[str, str]] = Counter()
    for row in rows:
        ended = calendar.timegm(time.strptime(str(row["endTime"]), "%Y-%m-%d %H:%M"))
        ms = int(str(row["msPlayed"]))
        if time.gmtime(ended - ms / 1000).tm_year != year:
            continue
        minutes += ms / 60_000
        if ms >= 30_000:
            plays += 1
            artists[str(row["artistName"]).casefold()] += 1
            tracks[(str(row["trackName"]).casefold(), str(row["artistName"]).casefold())] += 1
        else:
            skips += 1
    return {"minutes": minutes, "plays": plays, "skips": skips,
            "top_artist": artists.most_common(1)[0], "top_track": tracks.most_common(1)[0]}


def test_every_row_imported_and_the_recap_matches_a_plain_count(tmp_path: Path, capsys) -> None:
    rows = raw_rows()
    distinct = {(r["endTime"], str(r["artistName"]).casefold(), str(r["trackName"]).casefold(),
                 r["msPlayed"]) for r in rows}
    db = make_db(tmp_path)
    try:
        files = sorted(FOLDER.glob("*StreamingHistory*.json"))
        report = import_files(db, files, tz="UTC")
        assert report.imported == len(distinct) and report.rejected == 0
        assert import_files(db, files, tz="UTC").imported == 0  # a re-import adds nothing
    finally:
        db.close()
    assert main(["--db", str(tmp_path / "encore.db"), "recap", str(YEAR), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    want = independent_year(rows, YEAR)
    assert got["minutes"] == pytest.approx(want["minutes"], rel=0.01)
    assert got["plays"] == pytest.approx(want["plays"], rel=0.01)
    assert got["skips"] == pytest.approx(want["skips"], rel=0.01)
    assert got["skips"] > 1000  # thousands of short rows: never "0 skips"
    artist, artist_plays = want["top_artist"]  # type: ignore[misc]
    (title, by), title_plays = want["top_track"]  # type: ignore[misc]
    assert (got["top_artist"].casefold(), got["top_artist_plays"]) == (artist, artist_plays)
    assert (got["top_track"].casefold(), got["top_track_artist"].casefold()) == (title, by)
    assert got["top_track_plays"] == title_plays
