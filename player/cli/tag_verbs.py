"""`encore tag TRACK... --set FIELD=VALUE`: edit tags safely; `encore tag --undo`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from player.cli.common import add_json_flag, database
from player.cli.output import print_json
from player.core.errors import KnownError
from player.core.paths import display

EXAMPLES = """examples:
  encore tag 42 --set artist="Nina Simone" --set year=1965
  encore tag ~/Music/a.flac ~/Music/b.flac --set album="Live" --set genre="Jazz; Soul"
  encore tag 42                      # show the track's editable tags
  encore tag --undo                  # put back what the last edit replaced

fields: title, artist, album, albumartist, genre, year, tracknumber, discnumber
("A; B" gives two artists or genres; an empty value removes the field).
exit status: 0 all edited, 1 some files could not be edited (each is named), 2 usage error."""


def register(subparsers: Any) -> None:
    tag = subparsers.add_parser(
        "tag", help="edit tracks' tags (title, artist, album, year...) in their files",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    tag.add_argument("tracks", nargs="*", metavar="TRACK",
                     help='a track id, a file path in the library, or "artist - title"')
    tag.add_argument("--set", dest="changes", action="append", default=[], metavar="FIELD=VALUE",
                     help="a field to write (repeat for several)")
    tag.add_argument("--undo", action="store_true", help="undo the last tag edit")
    add_json_flag(tag)
    tag.set_defaults(func=cmd_tag)


def _parse_changes(items: list[str]) -> dict[str, str]:
    from player.library.tag_editing import FIELDS

    aliases = {"album_artist": "albumartist", "album artist": "albumartist", "track": "tracknumber",
               "disc": "discnumber", "date": "year"}
    changes: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = aliases.get(name.strip().lower(), name.strip().lower())
        if not sep or name not in FIELDS:
            raise KnownError(f"--set {item!r}: expected FIELD=VALUE with FIELD one of "
                             f"{', '.join(FIELDS)}")
        changes[name] = value
    return changes


def cmd_tag(args: argparse.Namespace) -> int:
    from player.cli.analysis_verbs import resolve_track
    from player.library.tag_editing import FIELDS, TagEditingService

    db = database(args)
    service = TagEditingService(db)
    if args.undo:
        if args.tracks or args.changes:
            raise KnownError("--undo takes no tracks and no --set")
        if not service.can_undo():
            raise KnownError("There is no tag edit to undo.")
        return _report(args, service.undo(_progress(args)), "undone")
    if not args.tracks:
        raise KnownError("Name at least one TRACK.", "See `encore tag --help` for examples.")
    changes = _parse_changes(args.changes)
    tracks = [resolve_track(db, text) for text in args.tracks]
    if not changes:
        values, problems = service.values([t.id for t in tracks])
        if args.json:
            print_json({"tracks": [t.id for t in tracks], "values": values, "problems": problems})
        else:
            for name in FIELDS:
                value = values.get(name)
                print(f"{name:12s} {'(various)' if value is None else value}")
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
        return 1 if problems else 0
    return _report(args, service.edit([t.id for t in tracks], changes, _progress(args)), "edited")


def _progress(args: argparse.Namespace) -> Any:
    from player.cli.progress import progress_bar

    return progress_bar("tagging", enabled=not args.json)


def _report(args: argparse.Namespace, report: Any, verb: str) -> int:
    if args.json:
        print_json({verb: report.edited, "failed": [
            {"id": i, "path": display(p), "reason": r} for i, p, r in report.failed]})
    else:
        print(f"{len(report.edited)} track{'s' if len(report.edited) != 1 else ''} {verb}"
              + (f", {len(report.failed)} not {verb}:" if report.failed else ""))
        for _, path, reason in report.failed:
            print(f"  {display(path) or '?'}: {reason}")
    return 1 if report.failed else 0
