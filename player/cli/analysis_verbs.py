"""Analysis verbs: `encore analyze` (audio features for the library), `encore similar TRACK`."""

from __future__ import annotations

import argparse
import os
from typing import Any

from player.cli.common import add_json_flag, database, whole_number
from player.cli.output import format_duration, print_json, print_table
from player.cli.progress import progress_bar
from player.core.errors import KnownError
from player.core.models import Track
from player.core.paths import display
from player.db.connection import Database
from player.db.tracks import TrackRepository


def register(subparsers: Any) -> None:
    analyze = subparsers.add_parser(
        "analyze", aliases=["analyse"],
        help="compute audio features (tempo, loudness, timbre, key...) for tracks without them")
    analyze.add_argument("--workers", type=whole_number(0, 256), default=None, metavar="N",
                         help="worker processes (default: one per core; 0 = in this process)")
    analyze.add_argument("--limit", type=whole_number(0, 10_000_000), default=None, metavar="N", help="at most N tracks")
    add_json_flag(analyze)
    analyze.set_defaults(func=cmd_analyze)

    similar = subparsers.add_parser("similar", help="tracks that sound like TRACK")
    similar.add_argument("track", metavar="TRACK", help='a track id, a file path, or "artist - title"')
    similar.add_argument("--count", type=whole_number(1, 10_000), default=10, metavar="N")
    add_json_flag(similar)
    similar.set_defaults(func=cmd_similar)


def _progress_printer(enabled: bool) -> Any:
    bar = progress_bar("analysing", enabled, unit="track")
    if bar is None:
        return None

    def show(progress: Any) -> None:
        bar(progress.done, progress.total)

    return show


def cmd_analyze(args: argparse.Namespace) -> int:
    # numpy/scipy/av load here, not when the CLI starts.
    from player.analysis.features import FEATURE_VERSION
    from player.analysis.runner import AnalysisRunner
    from player.db.features import FeatureRepository

    db = database(args)
    from player.engine.vlc import decode_to_pcm  # for files FFmpeg cannot read

    runner = AnalysisRunner(db, workers=args.workers, progress=_progress_printer(not args.json),
                            fallback=decode_to_pcm)
    report = runner.run(limit=args.limit)
    repo = FeatureRepository(db)
    counts = repo.counts(FEATURE_VERSION)
    errors = repo.errors(FEATURE_VERSION)
    if args.json:
        print_json({"version": FEATURE_VERSION, "run": {k: getattr(report, k) for k in report.__slots__},
                    "library": counts,
                    "failed": [{"id": i, "path": display(p), "reason": r} for i, p, r in errors]})
        return 1 if report.failed else 0
    speed = report.audio_seconds / report.seconds if report.seconds else 0.0
    print(f"Analysed {report.analysed} tracks, {report.failed} could not be analysed "
          f"({format_duration(report.audio_seconds)} of audio in {report.seconds:.1f} s, "
          f"{speed:.0f}x real time, {report.workers or 'no'} worker processes)")
    if report.replaygain_filled:
        print(f"  ReplayGain computed for {report.replaygain_filled} tracks without tags")
    print(f"Library: {counts.analysed} of {counts.tracks} tracks have features (version "
          f"{FEATURE_VERSION}), {counts.failed} failed, {counts.pending} to do")
    for _, path, reason in errors:
        print(f"  {display(path)}: {reason}")
    return 1 if report.failed else 0


def resolve_track(db: Database, text: str) -> Track:
    """A track id, a path (absolute or relative to here), or an "artist - title" search."""
    tracks = TrackRepository(db)
    if text.isdigit() and (found := tracks.get(int(text))) is not None:
        return found
    if (found := tracks.by_path(os.path.abspath(text))) is not None:
        return found
    return _search_track(tracks, text) or _search_track(tracks, text.replace("_", " ")) or _no_match(text)


def _search_track(tracks: TrackRepository, text: str) -> Track | None:
    artist, _, title = text.partition(" - ")
    matches = tracks.search(f"{artist} {title}" if title else text, limit=50)
    if title:
        exact = [t for t in matches if t.title.casefold() == title.strip().casefold()
                 and artist.strip().casefold() in t.artist.casefold()]
        matches = exact or matches
    return matches[0] if matches else None


def _no_match(text: str) -> Track:
    raise KnownError(f"No track matches {text!r}.",
                     'Give a track id (see `encore tracks`), a file path, or "artist - title".')


def cmd_similar(args: argparse.Namespace) -> int:
    from player.analysis.similarity import similar_tracks

    db = database(args)
    track = resolve_track(db, args.track)
    found = similar_tracks(db, track.id, args.count)
    if args.json:
        print_json({"track": {"id": track.id, "artist": track.artist, "title": track.title,
                              "path": display(track.path)},
                    "similar": [{"id": s.track.id, "artist": s.track.artist, "title": s.track.title,
                                 "path": display(s.track.path), "distance": round(s.distance, 4)}
                                for s in found]})
        return 0
    print(f"Sounds like {track.artist} - {track.title}:")
    print_table(["id", "artist", "title", "distance"],
                [(s.track.id, s.track.artist, s.track.title, f"{s.distance:.2f}") for s in found])
    return 0
