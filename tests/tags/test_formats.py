"""read_tags on real files of every format ffmpeg can write, tagged by ffmpeg."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.tags import read_tags
from tests.factories import FORMATS, make_audio

EXPECTED_CODEC = {
    "mp3": "mp3", "flac": "flac", "ogg": "vorbis", "opus": "opus", "m4a": "aac",
    "alac.m4a": "alac", "wav": "pcm", "aiff": "pcm", "wma": "wma", "wv": "wavpack",
}
META = {"title": "Blue in Green", "artist": "Miles Davis", "album": "Kind of Blue",
        "genre": "Jazz", "track": "3/5", "date": "1959"}


@pytest.fixture(scope="module")
def tagged_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    return {fmt: make_audio(folder / f"song.{fmt}", seconds=2.0, metadata=META) for fmt in FORMATS}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_stream_facts(tagged_files: dict[str, Path], fmt: str) -> None:
    tags = read_tags(str(tagged_files[fmt]))
    assert tags.codec == EXPECTED_CODEC[fmt]
    assert tags.duration == pytest.approx(2.0, abs=0.15)
    assert tags.channels == (2 if fmt == "m4a" else 1)  # ffmpeg's AAC header says stereo
    assert tags.sample_rate in (22050, 48000, 44100)


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - {"wav"}))
def test_text_tags(tagged_files: dict[str, Path], fmt: str) -> None:
    tags = read_tags(str(tagged_files[fmt]))
    assert tags.title == "Blue in Green"
    assert tags.artists == ("Miles Davis",)
    assert tags.album == "Kind of Blue"
    assert tags.genres == ("Jazz",)
    assert tags.track_number == 3
    assert tags.year == 1959
    assert not tags.title_from_path


def test_wav_without_id3_falls_back_to_the_file_name(tagged_files: dict[str, Path]) -> None:
    tags = read_tags(str(tagged_files["wav"]))
    assert tags.codec == "pcm"
    assert tags.title  # whatever ffmpeg wrote (RIFF INFO) or the file name, never empty
