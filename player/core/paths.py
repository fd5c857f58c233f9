"""File paths as stored in the database.

SQLite text must be valid UTF-8, but Linux file names are bytes. A name that is not valid
UTF-8 is stored as "fsb64:" + base64 of its bytes, so it can still be found and opened.
"""

from __future__ import annotations

import base64
import os

_PREFIX = "fsb64:"


def to_db(path: str) -> str:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return _PREFIX + base64.b64encode(os.fsencode(path)).decode("ascii")
    return path


def from_db(text: str) -> str:
    if text.startswith(_PREFIX):
        return os.fsdecode(base64.b64decode(text[len(_PREFIX) :]))
    return text


def display(path: str) -> str:
    """A printable form of any path (undecodable bytes shown as U+FFFD)."""
    return os.fsencode(path).decode("utf-8", "replace")
