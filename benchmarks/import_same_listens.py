"""The cost of matching one account's two Spotify exports (issue 15/18: not doubled).

    .venv/bin/python benchmarks/import_same_listens.py [--rows 100000]

Made-up listens of one account written twice, as Spotify gives them: account data
(StreamingHistory0.json: end minute, msPlayed) and extended history (end second,
ms_played, reason_end) holding the same listens plus 10% more. Reference, same run: the
extended history imported into an empty database. Measured: the same file imported after the
account data, where every new listen is compared with the ones already there
(ImportRepository.drop_same_listens). Checks that nothing is doubled and nothing is lost.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from player.db.connection import open_database  # noqa: E402
from player.history.import_service import import_files  # noqa: E402

START = 1_577_836_800  # 2020-01-01T00:00:00Z


def write_exports(folder: Path, rows: int, seed: int = 0) -> tuple[Path, Path, int]:
    """(account data, extended history, listens in the extended file)."""
    rng = random.Random(seed)
    songs = [(f"Artist {i % 700}", f"Song {i}") for i in range(5000)]
    account, extended = [], []
    end = START
    for i in range(int(rows * 1.1)):
        artist, title = songs[rng.randrange(len(songs))]
        ms = rng.choice((rng.randrange(0, 30_000), rng.randrange(30_000, 400_000)))
        end += ms // 1000 + rng.randrange(1, 20)
        reason = "fwdbtn" if ms < 30_000 else "trackdone"
        extended.append({"ts": datetime.fromtimestamp(end, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                         "username": "me", "ms_played": ms, "master_metadata_track_name": title,
                         "master_metadata_album_artist_name": artist,
                         "master_metadata_album_album_name": "Album", "reason_end": reason})
        if i < rows:  # the account data holds the first rows only
            account.append({"endTime": datetime.fromtimestamp(end, UTC).strftime("%Y-%m-%d %H:%M"),
                            "artistName": artist, "trackName": title, "msPlayed": ms})
    a, e = folder / "StreamingHistory0.json", folder / "Streaming_History_Audio_2020.json"
    a.write_text(json.dumps(account), encoding="utf-8")
    e.write_text(json.dumps(extended), encoding="utf-8")
    return a, e, len(extended)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        account, extended, total = write_exports(folder, args.rows)
        alone = open_database(folder / "alone.db")
        started = time.perf_counter()
        reference = import_files(alone, [extended])
        reference_s = time.perf_counter() - started
        alone.close()
        both = open_database(folder / "both.db")
        import_files(both, [account])
        started = time.perf_counter()
        report = import_files(both, [extended])
        measured_s = time.perf_counter() - started
        listens = int(both.scalar("SELECT COUNT(*) FROM listen"))
        both.close()
    assert reference.imported == total, (reference.imported, total)
    assert listens == total, (listens, total)  # nothing doubled, nothing lost
    print(f"extended history, {total:,} listens, into an empty database: {reference_s:.2f} s "
          f"({total / reference_s:,.0f} listens/s)")
    print(f"the same after the account data ({args.rows:,} of them already there): "
          f"{measured_s:.2f} s, {measured_s / reference_s:.2f}x the reference; "
          f"{report.from_other_exports:,} found already there, {report.imported:,} added, "
          f"{listens:,} listens in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
