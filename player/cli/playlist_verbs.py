"""Playlist verbs: `encore playlist list|show|create|add|remove|move|sort|rename|duplicate|
delete|restore|export|import|smart ...`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from player.cli.common import add_json_flag, database, real_number, whole_number
from player.cli.output import (
    format_duration,
    print_json,
    print_json_streaming,
    print_table,
    print_table_streaming,
)
from player.core.errors import KnownError
from player.core.paths import display
from player.core.smart_vocabulary import SORT_KEYS as SMART_SORTS
from player.db.connection import Database
from player.db.playlists import SORT_KEYS, Playlist, PlaylistRepository
from player.db.smart_sql import MAX_LIMIT
from player.playlists.defaults import ensure_default_playlists
from player.playlists.files import FORMATS, export_playlist, import_playlist_file
from player.playlists.rules import RuleGroup, SmartRules, describe, parse_condition, rules_from_json


def register(subparsers: Any) -> None:
    top = subparsers.add_parser("playlist", help="playlists: your own, smart ones, playlist files")
    verbs = top.add_subparsers(dest="playlist_verb", metavar="ACTION", required=True)

    def verb(name: str, func: Any, help_text: str, target: bool = True) -> argparse.ArgumentParser:
        parser = verbs.add_parser(name, help=help_text)
        if target:
            parser.add_argument("playlist", metavar="PLAYLIST", help="playlist id or name")
        add_json_flag(parser)
        parser.set_defaults(func=func)
        return parser

    verb("list", cmd_list, "all playlists with their track counts and lengths", target=False)
    show = verb("show", cmd_show, "a playlist's tracks (streamed: any length)")
    show.add_argument("--offset", type=whole_number(0, 10**12), default=0, metavar="N",
                      help="skip the first N entries")
    show.add_argument("--limit", type=whole_number(0, 10**12), default=None, metavar="N",
                      help="show at most N entries")
    create = verb("create", cmd_create, "a new, empty playlist", target=False)
    create.add_argument("name", metavar="NAME")
    add = verb("add", cmd_add, "add tracks (by id, or all tracks matching --search)")
    add.add_argument("track_ids", nargs="*", type=int, metavar="TRACK_ID")
    add.add_argument("--search", metavar="TEXT", help="add every track matching these words")
    add.add_argument("--at", type=int, metavar="N", help="insert before entry N (1-based)")
    remove = verb("remove", cmd_remove, "remove entries by number (1-based, see `show`)")
    remove.add_argument("positions", nargs="+", type=int, metavar="N")
    move = verb("move", cmd_move, "move entry N to position M (1-based)")
    move.add_argument("source", type=int, metavar="N")
    move.add_argument("destination", type=int, metavar="M")
    sort = verb("sort", cmd_sort, "sort a playlist's entries")
    sort.add_argument("key", choices=sorted(SORT_KEYS))
    sort.add_argument("--desc", action="store_true", help="descending")
    rename = verb("rename", cmd_rename, "rename a playlist")
    rename.add_argument("name", metavar="NEW_NAME")
    duplicate = verb("duplicate", cmd_duplicate, "copy a playlist")
    duplicate.add_argument("name", nargs="?", metavar="NEW_NAME")
    verb("delete", cmd_delete, "delete a playlist (undo with `restore`)")
    verb("restore", cmd_restore, "bring back a deleted playlist")
    export = verb("export", cmd_export, "write a playlist to an M3U/M3U8/PLS/XSPF file")
    export.add_argument("file", metavar="FILE", help="format from the extension (or --format)")
    export.add_argument("--format", choices=FORMATS)
    export.add_argument("--relative-to", metavar="DIR",
                        help="write paths relative to DIR (e.g. a portable player's root)")
    export.add_argument("--relative", action="store_true",
                        help="write paths relative to the playlist file's folder")
    imp = verb("import", cmd_import, "make playlists from M3U/M3U8/PLS/XSPF files", target=False)
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--name", help="the new playlist's name (default: its title or file name)")
    imp.add_argument("--skip-duplicates", action="store_true", help="keep one entry per track")
    imp.add_argument("--dry-run", action="store_true", help="report what would match; create nothing")
    smart = verb("smart", cmd_smart, "create or change a smart playlist", target=False)
    smart.add_argument("name", metavar="NAME")
    smart.add_argument("--rule", action="append", default=[], metavar="'FIELD OP VALUE'",
                       help="e.g. 'genre contains jazz', 'skip_rate < 20%%' (repeatable)")
    smart.add_argument("--match", choices=["all", "any"], default="all")
    smart.add_argument("--sort", choices=sorted(SMART_SORTS), default="artist")
    smart.add_argument("--desc", action="store_true", help="sort descending")
    smart.add_argument("--limit", type=whole_number(0, MAX_LIMIT), metavar="N")
    smart.add_argument("--days", type=real_number(0, 1e6, low_open=True), metavar="N",
                       help="count plays and skips over the last N days only")
    smart.add_argument("--rules-json", metavar="JSON", help="the whole rule tree as JSON "
                       "(nested groups); replaces --rule/--match/--sort/--desc/--limit/--days")


def _repo(args: argparse.Namespace) -> tuple[Database, PlaylistRepository]:
    db = database(args)
    ensure_default_playlists(db)
    return db, PlaylistRepository(db)


def _summary(repo: PlaylistRepository, playlist: Playlist) -> dict[str, Any]:
    summary: dict[str, Any] = {"id": playlist.id, "name": playlist.name, "kind": playlist.kind}
    if playlist.kind == "smart":
        summary["rules"] = describe(rules_from_json(playlist.rules))
    count, duration = repo.summary(playlist.id)
    summary.update(tracks=count, duration=duration)
    return summary


def _listed(repo: PlaylistRepository, playlist: Playlist) -> dict[str, Any]:
    """The summary, or the playlist with its problem: one unreadable list spoils no other."""
    try:
        return _summary(repo, playlist)
    except KnownError as exc:
        return {"id": playlist.id, "name": playlist.name, "kind": playlist.kind, "tracks": None,
                "duration": None, "problem": exc.message}


def cmd_list(args: argparse.Namespace) -> int:
    _, repo = _repo(args)
    rows = [_listed(repo, p) for p in repo.all()]
    if args.json:
        print_json(rows)
        return 0
    print_table(["id", "kind", "name", "tracks", "length"],
                [(r["id"], r["kind"], r["name"], "?" if r["tracks"] is None else r["tracks"],
                  "?" if r["duration"] is None else format_duration(r["duration"]))
                 for r in rows], max_width=60)
    for r in rows:
        if "problem" in r:
            print(f"encore: playlist {r['id']} ({r['name']}) cannot be read: {r['problem']}",
                  file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Streams the entries (a million are never all held), from --offset, at most --limit."""
    _, repo = _repo(args)
    playlist = repo.find(args.playlist)
    summary = _summary(repo, playlist)
    tracks = repo.iter_tracks(playlist.id, offset=args.offset, limit=args.limit)
    numbered = enumerate(tracks, args.offset + 1)
    if args.json:
        print_json_streaming(summary, "entries", (
            {"position": n, "id": t.id, "artist": t.artist, "title": t.title, "album": t.album,
             "duration": t.duration, "path": display(t.path)} for n, t in numbered))
        return 0
    print(f"{playlist.name} ({playlist.kind}): {summary['tracks']} tracks, "
          f"{format_duration(summary['duration'])}")
    if "rules" in summary:
        print(f"  rules: {summary['rules']}")
    shown = print_table_streaming(["#", "id", "artist", "title", "album", "length"], (
        (n, t.id, t.artist, t.title, t.album, format_duration(t.duration)) for n, t in numbered))
    if args.offset or (args.limit is not None and shown < summary["tracks"]):
        first = args.offset + 1 if shown else args.offset
        print(f"(entries {first:,}-{args.offset + shown:,} of {summary['tracks']:,}; "
              "--offset and --limit show others)")
    return 0


