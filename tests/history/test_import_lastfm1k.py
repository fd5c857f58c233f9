"""The Last.fm-1K research TSV: the real shared file and broken variants."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from player.history.importers import (
    ImportedListen,
    Rejected,
    detect_format,
    read_listens,
    read_rows,
)

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "listens" / "lastfm1k-user_000001.tsv"


def test_real_file_every_row_is_a_listen_with_user_ids() -> None:
    assert detect_format(SHARED) == "lastfm1k"
    rows = list(read_rows(SHARED, tz="Asia/Tokyo"))
    assert len(rows) == 5000
    assert all(isinstance(r, ImportedListen) for r in rows)
    users = Counter(r.user for r in rows if isinstance(r, ImportedListen))
    assert users == {"user_000001": 4997, "user_000002": 3}
    first = rows[0]
    assert isinstance(first, ImportedListen)
    assert first.artist == "Deep Dish" and first.ms_played is None and first.origin == "lastfm"
    assert first.started_at == 1241478537.0  # 2009-05-04T23:08:57Z
    assert first.utc_offset_min == 540  # Japan, UTC+9
    with_mbid = [r for r in rows if isinstance(r, ImportedListen) and r.mbid]
    assert with_mbid and len(with_mbid[0].mbid) == 36
    assert len({r.origin_key for r in rows if isinstance(r, ImportedListen)}) >= 4990


def test_bad_rows_are_rejected_with_reasons(tmp_path: Path) -> None:
    path = tmp_path / "listens.tsv"
    path.write_text(
        "user_1\t2009-05-04T23:08:57Z\t\tArtist\t\tTitle\n"
        "user_1\t1970-01-01T00:00:10Z\t\tArtist\t\tOld\n"
        "user_1\t2999-01-01T00:00:00Z\t\tArtist\t\tFuture\n"
        "user_1\t2009-05-04T23:08:57Z\t\t\t\t\n"
        "user_1\tnot a time\t\tArtist\t\tTitle\n"
        "user_1\t2009-05-04T23:08:57Z\tArtist\n",
        encoding="utf-8",
    )
    rows = list(read_rows(path, format="lastfm1k"))
    reasons = [r.reason for r in rows if isinstance(r, Rejected)]
    assert len(rows) == 6 and len(reasons) == 5
    assert any("before 2000" in r for r in reasons)
    assert any("future" in r for r in reasons)
    assert any("no artist or title" in r for r in reasons)
    assert any("unreadable timestamp" in r for r in reasons)
    assert any("6 tab-separated fields" in r for r in reasons)
    assert [listen.title for listen in read_listens(path)] == ["Title"]
