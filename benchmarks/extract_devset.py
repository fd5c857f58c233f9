"""Copy the dev-set exports listed in ../shared/data/listens/DEVSET.tsv out of fetched git
snapshots into a git-ignored cache (default ~/.cache/encore-devset/<owner>/).

The exports are other people's data with no licence to redistribute: never commit them.
Usage: python benchmarks/extract_devset.py [--mirror /work/.mirror] [--dest DIR]
A repository is looked for as <mirror>/<owner>+<name>/repo (what the search tool's fetch makes).
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT.parent / "shared" / "data" / "listens" / "DEVSET.tsv"


def expand_braces(pattern: str) -> list[str]:
    """'a{0,1}.json' -> ['a0.json', 'a1.json'] (one level, several groups)."""
    match = re.search(r"\{([^{}]*)\}", pattern)
    if not match:
        return [pattern]
    head, tail = pattern[: match.start()], pattern[match.end() :]
    return [p for part in match.group(1).split(",") for p in expand_braces(head + part + tail)]


def devset_rows(path: Path = DEVSET) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--dest", type=Path, default=Path.home() / ".cache" / "encore-devset")
    args = parser.parse_args(argv)
    missing = 0
    for row in devset_rows():
        owner, name = row["repo"].split("/")
        git_dir = args.mirror / f"{owner}+{name}" / "repo"
        out = args.dest / owner
        out.mkdir(parents=True, exist_ok=True)
        for group in row["files"].split(" + "):
            for file in expand_braces(group.strip()):
                target = out / file.replace("/", "__")
                if target.exists():
                    continue
                done = subprocess.run(
                    ["git", f"--git-dir={git_dir}", "show", f"{row['commit']}:{file}"],
                    capture_output=True,
                )
                if done.returncode != 0:
                    print(f"missing: {row['repo']} {file}", file=sys.stderr)
                    missing += 1
                    continue
                target.write_bytes(done.stdout)
        (out / "FORMAT").write_text(row["format"] + "\n")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
