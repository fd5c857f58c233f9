"""A listen's source as the History page and `encore history` show it."""

from __future__ import annotations

from player.core.sources import source_label


def test_an_album_key_reads_as_its_title_after_a_middle_dot() -> None:
    key = "Maxstack\x1fEndgame\x1f/music/maxstack/endgame/01.ogg"
    assert source_label("album", key) == "album \u00b7 Endgame"


def test_names_and_bare_sources() -> None:
    assert source_label("artist", "Maxstack") == "artist \u00b7 Maxstack"
    assert source_label("library") == "library"
    assert source_label("radio", "") == "radio"
    assert source_label("playlist", "3", {"3": "Road trip"}) == "playlist \u00b7 Road trip"
