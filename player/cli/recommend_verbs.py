"""Recommender verbs: mix (Daily Mixes, Right now), radio, eval (the offline protocol)."""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from player.cli.common import add_json_flag, database, whole_number
from player.cli.output import print_json
from player.core.errors import KnownError

if TYPE_CHECKING:  # numpy and friends load only when a verb runs
    from player.services.recommendations import MixResult

RIGHT_NOW_LENGTH = 30
DEVSET_DIR = Path.home() / ".cache" / "encore-devset"


def register(subparsers: Any) -> None:
    mix = subparsers.add_parser("mix", help="today's Daily Mixes, or a queue for right now")
    which = mix.add_mutually_exclusive_group()
    which.add_argument("--daily", action="store_true", help="the Daily Mixes (default)")
    which.add_argument("--now", action="store_true", help="the Right now queue")
    mix.add_argument("--at", metavar='"YYYY-MM-DD HH:MM"', help="pretend it is this local time")
    add_json_flag(mix)
    mix.set_defaults(func=cmd_mix)

    radio = subparsers.add_parser("radio", help="an endless queue from a seed")
    radio.add_argument("seed", metavar="SEED",
                       help="a track id, words of a title, artist:NAME, album:NAME or playlist:NAME")
    radio.add_argument("--count", type=whole_number(1, 10_000), default=RIGHT_NOW_LENGTH, metavar="N")
    add_json_flag(radio)
    radio.set_defaults(func=cmd_radio)

    ev = subparsers.add_parser("eval", help="evaluate the recommender on listening logs (offline)")
    given = ev.add_mutually_exclusive_group(required=True)
    given.add_argument("--listens", nargs="+", metavar="FILE",
                       help="listening history exports (one listener unless the format has user ids)")
    given.add_argument("--devset", "--listens-dir", nargs="?", const=str(DEVSET_DIR), metavar="DIR",
                       help="a folder with one sub-folder of exports per listener (a FORMAT file "
                            f"in each may name the format); default {DEVSET_DIR}")
    ev.add_argument("--refit-every", type=int, default=1, metavar="DAYS",
                    help="refit the model every N test days (1: before every day)")
    ev.add_argument("--jobs", type=int, default=1, metavar="N", help="listeners evaluated at once")
    ev.add_argument("--format", default="auto", help="auto or a format name (see encore import)")
    ev.add_argument("--tz", default=None, help="time zone of logs without offsets")
    add_json_flag(ev)
    ev.set_defaults(func=cmd_eval)


def _at(args: argparse.Namespace) -> float | None:
    if not getattr(args, "at", None):
        return None
    try:
        return datetime.strptime(args.at, "%Y-%m-%d %H:%M").timestamp()
    except ValueError as exc:
        raise KnownError(f"Cannot read the time {args.at!r}.", 'Write it like "2026-03-14 08:30".') from exc


def _mix_json(m: MixResult) -> dict[str, Any]:
    return {"title": m.title, "description": m.description, "kind": m.kind, "source": m.source,
            "source_id": m.source_id,
            "tracks": [{"id": t.id, "title": t.title, "artist": t.artist, "album": t.album,
                        "reason": r} for t, r in zip(m.tracks, m.reasons, strict=True)]}


def cmd_mix(args: argparse.Namespace) -> int:
    from player.services.recommendations import MixResult, RecommendationService

    service = RecommendationService(database(args))
    at = _at(args)
    if args.now:
        session = service.right_now(at)
        picks = session.next_tracks(RIGHT_NOW_LENGTH)
        result = MixResult(session.title, "For this hour and weekday", "now", [t for t, _ in picks],
                           [r for _, r in picks], session.source, session.source_id)
        return _show([result], args.json, service.notes())
    return _show(service.daily_mixes(at), args.json, service.notes())


def cmd_radio(args: argparse.Namespace) -> int:
    from player.services.recommendations import MixResult, RecommendationService

    session = RecommendationService(database(args)).radio(args.seed)
    picks = [(t, "the seed") for t in session.opening] + session.next_tracks(args.count)
    result = MixResult(session.title, f"Radio from {args.seed}", "radio", [t for t, _ in picks],
                       [r for _, r in picks], "radio", args.seed)
    return _show([result], args.json)