def _done(args: argparse.Namespace, message: str, **data: Any) -> int:
    if args.json:
        print_json(data)
    else:
        print(message)
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    _, repo = _repo(args)
    playlist = repo.create(args.name)
    return _done(args, f"Created playlist {playlist.id}: {playlist.name}", id=playlist.id,
                 name=playlist.name)


def cmd_add(args: argparse.Namespace) -> int:
    db, repo = _repo(args)
    playlist = repo.find(args.playlist)
    ids = list(args.track_ids)
    if args.search:
        from player.db.tracks import TrackRepository

        ids += [t.id for t in TrackRepository(db).search(args.search)]
    if not ids:
        raise KnownError("No tracks to add.", "Give track ids (see `encore tracks`) or --search TEXT.")
    at = None if args.at is None else args.at - 1
    added = repo.add(playlist.id, ids, position=at)
    return _done(args, f"Added {added} tracks to {playlist.name}", id=playlist.id, added=added)


def cmd_remove(args: argparse.Namespace) -> int:
    _, repo = _repo(args)
    playlist = repo.find(args.playlist)
    removed = repo.remove_positions(playlist.id, [p - 1 for p in args.positions])
    return _done(args, f"Removed {removed} entries from {playlist.name}", id=playlist.id,
                 removed=removed)


