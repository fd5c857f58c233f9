"""The live filter shared by the library's item models: every word typed must appear in a
row's (lower-cased) search text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def filter_words(text: str) -> list[str]:
    return text.casefold().split()


def rows_matching(search: Sequence[str], words: list[str], rows: Iterable[int]) -> list[int]:
    """The rows (in the order given) whose search text contains every word."""
    matching = list(rows)
    for word in sorted(words, key=len, reverse=True):  # longest first: fewest survivors
        matching = [i for i in matching if word in search[i]]
    return matching