def _show(results: list[MixResult], as_json: bool, notes: list[str] | None = None) -> int:
    """The picks with their reasons; `notes` say what limits them (e.g. an imported history
    that matches none of the library) and what would help."""
    if as_json:
        print_json({"mixes": [_mix_json(m) for m in results], "notes": list(notes or [])})
        return 0
    for note in notes or []:
        print(f"Note: {note}")
    if not results:
        print("Nothing to recommend yet: scan a music folder (encore scan PATH).")
    for m in results:
        print(f"{m.title} — {m.description} ({len(m.tracks)} tracks)")
        for t, reason in zip(m.tracks, m.reasons, strict=True):
            print(f"  {t.id:>6}  {t.artist} — {t.title}    [{reason}]")
    return 0


def _listener_dirs(root: Path) -> list[Path]:
    if not root.is_dir():
        raise KnownError(f"{root} is not a folder.",
                         "Give a folder with one sub-folder of exports per listener "
                         "(python benchmarks/extract_devset.py makes the dev set).")
    dirs = sorted(d for d in root.iterdir() if d.is_dir())
    if not dirs:
        raise KnownError(f"{root} has no listener folders.", "Put each listener's exports in a sub-folder.")
    return dirs


def _evaluate_listener(folder: Path, tz: str | None, refit_every: int) -> dict[str, Any]:
    """One listener of a set: every file of the folder (except FORMAT) is theirs."""
    from player.history.importers import read_listens
    from player.recommend.evaluate import evaluate

    marker = folder / "FORMAT"
    fmt = marker.read_text(encoding="utf-8").strip() if marker.exists() else "auto"
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != "FORMAT")
    records = [r for p in files for r in read_listens(p, fmt, tz)]
    return evaluate(records, refit_every=refit_every, user=folder.name)


def cmd_eval(args: argparse.Namespace) -> int:
    from itertools import chain

    from player.cli.progress import progress_bar
    from player.history.importers import read_listens
    from player.recommend.evaluate import merge_results

    started = time.perf_counter()
    if args.devset:
        folders = _listener_dirs(Path(args.devset).expanduser())
        bar = progress_bar("evaluating", not args.json, unit="listener")
        with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            parts = []
            for part in pool.map(_evaluate_listener, folders, [args.tz] * len(folders),
                                 [args.refit_every] * len(folders)):
                parts.append(part)
                if bar is not None:
                    bar(len(parts), len(folders))
        result = merge_results(parts, args.refit_every)
    else:
        from player.recommend.evaluate import evaluate

        records = chain.from_iterable(read_listens(p, args.format, args.tz) for p in args.listens)
        result = evaluate(records, refit_every=args.refit_every,
                          progress=progress_bar("evaluating", not args.json, unit="day"))
    if not result["info"]:
        raise KnownError("No listens in the given files.",
                         "Give a listening history export (see encore import --help for formats).")
    result["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print_json(result)
        return 0
    _print_eval(result)
    return 0


def _print_eval(result: dict[str, Any]) -> None:
    from player.recommend.evaluate import EXTRA_METHODS, METHODS

    users, extra, info = result["users"], result["extra"], result["info"]
    refits = ("before every test day" if result["refit_every_days"] == 1
              else f"every {result['refit_every_days']} test days")
    print(f"Offline evaluation, protocol {result['protocol']} (PRODUCT.md): only tracks heard "
          f"before each cut are ranked; model refitted {refits}.")
    header = f"  {'method':<14} {'Recall@100':>10} {'NDCG@10':>8} {'HR@10':>7}"
    for user, facts in info.items():
        print(f"{user}: {facts['listens']} listens, {facts['tracks']} tracks, "
              f"{facts['test_days']} test days" + (f", {facts['seconds']} s" if "seconds" in facts else ""))
        if user not in users:
            print("  (too little history: no day with 10 counting listens)")
            continue
        print(header)
        for method in (*METHODS, *extra[user].keys()):
            m = users[user].get(method) or extra[user][method]
            print(f"  {method:<14} {m['recall@100']:>10.3f} {m['ndcg@10']:>8.3f} {m['hr@10']:>7.3f}")
    if len(users) > 1:
        print(f"Mean over {len(users)} listeners:")
        print(header)
        for method in (*METHODS, *EXTRA_METHODS):
            m = result["mean"][method]
            print(f"  {method:<14} {m['recall@100']:>10.3f} {m['ndcg@10']:>8.3f} {m['hr@10']:>7.3f}")
    print(f"({result['seconds']:.1f} s)")
