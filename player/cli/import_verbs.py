"""`encore import FILE_OR_ZIP...`: bring listening history from Spotify, Last.fm, ListenBrainz."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from player.cli.common import add_json_flag, database
from player.cli.output import print_json
from player.cli.progress import progress_bar
from player.history.import_service import (
    ImportProgress,
    import_files,
    rematch_external,
    report_lines,
)
from player.history.importers import FORMATS


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import", help="import listening history (Spotify, Last.fm, ListenBrainz, .scrobbler.log)")
    parser.add_argument("paths", nargs="*", metavar="FILE_OR_ZIP", help="export files or zips")
    parser.add_argument("--format", default="auto", choices=["auto", *FORMATS],
                        help="the export's format (default: recognised from the content)")
    parser.add_argument("--tz", default=None, metavar="ZONE",
                        help="the time zone you lived in, e.g. Europe/Paris (default: this computer's)")
    parser.add_argument("--rematch", action="store_true",
                        help="match earlier imported listens against the library again")
    add_json_flag(parser)
    parser.set_defaults(func=cmd_import)


def _progress(enabled: bool) -> Any:
    bar = progress_bar("importing", enabled, unit="export file")
    if bar is None:
        return None

    def show(progress: ImportProgress) -> None:
        if progress.to_write:  # every row read: now adding them to the history
            bar(progress.files, progress.files,
                f"adding {progress.written:,} of {progress.to_write:,} rows to the history")
        else:
            bar(progress.file_index - 1, progress.files, f"{progress.rows:,} rows")

    return show


def cmd_import(args: argparse.Namespace) -> int:
    db = database(args)
    if not args.paths and not args.rematch:
        print("encore import: give one or more export files or zips (or --rematch)", file=sys.stderr)
        return 2
    linked = rematch_external(db, full=True) if args.rematch else 0
    if not args.paths:
        print_json({"rematched": linked}) if args.json else print(f"Re-matched {linked:,} tracks")
        return 0
    report = import_files(db, args.paths, format=args.format, tz=args.tz,
                          progress=_progress(not args.json))
    if args.json:
        print_json(report.to_dict())
        return 0
    for line in report_lines(report):
        print(line)
    return 0
