"""Counts in words, spelled one way wherever Encore shows them."""

from __future__ import annotations


def times(n: int) -> str:
    """'once', '3 times'."""
    return "once" if n == 1 else f"{n} times"


def count(n: int, noun: str) -> str:
    """'1 track', '3 tracks' (nouns with a plain plural)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
