"""`encore check`: is this installation complete? (libVLC, Qt, bundled resources, database)

Prints one line per part and exits 2 when something Encore needs is missing, with the same
plain message and install hint the player would show.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from player import __version__
from player.cli.common import add_json_flag
from player.cli.output import print_json
from player.core.errors import KnownError


def register(subparsers: Any) -> None:
    check = subparsers.add_parser("check", help="check that libVLC, Qt and the bundled "
                                  "resources are installed")
    add_json_flag(check)
    check.set_defaults(func=cmd_check)


def _libvlc(args: argparse.Namespace) -> tuple[bool, str, str]:
    from player.engine import create_engine

    try:
        engine = create_engine(args.engine, "dummy")
    except KnownError as exc:
        return False, exc.message, exc.hint
    detail = f"{args.engine} engine ready (output {getattr(engine, 'audio_output', 'none')})"
    close = getattr(engine, "close", None)
    if close is not None:
        close()
    return True, detail, ""


def _resources() -> tuple[bool, str, str]:
    from player.resources import demo_music_dir, has_audio, icon_path

    demo = demo_music_dir()
    if not has_audio(demo):
        return False, f"The demo music is missing (looked in {demo}).", (
            "Reinstall Encore, or set ENCORE_RESOURCES to its resources folder.")
    return True, f"{demo.parent} (icon {'found' if icon_path().is_file() else 'missing'})", ""


def cmd_check(args: argparse.Namespace) -> int:
    from player.db.connection import default_database_path
    from player.qt.runtime_check import qt_status

    results = {"libvlc": _libvlc(args), "qt": qt_status(), "resources": _resources()}
    database = str(args.db or default_database_path())
    if args.json:
        print_json({"version": __version__, "database": database,
                    **{name: {"ok": ok, "detail": detail, "hint": hint}
                       for name, (ok, detail, hint) in results.items()}})
    else:
        print(f"encore {__version__} (Python {sys.version.split()[0]})")
        print(f"  database   {database}")
        for name, (ok, detail, hint) in results.items():
            print(f"  {name:<10} {'ok  ' if ok else 'MISSING'} {detail}")
            if hint:
                print(f"             {hint}")
    return 0 if all(ok for ok, _, _ in results.values()) else 2
