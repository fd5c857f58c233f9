"""Normalisation and the matching order: MBID, exact key, album tie-break, fuzzy, ambiguity."""

from __future__ import annotations

import pytest

from player.history.matching import (
    LibraryEntry,
    LibraryIndex,
    match_key,
    normalise_artist,
    normalise_title,
)


@pytest.mark.parametrize("raw,expected", [
    ("Hey Jude - Remastered 2015", "hey jude"),
    ("Hey Jude - 2015 Remaster", "hey jude"),
    ("Song (feat. Jay-Z)", "song"),
    ("Song ft. Someone", "song"),
    ("Song [Live]", "song"),
    ("Don't Stop Me Now (Live) [Remastered 2011]", "dont stop me now"),
    ("Café del Mar", "cafe del mar"),
    ("Rock & Roll", "rock and roll"),
    ("The End Of Biters - International [Live]", "the end of biters international"),
    ("Song (Jimpster Remix)", "song jimpster remix"),  # a remix is another recording
    ("!!!", "!!!"),
    ("坂本龍一の歌", "坂本龍一の歌"),
])
def test_titles(raw: str, expected: str) -> None:
    assert normalise_title(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("The Beatles", "beatles"), ("Beyoncé feat. Jay-Z", "beyonce"), ("AC/DC", "ac dc"),
    ("Röyksopp", "royksopp"), ("The The", "the"), ("坂本龍一", "坂本龍一"),
])
def test_artists(raw: str, expected: str) -> None:
    assert normalise_artist(raw) == expected


def test_match_key_ignores_case_accents_and_suffixes() -> None:
    assert match_key("The BEATLES", "Here Comes the Sun - Remastered 2009") == match_key("beatles", "here comes the sun")


@pytest.fixture
def index() -> LibraryIndex:
    return LibraryIndex([
        LibraryEntry(1, "Björk", "Jóga", "Homogenic", "mbid-joga"),
        LibraryEntry(2, "Björk", "Jóga", "Greatest Hits"),
        LibraryEntry(3, "Daft Punk, Todd Edwards", "Face to Face", "Discovery"),
        LibraryEntry(4, "Massive Attack", "Teardrop", "Mezzanine"),
        LibraryEntry(5, "Radiohead", "Paranoid Android", "OK Computer"),
        LibraryEntry(6, "Radiohead", "Paranoid Android", "OK Computer OKNOTOK"),
    ])


def test_mbid_first(index: LibraryIndex) -> None:
    found = index.match("Someone Else", "Other", mbid="MBID-JOGA")
    assert (found.track_id, found.method) == (1, "mbid")


def test_album_breaks_ties(index: LibraryIndex) -> None:
    found = index.match("bjork", "joga", album="Greatest Hits")
    assert (found.track_id, found.method, found.ambiguous) == (2, "album", False)


def test_same_song_on_two_albums_without_album_is_ambiguous(index: LibraryIndex) -> None:
    found = index.match("Radiohead", "Paranoid Android")
    assert found.track_id in (5, 6) and found.ambiguous and found.candidates == 2


def test_primary_artist_of_a_multi_artist_credit(index: LibraryIndex) -> None:
    assert index.match("Daft Punk", "Face To Face").track_id == 3


def test_fuzzy_fallback_with_threshold(index: LibraryIndex) -> None:
    typo = index.match("Massive Attack", "Teardropp")
    assert (typo.track_id, typo.method) == (4, "fuzzy")
    artist_typo = index.match("Massive Atack", "Teardrop")
    assert (artist_typo.track_id, artist_typo.method) == (4, "fuzzy")
    assert index.match("Massive Attack", "Angel").track_id is None
    assert index.match("Massive Attack", "Teardropp", fuzzy=False).track_id is None
    assert index.match("Nobody", "Nothing").method == "none"
