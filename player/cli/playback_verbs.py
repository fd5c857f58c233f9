"""Playback verbs: `encore play` (headless, logs listens like the GUI) and `encore history`."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from datetime import datetime, timedelta, timezone
from typing import Any

from player.cli.common import add_json_flag, database, real_number, whole_number
from player.cli.output import format_duration, print_json, print_table
from player.core.errors import KnownError
from player.core.files import regular_file_problem
from player.core.models import AUDIO_EXTENSIONS, ScanIssue, Track
from player.core.paths import display
from player.core.rules import label
from player.core.sources import source_label
from player.db.connection import Database
from player.db.listens import ListenRepository, ListenRow
from player.db.preferences import Preferences
from player.db.tracks import ScannedFile, TrackRepository
from player.engine import ENGINES, create_engine
from player.library.reading import read_file
from player.library.walker import walk_audio
from player.playback.playable_copies import PlayableCopyCache
from player.playback.service import PlaybackService
from player.playback.state import PlaybackEvent

TICK_S = 0.05


def register(subparsers: Any) -> None:
    play = subparsers.add_parser(
        "play", help="play files, folders or track ids headless until the queue ends",
        description="Plays headless and logs listens like the player. Files not in the library "
                    "are added to it first (folders are not made library folders). Ctrl+C stops.")
    play.add_argument("items", nargs="+", metavar="PATH_OR_TRACK_ID")
    play.add_argument("--engine", dest="play_engine", choices=ENGINES, default=None,
                      help="playback engine (same as the global --engine)")
    play.add_argument("--audio-output", dest="play_audio_output", metavar="NAME", default=None,
                      help="libVLC audio output (same as the global --audio-output)")
    play.add_argument("--rate", type=real_number(0, 64, low_open=True), default=1.0, help="playback speed, e.g. 4 for tests")
    play.add_argument("--shuffle", action="store_true")
    play.add_argument("--repeat", choices=["off", "all", "one"], default="off")
    play.add_argument("--source", default="library", help="source recorded with the listens")
    play.add_argument("--heartbeat", type=real_number(0.05, 3600), default=5.0, metavar="SECONDS",
                      help="seconds between listen heartbeats")
    play.add_argument("--quiet", action="store_true", help="print nothing while playing")
    play.set_defaults(func=cmd_play)

    history = subparsers.add_parser("history", help="recent listens: plays, skips and repeats")
    history.add_argument("--limit", type=whole_number(0, 1_000_000), default=30, metavar="N")
    add_json_flag(history)
    history.set_defaults(func=cmd_history)


# -- encore play -------------------------------------------------------------------------------
def resolve(db: Database, items: list[str]) -> list[Track]:
    """Track ids and paths as tracks; files not in the library are added to it first."""
    repo = TrackRepository(db)
    out: list[Track] = []
    for item in items:
        if item.isdigit() and not os.path.exists(item):
            track = repo.get(int(item))
            if track is None:
                raise KnownError(f"No track with id {item} in the library.",
                                 "See `encore tracks` for the ids.")
            out.append(track)
            continue
        path = os.path.abspath(os.path.expanduser(item))
        if os.path.isdir(path):
            issues: list[ScanIssue] = []
            found = sorted(f.path for f in walk_audio(path, issues)
                           if os.path.splitext(f.path)[1].lower() in AUDIO_EXTENSIONS)
            out.extend(_file_track(repo, f) for f in found)
        elif os.path.exists(path):
            problem = regular_file_problem(path)  # /dev/zero never ends, a FIFO blocks
            if problem:
                raise KnownError(f"{display(item)}: cannot play it: {problem}.")
            out.append(_file_track(repo, path))
        else:
            raise KnownError(f"{display(item)}: no such file, folder or track id.")
    return out


def _file_track(repo: TrackRepository, path: str) -> Track:
    known = repo.by_path(path)
    if known is not None:
        return known
    st = os.stat(path)
    result = read_file((path, os.path.dirname(path), st.st_size, st.st_mtime))
    if isinstance(result, ScannedFile):
        repo.write_scanned([result], {})
        added = repo.by_path(path)
        if added is not None:
            return added
    # unreadable tags: still try to play it, as a track outside the library (no id)
    return Track(id=0, path=path, title=os.path.basename(path))


def _printer(quiet: bool) -> Any:
    def show(event: PlaybackEvent) -> None:
        if event.kind == "error":
            where = display(event.track.path) if event.track else "?"
            print(f"encore: skipped {where}: {event.message}", file=sys.stderr)
        elif event.kind == "notice" and not quiet:
            print(f"encore: {event.message}", file=sys.stderr, flush=True)
        elif event.kind == "track_changed" and event.track is not None and not quiet:
            track = event.track
            who = f"{track.artist} - " if track.artist else ""
            print(f"▶ {who}{track.title} ({format_duration(track.duration)})", flush=True)

    return show


def cmd_play(args: argparse.Namespace) -> int:
    db = database(args)
    tracks = resolve(db, list(args.items))
    if not tracks:
        raise KnownError("Nothing to play: no audio files there.")
    engine = create_engine(args.play_engine or args.engine,
                           args.play_audio_output or getattr(args, "audio_output", None),
                           copies=PlayableCopyCache())
    service = PlaybackService(engine, db, heartbeat_s=args.heartbeat)
    prefs = Preferences.load(db)  # the player's Settings apply headless too
    service.set_replaygain(prefs.replaygain)  # type: ignore[arg-type]
    service.set_crossfade(prefs.crossfade_s)
    service.add_listener(_printer(args.quiet))
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        service.set_rate(args.rate)
        service.set_repeat(args.repeat)
        service.set_shuffle(args.shuffle)
        service.play_tracks(tracks, 0, source=args.source)
        while service.state.playing:
            time.sleep(TICK_S)
            service.tick()
    except KeyboardInterrupt:
        service.stop()  # closes the listen as "stopped"
        if not args.quiet:
            print("stopped", file=sys.stderr)
        return 130
    finally:
        service.shutdown()
        signal.signal(signal.SIGTERM, previous)
        db.close()
    return 0


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


# -- encore history ----------------------------------------------------------------------------
def _when(row: ListenRow) -> str:
    local = timezone(timedelta(minutes=row.utc_offset_min))
    return datetime.fromtimestamp(row.started_at, local).strftime("%Y-%m-%d %H:%M")


def _mark(row: ListenRow) -> str:
    if row.end_reason is None:
        return "playing"
    return label(row.is_play, row.is_skip, row.is_early_skip, row.is_repeat)


def cmd_history(args: argparse.Namespace) -> int:
    db = database(args)
    rows = ListenRepository(db).recent(max(0, args.limit))
    if args.json:
        print_json([{**_plain(row), "mark": _mark(row)} for row in rows])
        return 0
    if not rows:
        print("No listens yet. Play something: encore play PATH")
        return 0
    print_table(
        ["when", "title", "artist", "heard", "of", "end", "mark", "source"],
        [(_when(r), r.title, r.artist, format_duration((r.ms_played or 0) / 1000),
          format_duration((r.duration_ms or 0) / 1000), r.end_reason or "", _mark(r),
          source_label(r.source, r.source_id)) for r in rows],
    )
    return 0


def _plain(row: ListenRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in row.__dataclass_fields__}
