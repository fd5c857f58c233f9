"""Recommender verbs: mix (Daily Mixes, Right now), radio, eval (the offline protocol)."""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from player.cli.common import add_json_flag, database
from player.cli.output import print_json
from player.core.errors import KnownError

if TYPE_CHECKING:  # numpy and friends load only when a verb runs
    from player.services.recommendations import MixResult

RIGHT_NOW_LENGTH = 30


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
    radio.add_argument("--count", type=int, default=RIGHT_NOW_LENGTH, metavar="N")
    add_json_flag(radio)
    radio.set_defaults(func=cmd_radio)

    ev = subparsers.add_parser("eval", help="evaluate the recommender on listening logs (offline)")
    ev.add_argument("--listens", nargs="+", required=True, metavar="FILE",
                    help="listening history exports (one listener unless the format has user ids)")
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
        return _show([result], args.json)
    return _show(service.daily_mixes(at), args.json)


def cmd_radio(args: argparse.Namespace) -> int:
    from player.services.recommendations import MixResult, RecommendationService

    session = RecommendationService(database(args)).radio(args.seed)
    picks = [(t, "the seed") for t in session.opening] + session.next_tracks(args.count)
    result = MixResult(session.title, f"Radio from {args.seed}", "radio", [t for t, _ in picks],
                       [r for _, r in picks], "radio", args.seed)
    return _show([result], args.json)


def _show(results: list[MixResult], as_json: bool) -> int:
    if as_json:
        print_json({"mixes": [_mix_json(m) for m in results]})
        return 0
    if not results:
        print("Nothing to recommend yet: scan a music folder (encore scan PATH).")
    for m in results:
        print(f"{m.title} — {m.description} ({len(m.tracks)} tracks)")
        for t, reason in zip(m.tracks, m.reasons, strict=True):
            print(f"  {t.id:>6}  {t.artist} — {t.title}    [{reason}]")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from itertools import chain

    from player.history.importers import read_listens
    from player.recommend.evaluate import METHODS, evaluate

    started = time.perf_counter()
    records = chain.from_iterable(read_listens(p, args.format, args.tz) for p in args.listens)
    from player.cli.progress import progress_bar

    result = evaluate(records, progress=progress_bar("evaluating", not args.json, unit="day"))
    if not result["info"]:
        raise KnownError("No listens in the given files.",
                         "Give a listening history export (see encore import --help for formats).")
    if args.json:
        print_json(result)
        return 0
    users: dict[str, Any] = result["users"]  # type: ignore[assignment]
    extra: dict[str, Any] = result["extra"]  # type: ignore[assignment]
    info: dict[str, Any] = result["info"]  # type: ignore[assignment]
    for user, facts in info.items():
        print(f"{user}: {facts['listens']} listens, {facts['tracks']} tracks, {facts['test_days']} test days")
        if user not in users:
            print("  (too little history: no day with 10 listens)")
            continue
        print(f"  {'method':<14} {'Recall@100':>10} {'NDCG@10':>8} {'HR@10':>7}")
        for method in (*METHODS, *extra[user].keys()):
            m = users[user].get(method) or extra[user][method]
            print(f"  {method:<14} {m['recall@100']:>10.3f} {m['ndcg@10']:>8.3f} {m['hr@10']:>7.3f}")
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0
