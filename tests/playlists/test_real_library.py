"""Real audio files, scanned by the real scanner, found again through a playlist file."""

from __future__ import annotations

import pytest

from player.db.playlists import PlaylistRepository
from player.library.scanner import Scanner
from player.playlists.files import export_playlist, import_playlist_file
from tests.factories import have_ffmpeg, make_audio

pytestmark = pytest.mark.skipif(not have_ffmpeg(), reason="needs ffmpeg")


def test_scanned_files_resolve_from_relative_entries_and_after_a_move(db, tmp_path) -> None:
    music = tmp_path / "Music"
    first = make_audio(music / "Band" / "Record" / "01 One.ogg", 1.2, 330.0, metadata=
                       {"title": "One", "artist": "Band", "album": "Record"})
    make_audio(music / "Band" / "Record" / "02 Two.mp3", 1.0, 550.0, metadata=
               {"title": "Two", "artist": "Band", "album": "Record"})
    Scanner(db, workers=1).scan([str(music)])
    playlist_file = music / "mine.m3u"
    playlist_file.write_text("Band/Record/02 Two.mp3\r\nBand\\Record\\01 One.ogg\r\n", encoding="utf-8")
    report = import_playlist_file(db, playlist_file)
    repo = PlaylistRepository(db)
    titles = [t.title for t in repo.tracks(report.playlist_id)]
    assert (titles, report.by_path) == (["Two", "One"], 2)  # backslashes are separators too
    out = tmp_path / "out.xspf"
    export_playlist(db, repo.require(report.playlist_id), out)
    # the user renames a file; a rescan keeps its id (fingerprint) and the path changes
    first.rename(music / "Band" / "Record" / "renamed.ogg")
    Scanner(db, workers=1).scan([str(music)])
    again = import_playlist_file(db, out)
    assert [t.title for t in repo.tracks(again.playlist_id)] == ["Two", "One"]
    assert again.by_tags == 1
