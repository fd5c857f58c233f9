"""Helpers shared by CLI verbs: opening the database named by --db."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from player.db.connection import Database, open_database


def database(args: argparse.Namespace) -> Database:
    return open_database(args.db)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from low to high (a huge --limit is refused, not run)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range ({low} to {high:,})")
        return value

    return parse


def real_number(low: float, high: float, low_open: bool = False) -> Callable[[str], float]:
    """An argparse type: a finite number in [low, high] (or (low, high] when low_open)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value) or value > high or value < low or (low_open and value == low):
            bound = f"more than {low:g}" if low_open else f"at least {low:g}"
            raise argparse.ArgumentTypeError(f"{text} is out of range ({bound}, at most {high:g})")
        return value

    return parse
