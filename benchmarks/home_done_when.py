"""Issue 14's "done when", run for real with the `encore` command line:

fresh database; scan the librosa clips and the Debian soundtracks; then `encore mix --daily
--json` and `encore mix --now --json` at once (before any analysis), repeatedly while `encore
analyze` runs, and after it. Every run must succeed, no pick may be shorter than 30 s, and once
a track is analysed as not music (the librosa speech, bird, whale and dog clips) it is not picked.

    python benchmarks/home_done_when.py [--music DIR ...] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIBROSA = Path(__file__).resolve().parents[2] / "shared" / "data" / "audio" / "librosa"
DEBIAN = Path.home() / ".cache" / "encore-testdata" / "debian-music"
CONTROLS = ("198-209-0000", "3436-172162-0000", "5703-47212-0000", "456440__inspectorj__bird",
            "glacier-bay-humpback", "pibble")


def encore(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ENCORE_DB=str(db))
    return subprocess.run([sys.executable, "-m", "player", *args], env=env, capture_output=True,
                          text=True, check=False)


def check_mixes(db: Path, label: str) -> dict[str, object]:
    con = sqlite3.connect(db)
    duration = dict(con.execute("SELECT id, duration FROM track"))
    path = dict(con.execute("SELECT id, path FROM track"))
    not_music = {int(t) for (t,) in con.execute(
        "SELECT track_id FROM audio_features WHERE json_extract(features, '$.is_music') = 0")}
    analysed = con.execute("SELECT COUNT(*) FROM audio_features").fetchone()[0]
    con.close()
    out: dict[str, object] = {"when": label, "analysed": analysed}
    for which in ("--daily", "--now"):
        started = time.perf_counter()
        run = encore(db, "mix", which, "--json")
        seconds = round(time.perf_counter() - started, 2)
        if run.returncode != 0:
            out[which] = {"ok": False, "stderr": run.stderr[-500:]}
            continue
        picks = [t for m in json.loads(run.stdout)["mixes"] for t in m["tracks"]]
        short = [t["title"] for t in picks if duration[t["id"]] < 30]
        controls = [t["title"] for t in picks if any(c in Path(path[t["id"]]).name for c in CONTROLS)]
        analysed_controls = [t["title"] for t in picks if t["id"] in not_music]
        out[which] = {"ok": True, "picks": len(picks), "short": short, "seconds": seconds,
                      "controls": controls, "analysed_non_music": analysed_controls,
                      "reasons_missing": sum(1 for t in picks if not t["reason"])}
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--music", nargs="*", default=[str(LIBROSA), str(DEBIAN)])
    parser.add_argument("--workers", default="2")
    parser.add_argument("--every", type=float, default=60.0, help="seconds between checks")
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="encore-done-when-")) / "library.db"
    scan = encore(db, "scan", *args.music)
    print(scan.stdout.strip(), flush=True)
    results = [check_mixes(db, "before analysis")]
    print(json.dumps(results[-1]), flush=True)
    env = dict(os.environ, ENCORE_DB=str(db))
    analyse = subprocess.Popen([sys.executable, "-m", "player", "analyze", "--workers", args.workers],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while analyse.poll() is None:
        time.sleep(args.every)
        if analyse.poll() is None:
            results.append(check_mixes(db, "during analysis"))
            print(json.dumps(results[-1]), flush=True)
    results.append(check_mixes(db, "after analysis"))
    print(json.dumps(results[-1]), flush=True)
    bad = [r for r in results for w in ("--daily", "--now")
           if not r[w]["ok"] or r[w]["short"] or r[w]["analysed_non_music"]  # type: ignore[index]
           or r[w]["reasons_missing"]]  # type: ignore[index]
    last = results[-1]
    bad += [last] if any(last[w]["controls"] for w in ("--daily", "--now")) else []  # type: ignore[index]
    print("PASS" if not bad else f"FAIL: {len(bad)} checks")
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
