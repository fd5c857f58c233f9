"""`encore recap YEAR [--out DIR] [--json]`: the yearly recap, as the GUI shows it."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from player.cli.common import add_json_flag, database
from player.cli.output import print_json
from player.core.errors import KnownError


def register(subparsers: Any) -> None:
    recap = subparsers.add_parser("recap", help="your year in music: the recap's numbers and cards")
    recap.add_argument("year", type=_year, metavar="YEAR", help="the year, e.g. 2025")
    recap.add_argument("--out", metavar="DIR", default=None,
                       help="also write every page as PNG cards (1080x1920 and 1920x1080) and "
                            "the whole recap as one HTML file into DIR")
    recap.add_argument("--no-mixes", action="store_true",
                       help="leave out the musical personalities (Daily Mix clusters)")
    add_json_flag(recap)
    recap.set_defaults(func=cmd_recap)


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year (for example 2025)") from None
    if not 1970 <= year <= 9998:  # the recap also reads the next year's first day
        raise argparse.ArgumentTypeError(f"{year} is out of range (1970-9998)")
    return year


def cmd_recap(args: argparse.Namespace) -> int:
    from player.qt.recap_loader import daily_mix_clusters, load_recap
    from player.recap.story import story

    db = database(args)
    clusters = None if args.no_mixes else daily_mix_clusters(db)
    recap = load_recap(db, args.year, clusters=clusters)
    pages = story(recap)
    written = _write_images(args.year, pages, Path(args.out)) if args.out else []
    if args.json:
        # The headline figures first, as plain top-level fields a script can read.
        print_json({**recap.headline(), "recap": recap.to_dict(),
                    "pages": [p.lines() for p in pages], "files": [str(f) for f in written]})
        return 0
    for page in pages:
        lines = page.lines()
        print(f"== {lines[0]}")
        for line in lines[1:]:
            print(f"   {line}")
    if written:
        print(f"\nWrote {len(written)} files into {args.out}")
    return 0


def _write_images(year: int, pages: list[Any], folder: Path) -> list[Path]:
    """The cards and the HTML (painting needs a QGuiApplication: offscreen without a display)."""
    if folder.exists() and not folder.is_dir():
        raise KnownError(f"{folder} is a file, not a folder.", "Give --out a folder.")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from player.ui.recap.export import ensure_gui_application, save_all_cards, save_html

    ensure_gui_application()
    written = save_all_cards(year, pages, folder)
    written.append(save_html(year, pages, folder / f"recap-{year}.html"))
    return written