def cmd_move(args: argparse.Namespace) -> int:
    _, repo = _repo(args)
    playlist = repo.find(args.playlist)
    source, destination = args.source - 1, args.destination - 1
    repo.move(playlist.id, [source], destination + (1 if destination > source else 0))
    return _done(args, f"Moved entry {args.source} to {args.destination}", id=playlist.id)


def cmd_sort(args: argparse.Namespace) -> int:
    _, repo = _repo(args)
    playlist = repo.find(args.playlist)
    repo.sort(playlist.id, args.key, args.desc)
    return _done(args, f"Sorted {playlist.name} by {args.key}", id=playlist.id)


def cmd_rename(args: argparse.Namespace) -> int:
    _, repo = _repo(args)
    playlist = repo.rename(repo.find(args.playlist).id, args.name)
    return _done(args, f"Renamed to {playlist.name}", id=playlist.id, name=playlist.name)


def cmd_duplicate(args: argparse.Namespace) -> int:
    _, repo = _repo(args)
    copy = repo.duplicate(repo.find(args.playlist).id, args.name)
    return _done(args, f"Created playlist {copy.id}: {copy.name}", id=copy.id, name=copy.name)


def cmd_delete(args: argparse.Namespace) -> int:
    _, repo = _repo(args)
    playlist = repo.delete(repo.find(args.playlist).id)
    return _done(args, f"Deleted {playlist.name} (undo: encore playlist restore {playlist.id})",
                 id=playlist.id)


def cmd_restore(args: argparse.Namespace) -> int:
    _, repo = _repo(args)
    matches = [p for p in repo.deleted() if str(p.id) == args.playlist
               or p.name.casefold() == args.playlist.casefold()]
    if not matches:
        raise KnownError(f"No deleted playlist {args.playlist!r}.")
    playlist = repo.restore(matches[0].id)
    return _done(args, f"Restored {playlist.name}", id=playlist.id, name=playlist.name)


def cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    db, repo = _repo(args)
    playlist = repo.find(args.playlist)
    relative_to = args.relative_to or (str(Path(args.file).resolve().parent) if args.relative else None)
    count = export_playlist(db, playlist, args.file, relative_to, args.format)
    return _done(args, f"Wrote {count} tracks to {args.file}", id=playlist.id, tracks=count,
                 file=args.file)


def cmd_import(args: argparse.Namespace) -> int:
    db, _ = _repo(args)
    reports = [import_playlist_file(db, f, args.name, args.skip_duplicates, args.dry_run)
               for f in args.files]
    if args.json:
        print_json(reports)
        return 0
    for r in reports:
        made = "would import" if args.dry_run else f"imported as playlist {r.playlist_id} {r.name!r}:"
        print(f"{display(r.file)} ({r.format}, {r.encoding}) {made} {r.resolved} of {r.entries} "
              f"entries ({r.by_path} by path, {r.by_moved_path} moved, {r.by_tags} by tags, "
              f"{r.duplicates} duplicates)")
        for warning in r.warnings:
            print(f"  warning: {warning}")
        for u in r.unresolved[:50]:
            print(f"  not found ({u.reason}): line {u.line}: {display(u.location)} {u.label}".rstrip())
        if len(r.unresolved) > 50:
            print(f"  ... and {len(r.unresolved) - 50} more (use --json for all)")
    return 0


def cmd_smart(args: argparse.Namespace) -> int:
    _, repo = _repo(args)
    if args.rules_json:
        rules = rules_from_json(args.rules_json)
    else:
        conditions = tuple(parse_condition(text) for text in args.rule)
        rules = SmartRules(RuleGroup(args.match, conditions), args.sort, args.desc, args.limit,
                           args.days).validate()
    count = len(repo.evaluate_rules(rules.to_dict()))  # they run, before anything is saved
    existing = [p for p in repo.all() if p.kind == "smart" and p.name == " ".join(args.name.split())]
    if existing:
        playlist = repo.set_rules(existing[0].id, rules.to_json())
        verb = "Updated"
    else:
        playlist = repo.create(args.name, "smart", rules.to_json())
        verb = "Created"
    return _done(args, f"{verb} smart playlist {playlist.id}: {playlist.name} ({count} tracks now)\n"
                 f"  {describe(rules)}", id=playlist.id, name=playlist.name, tracks=count,
                 rules=rules.to_dict())
