"""`encore song.flac playlist.m3u8`: splitting argv, expanding playlists and folders, tracks."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.cli import build_parser
from player.cli.file_args import (
    expand_file_arguments,
    split_file_arguments,
    tracks_for_paths,
    verbs_of,
)
from player.db.tracks import TrackRepository
from tests.factories import have_ffmpeg, make_audio

needs_ffmpeg = pytest.mark.skipif(not have_ffmpeg(), reason="ffmpeg makes the audio files")


def test_verbs_come_from_the_real_parser() -> None:
    verbs = verbs_of(build_parser())
    assert {"scan", "tracks"} <= verbs


@pytest.mark.parametrize(("argv", "rest", "files"), [
    (["song.flac", "list.m3u8"], [], ["song.flac", "list.m3u8"]),
    (["--demo", "a.ogg"], ["--demo"], ["a.ogg"]),
    (["--db", "x.db", "a.ogg"], ["--db", "x.db"], ["a.ogg"]),
    (["--db=x.db", "a.ogg", "-platform", "offscreen"], ["--db=x.db", "-platform", "offscreen"],
     ["a.ogg"]),
    (["scan", "folder"], ["scan", "folder"], []),
    (["--demo", "--", "scan", "-x.mp3"], ["--demo"], ["scan", "-x.mp3"]),
    ([], [], []),
])
def test_split_file_arguments(argv: list[str], rest: list[str], files: list[str]) -> None:
    assert split_file_arguments(argv, {"scan", "tracks"}) == (rest, files)


def test_verbs_win_over_files_and_folders_named_like_them(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scan").write_bytes(b"")
    (tmp_path / "import").mkdir()
    assert split_file_arguments(["scan"], {"scan"}) == (["scan"], [])
    assert split_file_arguments(["import", "export.tsv"], {"import"}) == (["import", "export.tsv"], [])
    # such a file is still playable: as a path, or after --
    assert split_file_arguments(["./scan"], {"scan"}) == ([], ["./scan"])
    assert split_file_arguments(["--", "scan"], {"scan"}) == ([], ["scan"])


@needs_ffmpeg
def test_expand_files_folders_and_playlists(tmp_path: Path) -> None:
    music = tmp_path / "music"
    a = make_audio(music / "b" / "a.ogg")
    b = make_audio(music / "a" / "b.mp3")
    (music / "notes.txt").parent.mkdir(parents=True, exist_ok=True)
    (music / "notes.txt").write_text("x")
    playlist = tmp_path / "list.m3u8"
    playlist.write_text("#EXTM3U\nmusic/b/a.ogg\nhttp://example.invalid/stream.mp3\n"
                        "gone.flac\nC:\\Music\\x.mp3\n", encoding="utf-8")
    request = expand_file_arguments([str(b), str(playlist), str(music), str(music / "notes.txt"),
                                     str(tmp_path / "nope.flac"), "https://example.invalid/a.mp3",
                                     a.as_uri()])
    assert request.paths == [str(b), str(a), str(b), str(a), str(a)]
    text = "\n".join(request.problems)
    assert "1 web address(es) skipped" in text
    assert "2 entries not found" in text
    assert "notes.txt: not an audio file" in text
    assert "nope.flac: no such file" in text
    assert "web addresses are not opened" in text


def test_bad_playlists_are_problems_not_crashes(tmp_path: Path) -> None:
    empty = tmp_path / "empty.m3u"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.xspf"
    junk.write_bytes(b"\x00\xff<playlist")
    request = expand_file_arguments([str(empty), str(junk), str(tmp_path / "missing.pls")])
    assert request.paths == []
    assert len(request.problems) == 3


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    assert "no audio files" in expand_file_arguments([str(tmp_path)]).problems[0]


@needs_ffmpeg
def test_tracks_for_paths_adds_unknown_files_once(db, tmp_path: Path) -> None:
    song = make_audio(tmp_path / "Artist - Song.ogg", metadata={"title": "Song", "artist": "Art"})
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"not audio at all" * 10)
    tracks, problems = tracks_for_paths(db, [str(song), str(broken), str(song)])
    assert [t.title for t in tracks] == ["Song", "Song"]
    assert tracks[0].id == tracks[1].id
    assert len(problems) == 1 and "broken.mp3" in problems[0]
    again, _ = tracks_for_paths(db, [str(song)])
    assert again[0].id == tracks[0].id
    assert TrackRepository(db).count() == 1


@needs_ffmpeg
def test_tracks_for_paths_revives_a_missing_track(db, tmp_path: Path) -> None:
    song = make_audio(tmp_path / "s.ogg", metadata={"title": "S"})
    (first,), _ = tracks_for_paths(db, [str(song)])
    TrackRepository(db).mark_missing([str(song)])
    (back,), problems = tracks_for_paths(db, [str(song)])
    assert back.id == first.id and not back.missing and problems == []
