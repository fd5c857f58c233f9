"""Every distinct row of the dev set's Spotify account exports is imported, and a re-import
adds nothing (issue 15). Reads ~/.cache/encore-devset (never committed); prints one line each.

    .venv/bin/python benchmarks/devset_import_check.py [OWNER ...]   (default: every one)

Counted with plain json: rows, distinct (endTime, artist, track, msPlayed) rows (one listen
each, PRODUCT.md), and distinct (endTime, artist, track) rows (what a key without msPlayed
keeps: the difference was lost before issue 15).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from player.db.connection import open_database  # noqa: E402
from player.history.import_service import import_files  # noqa: E402

ROOT = Path.home() / ".cache" / "encore-devset"


def check(owner: str, work: Path) -> str:
    folder = ROOT / owner
    files = sorted(folder.glob("*.json"))
    rows = [r for f in files for r in json.loads(f.read_text(encoding="utf-8"))]
    music = [r for r in rows if "trackName" in r and "episodeName" not in r]
    fold = [(r["endTime"], str(r["artistName"]).casefold(), str(r["trackName"]).casefold(),
             r["msPlayed"]) for r in music]
    distinct, old_key = len(set(fold)), len({f[:3] for f in fold})
    db = open_database(work / f"{owner}.db")
    try:
        first = import_files(db, files, tz="UTC")
        again = import_files(db, files, tz="UTC")
        stored = int(db.scalar("SELECT COUNT(*) FROM listen"))
    finally:
        db.close()
    ok = first.imported == distinct == stored and again.imported == 0
    return (f"{owner}: rows {len(rows):,}, distinct {distinct:,} -> imported {first.imported:,} "
            f"(twice in the files {first.twice_in_files:,}, rejected {first.rejected:,}), "
            f"re-import adds {again.imported:,}; a key without msPlayed keeps {old_key:,} "
            f"({distinct - old_key:,} lost); {first.seconds:.1f} s {'OK' if ok else 'MISMATCH'}")


def main() -> int:
    if not ROOT.is_dir():
        print(f"no dev set at {ROOT}")
        return 0
    owners = sys.argv[1:] or sorted(p.name for p in ROOT.iterdir() if p.is_dir())
    with tempfile.TemporaryDirectory() as tmp:
        for owner in owners:
            if (ROOT / owner / "FORMAT").read_text().strip() == "spotify_account":
                print(check(owner, Path(tmp)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
