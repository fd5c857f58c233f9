"""Helpers shared by CLI verbs: opening the database named by --db."""

from __future__ import annotations

import argparse

from player.db.connection import Database, open_database


def database(args: argparse.Namespace) -> Database:
    return open_database(args.db)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
