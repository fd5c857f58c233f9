"""Library verbs: scan, library, tracks, scan-issues."""

from __future__ import annotations

import argparse
from typing import Any

from player.cli.common import add_json_flag, database, whole_number
from player.cli.output import format_duration, print_json, print_table
from player.cli.progress import progress_bar
from player.core.models import ScanProgress
from player.core.paths import display
from player.db.scan_issues import ScanIssueRepository
from player.db.settings import SettingsRepository
from player.db.tracks import TrackRepository
from player.resources import default_music_folders, demo_music_dir
from player.services.library import LibraryService


def register(subparsers: Any) -> None:
    scan = subparsers.add_parser("scan", help="scan music folders into the library")
    scan.add_argument("paths", nargs="*", metavar="PATH",
                      help="folders to scan (default: the library's folders, else the Music folder)")
    scan.add_argument("--workers", type=whole_number(1, 256), default=None, help="tag-reading processes")
    add_json_flag(scan)
    scan.set_defaults(func=cmd_scan)

    library = subparsers.add_parser("library", help="counts by format, duration, missing files")
    add_json_flag(library)
    library.set_defaults(func=cmd_library)

    tracks = subparsers.add_parser("tracks", help="list tracks")
    tracks.add_argument("--search", default="", metavar="TEXT",
                        help="words to find in title, artist, album or genre")
    tracks.add_argument("--limit", type=whole_number(0, 10_000_000), default=None, metavar="N")
    add_json_flag(tracks)
    tracks.set_defaults(func=cmd_tracks)

    issues = subparsers.add_parser("scan-issues", help="files the scanner could not read, and why")
    add_json_flag(issues)
    issues.set_defaults(func=cmd_scan_issues)


def _progress_printer(enabled: bool) -> Any:
    bar = progress_bar("scanning", enabled)
    if bar is None:
        return None

    def show(progress: ScanProgress) -> None:
        bar(progress.done, progress.total)

    return show


def cmd_scan(args: argparse.Namespace) -> int:
    db = database(args)
    folders = list(args.paths)
    if args.demo:
        folders.append(str(demo_music_dir()))
    if not folders:
        folders = SettingsRepository(db).folders() or default_music_folders()
    library = LibraryService(db)
    scanner = library.scanner(_progress_printer(not args.json), workers=args.workers)
    report, linked = library.scan(folders, scanner)
    if args.json:
        print_json({"folders": folders, **_report_dict(report), "linked_imports": linked})
        return 1 if report.issues else 0
    print(f"Scanned {', '.join(display(f) for f in folders)}")
    print(f"  {report.seen} audio files: {report.added} added, {report.updated} updated, "
          f"{report.unchanged} unchanged, {report.moved} moved, {report.missing} now missing")
    if report.issues:
        print(f"  {report.issues} could not be read: see `encore scan-issues`")
    if linked:
        print(f"  {linked} imported tracks are now linked to library files")
    print(f"  {report.seconds:.2f} s")
    return 1 if report.issues else 0


def _report_dict(report: Any) -> dict[str, Any]:
    return {k: getattr(report, k) for k in report.__slots__}


def cmd_library(args: argparse.Namespace) -> int:
    stats = TrackRepository(database(args)).stats()
    if args.json:
        print_json(stats)
        return 0
    print(f"{stats.tracks} tracks, {format_duration(stats.total_duration)} in all")
    for codec, count in stats.by_format.items():
        print(f"  {codec or 'unknown'}: {count}")
    print(f"{stats.missing} missing files (their history is kept)")
    print(f"{stats.scan_issues} scan issues")
    for folder in stats.folders:
        print(f"folder: {display(folder)}")
    return 0


def cmd_tracks(args: argparse.Namespace) -> int:
    tracks = TrackRepository(database(args)).search(args.search, args.limit)
    if args.json:
        print_json([dict(_track_dict(t)) for t in tracks])
        return 0
    print_table(["id", "artist", "title", "album", "genre", "length"],
                [(t.id, t.artist, t.title, t.album, t.genre, format_duration(t.duration))
                 for t in tracks])
    return 0


def _track_dict(track: Any) -> dict[str, Any]:
    values = {k: getattr(track, k) for k in track.__slots__}
    values["path"] = display(values["path"])
    return values


def cmd_scan_issues(args: argparse.Namespace) -> int:
    issues = ScanIssueRepository(database(args)).all()
    if args.json:
        print_json([{"path": display(i.path), "kind": i.kind, "reason": i.reason} for i in issues])
        return 0
    if not issues:
        print("No scan issues.")
        return 0
    print_table(["kind", "reason", "path"], [(i.kind, i.reason, display(i.path)) for i in issues],
                max_width=120)
    return 0
