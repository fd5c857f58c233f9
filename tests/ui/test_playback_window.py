"""Done-when for the main window: double-click a track, libVLC plays it, the listen is in SQLite;
next before half-way is a skip; a replay within 30 minutes is a repeat."""

from __future__ import annotations

from PySide6.QtCore import Qt

from player.db.listens import ListenRepository


def _double_click(qtbot, table, title: str) -> None:
    model = table.model()
    row = next(r for r in range(model.rowCount()) if model.track_at(r).title == title)
    rect = table.visualRect(model.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _listens(parts):
    return ListenRepository(parts.bridge.service.db).recent(20)


def test_double_click_plays_with_vlc_and_logs_the_listen(qtbot, vlc_window) -> None:
    parts, window = vlc_window, vlc_window.window
    service = parts.bridge.service
    window.show_page("Library", "Tracks")
    _double_click(qtbot, window.library.tracks_table, "Alpha")
    qtbot.waitUntil(lambda: service.state.current is not None and service.state.current.title == "Alpha")
    assert window.now_playing.title.full_text() == "Alpha"
    qtbot.waitUntil(lambda: service.state.position_ms > 300, timeout=5000)  # really playing
    assert window.now_playing.seek.value() > 0
    # Alpha (4 s) finishes by itself; Bravo, next in the visible list, starts.
    qtbot.waitUntil(lambda: service.state.current.title == "Bravo", timeout=10000)
    service.stop()
    first = _listens(parts)[-1]
    track = service.tracks.by_path(first.path)
    assert (first.track_id, first.title, first.source, first.origin) == (track.id, "Alpha", "library", "encore")
    assert first.end_reason == "finished"
    assert first.duration_ms is not None and 3800 <= first.duration_ms <= 4200
    assert first.ms_played is not None and first.ms_played >= 2000
    assert first.is_play and not first.is_skip and not first.is_repeat
    assert first.started_at > 1_700_000_000


def test_next_before_half_way_is_a_skip_and_a_replay_is_a_repeat(qtbot, vlc_window) -> None:
    parts, window = vlc_window, vlc_window.window
    service = parts.bridge.service
    _double_click(qtbot, window.library.tracks_table, "Charlie")  # last in the list: plays to the end
    qtbot.waitUntil(lambda: service.state.position_ms > 0, timeout=5000)
    qtbot.waitUntil(lambda: not service.state.playing, timeout=10000)
    _double_click(qtbot, window.library.tracks_table, "Bravo")  # 8 s
    qtbot.waitUntil(lambda: service.state.position_ms > 500, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)  # next
    qtbot.waitUntil(lambda: service.state.current.title != "Bravo", timeout=5000)
    service.stop()
    _double_click(qtbot, window.library.tracks_table, "Charlie")  # again, minutes later
    qtbot.waitUntil(lambda: service.state.position_ms > 200, timeout=5000)
    service.stop()
    by_title = {}
    for listen in reversed(_listens(parts)):  # oldest first: the last one per title wins
        by_title.setdefault(listen.title, []).append(listen)
    bravo = by_title["Bravo"][0]
    assert (bravo.end_reason, bravo.is_skip, bravo.is_early_skip, bravo.is_play) == ("next", True, True, False)
    charlie_first, charlie_again = by_title["Charlie"][0], by_title["Charlie"][-1]
    assert charlie_first.is_play and not charlie_first.is_repeat
    assert charlie_again.is_repeat
    window.show_page("History")
    marks = [window.history_page.model.data(window.history_page.model.index(r, 4))
             for r in range(window.history_page.model.rowCount())]
    assert "early skip" in marks and "repeat" in marks


def test_a_dsd_track_says_it_is_converting_then_plays(qtbot, tmp_path, library_db) -> None:
    """Double-click a DSF file: the status bar says why it waits, then libVLC plays its copy."""
    from player.engine.vlc import VlcEngine
    from player.library.scanner import Scanner
    from tests.engine.test_formats_play import HeldCache
    from tests.factories import make_dsf
    from tests.ui.conftest import make_window

    make_dsf(tmp_path / "music" / "dsd.dsf", seconds=3.0, title="Delta DSD")
    Scanner(library_db).scan([str(tmp_path / "music")])
    cache = HeldCache(tmp_path / "playable")
    parts = make_window(qtbot, tmp_path, library_db, VlcEngine("dummy", copies=cache))
    try:
        window, service = parts.window, parts.bridge.service
        window.show_page("Library", "Tracks")
        _double_click(qtbot, window.library.tracks_table, "Delta DSD")
        qtbot.waitUntil(lambda: "Converting to play it" in window.statusBar().currentMessage())
        assert "(libVLC cannot play DSD (DSF) audio): dsd.dsf becomes a FLAC copy" in \
            window.statusBar().currentMessage()
        bar = window.now_playing
        assert bar.title.full_text() == "Delta DSD"
        qtbot.wait(9000)  # longer than a status message's 8 s: the bar keeps saying it
        assert bar.artist.full_text().startswith("Converting to play it (libVLC cannot play DSD")
        assert bar.artist.toolTip() == bar.artist.full_text()
        cache.go.set()
        qtbot.waitUntil(lambda: service.state.position_ms > 300, timeout=8000)
        assert service.state.duration_ms == 3000
        assert bar.artist.full_text() == "" and bar.artist.toolTip() == ""  # heard: gone
    finally:
        parts.shutdown()


def test_a_dsd_file_that_cannot_be_converted_says_why(qtbot, tmp_path, library_db) -> None:
    from player.db.tracks import TrackRepository
    from player.engine.vlc import VlcEngine
    from player.library.scanner import Scanner
    from player.playback.playable_copies import PlayableCopyCache
    from tests.factories import make_dsf
    from tests.ui.conftest import make_window

    path = make_dsf(tmp_path / "music" / "broken.dsf", seconds=1.0, title="Broken DSD")
    Scanner(library_db).scan([str(tmp_path / "music")])
    assert TrackRepository(library_db).by_path(str(path)) is not None
    data = bytearray(path.read_bytes())
    data[28:40] = b"\xff" * 12  # the fmt chunk's header: mutagen read it, FFmpeg will not
    path.write_bytes(bytes(data))
    cache = PlayableCopyCache(tmp_path / "playable")
    parts = make_window(qtbot, tmp_path, library_db, VlcEngine("dummy", copies=cache))
    try:
        window = parts.window
        window.show_page("Library", "Tracks")
        _double_click(qtbot, window.library.tracks_table, "Broken DSD")
        qtbot.waitUntil(lambda: "Could not play Broken DSD: cannot convert broken.dsf for "
                        "playback: " in window.statusBar().currentMessage(), timeout=8000)
        assert not window.now_playing.artist.full_text().startswith("Converting")
    finally:
        parts.shutdown()
