from __future__ import annotations

from player.tags.path_fallback import guess_from_path


def test_artist_album_track_title_layout() -> None:
    guess = guess_from_path("/m/Miles Davis/Kind of Blue/03 Blue in Green.flac", "/m")
    assert (guess.artist, guess.album, guess.track_number, guess.title) == (
        "Miles Davis", "Kind of Blue", 3, "Blue in Green")


def test_artist_dash_title() -> None:
    guess = guess_from_path("/m/Nina Simone - Feeling Good.mp3", "/m")
    assert (guess.artist, guess.title) == ("Nina Simone", "Feeling Good")


def test_librosa_style_names() -> None:
    guess = guess_from_path("/x/Kevin_MacLeod_-_Vibe_Ace.hq.ogg", "/x")
    assert (guess.artist, guess.title) == ("Kevin MacLeod", "Vibe Ace")
    assert guess_from_path("/x/198-209-0000.hq.ogg", "/x").title == "198-209-0000"
    assert guess_from_path("/x/pibble.hq.ogg", "/x").title == "pibble"


def test_disc_track_prefix_and_no_root() -> None:
    guess = guess_from_path("/m/Band/Album/2-05 - Song.mp3")
    assert (guess.disc_number, guess.track_number, guess.title, guess.album) == (2, 5, "Song", "Album")
    plain = guess_from_path("/home/u/Downloads/song.mp3")
    assert (plain.artist, plain.album, plain.title) == ("", "", "song")


def test_a_damaged_tag_gets_a_reason_that_names_it(tmp_path) -> None:
    import pytest

    from player.core.errors import TagReadError
    from player.tags import read_tags

    half = tmp_path / "Half downloaded.mp3"
    half.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x10not audio")
    with pytest.raises(TagReadError, match="damaged ID3 tag"):
        read_tags(str(half))


def test_tags_and_scanned_files_survive_the_trip_from_a_worker() -> None:
    import pickle

    from player.db.tracks import ScannedFile
    from tests.factories import make_tags

    tags = make_tags(title="T", artists=("A", "B"), genres=("Jazz",), rg_track_gain=-6.5,
                     bpm=120.0, has_cover=True, title_from_path=True)
    scanned = ScannedFile("/m/x.flac", 10, 1.5, "fp", tags)
    assert pickle.loads(pickle.dumps(scanned)) == scanned
