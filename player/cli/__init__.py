"""`encore` with no verb opens the GUI; `encore VERB ...` is the command line.

Each verb group lives in its own module with a `register(subparsers)` function that sets
`func(args) -> int` on its parsers. Add new groups to VERB_MODULES.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from player import __version__
from player.cli.examples import EXIT_CODES, add_examples
from player.cli.file_args import split_file_arguments, unknown_verb, verbs_of
from player.core.errors import KnownError

VERB_MODULES = [
    "player.cli.import_verbs",
    "player.cli.library_verbs",
    "player.cli.playback_verbs",
    "player.cli.analysis_verbs",
    "player.cli.playlist_verbs",
    "player.cli.recommend_verbs",
    "player.cli.recap_verbs",
    "player.cli.check_verbs",
    "player.cli.tag_verbs",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="encore", description="Encore: a local-first music player. No verb opens the player.",
        epilog=f"example:\n  encore scan ~/Music && encore tracks --search jazz\n\n{EXIT_CODES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"encore {__version__}")
    parser.add_argument("--db", metavar="PATH", help="the library database (default: ENCORE_DB "
                        "or the platform's data directory)")
    parser.add_argument("--demo", action="store_true", help="use the bundled demo music")
    parser.add_argument("--engine", choices=["vlc", "null"], default="vlc",
                        help="playback engine (null: silent and deterministic)")
    parser.add_argument("--audio-output", metavar="NAME", default=None,
                        help="libVLC audio output (e.g. dummy, pulse, alsa)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debugging details")
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB")
    for name in VERB_MODULES:
        importlib.import_module(name).register(subparsers)
    add_examples(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        return _reader_went_away()


def _reader_went_away() -> int:
    """`encore tracks | head -1`: the reader closed the pipe. Not an error: stop quietly.
    stdout is pointed at /dev/null so that the exit's final flush cannot complain again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 0


def _main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    verbs = verbs_of(parser)
    typed = args_list[:args_list.index("--")] if "--" in args_list else args_list
    mistyped = unknown_verb(split_file_arguments(typed, verbs)[1], verbs)
    if mistyped:
        parser.error(mistyped)  # exit 2 with the usage, not a window for a typo
    args_list, files = split_file_arguments(args_list, verbs)
    args, extra = parser.parse_known_args(args_list)
    args.open_files = files  # files to play (`encore song.flac`); "files" is taken by verbs
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.verb is None:
            from player.app import run_gui

            return run_gui(args, extra)
        if extra:
            parser.error(f"unrecognised arguments: {' '.join(extra)}")
        return int(args.func(args))
    except KnownError as exc:
        print(f"encore: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"  {exc.hint}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("encore: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
