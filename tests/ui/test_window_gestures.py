"""What people do with the window, done the way they do it: clicks, keys, menus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from player.ui.main_window import PAGES
from tests.ui.gestures import answer_next_dialog, tracks_at


def _listen(parts, seconds: float) -> None:
    """Let the NullEngine play on for seconds, ticking like the window's timer."""
    for _ in range(int(seconds * 10)):
        parts.clock.advance(0.1)
        parts.bridge.service.tick()


def _play(parts, row: int = 0) -> None:
    table = parts.window.library.tracks_table
    table.play_row(row)


def test_view_menu_and_ctrl_numbers_show_every_page(qtbot, null_window) -> None:
    window = null_window.window
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    by_text = {a.text(): a for a in view.actions()}
    for name in reversed(PAGES):
        by_text[name].trigger()  # triggered(bool) once landed in the page name: KeyError: False
        assert window.current_page() == name
    for number, name in enumerate(PAGES, start=1):
        window.show_page("Queue" if name != "Queue" else "History")
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.current_page() == name


def test_a_click_on_the_seek_bar_jumps_to_the_clicked_point(qtbot, null_window) -> None:
    window, service = null_window.window, null_window.bridge.service
    _play(null_window, 1)  # Bravo, 8 s
    seek = window.now_playing.seek
    qtbot.waitUntil(lambda: seek.maximum() > 7000)
    x = round(seek.width() * 0.75)
    qtbot.mouseClick(seek, Qt.MouseButton.LeftButton, pos=QPoint(x, seek.height() // 2))
    assert abs(service.state.position_ms - 6000) < 600  # not 10 s towards it: at the point
    qtbot.mouseClick(seek, Qt.MouseButton.LeftButton, pos=QPoint(round(seek.width() * 0.1),
                                                                 seek.height() // 2))
    assert abs(service.state.position_ms - 800) < 600


def test_dark_theme_applies_at_once_and_the_volume_icon_shows(qtbot, null_window) -> None:
    from PySide6.QtGui import QPalette

    from player.ui.settings_dialog import apply_theme_choice
    from player.ui.theme import is_dark, restyle

    window = null_window.window

    def choose(theme: str):
        def answer(dialog) -> None:
            dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData(theme))
            dialog.accept()
        return answer

    try:
        answer_next_dialog(choose("dark"))
        window.settings_requested.emit()
        qtbot.waitUntil(lambda: is_dark(QApplication.palette()))  # announced on the event bus
        bar = window.now_playing
        assert is_dark(bar.palette())  # the window's widgets too, without a restart
        text = bar.palette().color(QPalette.ColorRole.WindowText)
        icon = bar.volume_icon.pixmap().toImage()
        drawn = [icon.pixelColor(x, y) for x in range(icon.width()) for y in range(icon.height())
                 if icon.pixelColor(x, y).alpha() == 255]
        assert drawn and all(abs(c.lightness() - text.lightness()) < 30 for c in drawn)
        answer_next_dialog(choose("light"))
        window.settings_requested.emit()
        qtbot.waitUntil(lambda: not is_dark(bar.palette()))
    finally:
        apply_theme_choice(QApplication.instance(), "light")
        restyle(QApplication.instance())


def test_the_filter_shows_the_genres_and_artists_of_the_matching_tracks(qtbot, null_window) -> None:
    library = null_window.window.library
    null_window.window.show_page("Library", "Genres")
    library.filter_edit.setText("bravo")  # a title: no genre is called "bravo"
    names = library.genres.names
    assert [(names.item_at(r).name, names.item_at(r).count) for r in range(names.rowCount())] \
        == [("No genre", 1)]
    assert [library.genres.tracks.track_at(r).title
            for r in range(library.genres.tracks.rowCount())] == ["Bravo"]
    null_window.window.show_page("Library", "Artists")
    artists = library.artists.names
    assert [artists.item_at(r).name for r in range(artists.rowCount())] == ["Ben"]
    library.filter_edit.clear()
    assert artists.rowCount() == 3
    null_window.window.show_page("Library", "Genres")
    assert (names.item_at(0).name, names.item_at(0).count) == ("No genre", 3)


def test_files_the_analysis_could_not_decode_are_listed_with_the_reason(qtbot, null_window) -> None:
    from player.analysis.version import FEATURE_VERSION
    from player.db.features import FeatureRepository, FeatureRow
    from player.ui.dialogs import ScanIssuesDialog

    window = null_window.window
    track = window.library.track_model.track_at(0)
    db = null_window.services.db
    FeatureRepository(db).save([FeatureRow(track.id, None, None, "no audio stream")], FEATURE_VERSION)
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    next(a for a in file_menu.actions() if a.text().startswith("Files that could not")).trigger()
    dialog = window.findChild(ScanIssuesDialog)
    assert dialog is not None and dialog.isVisible()
    rows = [[dialog.table.item(r, c).text() for c in range(3)] for r in range(dialog.table.rowCount())]
    assert [row[1:] for row in rows] == [["no audio stream", "Audio analysis"]]
    assert rows[0][0].endswith(track.path.rsplit("/", 1)[-1])
    assert "Every file was read" not in dialog.summary.text()
    dialog.close()


def test_the_tray_shows_the_resumed_track_without_a_dangling_dash(qtbot, tmp_path, library_db) -> None:
    from player.core.clock import FakeClock
    from player.db.tracks import TrackRepository
    from player.engine.null import NullEngine
    from player.playback.service import PlaybackService
    from tests.ui.conftest import make_window

    track = next(t for t in TrackRepository(library_db).all() if t.title == "Alpha")
    library_db.execute("UPDATE track SET artist = '' WHERE id = ?", (track.id,))
    before = PlaybackService(NullEngine(clock=FakeClock()), library_db, FakeClock())
    before.play_tracks([TrackRepository(library_db).get(track.id)], 0)
    before.shutdown()
    parts = make_window(qtbot, tmp_path, library_db, NullEngine(clock=FakeClock()))
    try:
        assert parts.bridge.service.state.current.id == track.id  # restored, paused
        assert parts.tray.now_playing.text() == "Alpha"  # not "Nothing playing", not "Alpha —"
    finally:
        parts.shutdown()


def test_history_columns_fit_their_contents(qtbot, null_window) -> None:
    window, service = null_window.window, null_window.bridge.service
    album = window.library.album_model.album_at(0)
    service.play_tracks(list(album.tracks), 0, "album", album.key)
    null_window.clock.advance(2)
    service.tick()
    service.next()
    window.show_page("History")
    table = window.history_page.table
    assert table.model().rowCount() >= 1
    header = table.horizontalHeader()
    names = [table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())]
    source = names.index("Source")
    assert table.model().index(0, source).data() == f"album \u00b7 {album.title}"
    for column, name in enumerate(names):
        if name in ("When", "Source", "Heard", "Marks", "Ended by"):
            needed = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
            assert header.sectionSize(column) >= needed, name
    assert header.sectionViewportPosition(header.count() - 1) + header.sectionSize(
        header.count() - 1) <= table.viewport().width() + 1


def test_add_a_multi_selection_to_a_playlist_and_open_the_album_page(qtbot, clocked_window,
                                                                     monkeypatch) -> None:
    null_window = clocked_window
    from PySide6.QtWidgets import QInputDialog, QMenu

    window, services = null_window.window, null_window.services
    menus: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda self, *a, **k: menus.append(self))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Road trip", True)))
    table = window.library.tracks_table
    table.selectRow(0)
    table.selectionModel().select(table.model().index(2, 0),
                                  table.selectionModel().SelectionFlag.Select
                                  | table.selectionModel().SelectionFlag.Rows)
    table.customContextMenuRequested.emit(table.visualRect(table.model().index(0, 0)).center())
    add = next(a.menu() for a in menus[-1].actions() if a.text() == "Add to playlist")
    next(a for a in add.actions() if a.text().startswith("New playlist")).trigger()
    road = next(p for p in services.playlists.all() if p.name == "Road trip")
    assert [t.title for t in services.playlists.tracks(road.id)] == ["Alpha", "Charlie"]
    assert "Added 2 tracks" in window.statusBar().currentMessage()
    # the same menu now offers the playlist; adding again appends
    table.customContextMenuRequested.emit(table.visualRect(table.model().index(1, 0)).center())
    add = next(a.menu() for a in menus[-1].actions() if a.text() == "Add to playlist")
    next(a for a in add.actions() if a.text() == "Road trip").trigger()
    assert [t.title for t in services.playlists.tracks(road.id)] == ["Alpha", "Charlie", "Bravo"]
    # Go to album from a track: the album page with its tracks, time and plays
    bravo = table.model().track_at(1)
    window.library.tracks_table.play_row(1)
    _listen(null_window, 6)
    null_window.bridge.service.next()
    window.intents.go_to_album_requested.emit(bravo)
    page = window.library.album_page
    assert window.library.stack.currentWidget() is page and page.title.text() == "First"
    assert [page.model.track_at(r).title for r in range(page.model.rowCount())] == ["Alpha", "Bravo"]
    assert "2 tracks \u00b7 0:12" in page.summary.text()
    assert "played once, most: Bravo (1)" in page.summary.text()


def test_track_info_shows_plays_skips_and_the_analysis(qtbot, clocked_window) -> None:
    null_window = clocked_window
    from player.analysis.version import FEATURE_VERSION
    from player.db.features import FeatureRepository, FeatureRow
    from player.ui.track_info import TrackInfoDialog

    window, service = null_window.window, null_window.bridge.service
    bravo = next(t for t in window.library.track_model.tracks() if t.title == "Bravo")
    info = TrackInfoDialog(bravo, facts=window.intents.track_facts(bravo.id))
    assert info.values["Played"] == "never" and info.values["Analysis"].startswith("not analysed")
    info.close()
    service.play_tracks([bravo], 0)
    _listen(null_window, 6)
    service.stop()
    FeatureRepository(null_window.services.db).save([FeatureRow(
        bravo.id, {"tempo_bpm": 121.4, "key": "A minor", "loudness_lufs": -9.26, "music_score": 0.93},
        None)], FEATURE_VERSION)
    info = TrackInfoDialog(bravo, facts=window.intents.track_facts(bravo.id))
    assert info.values["Played"] == "once" and info.values["Skipped"] == "never"
    assert info.values["Last played"] != "never"
    assert (info.values["Tempo"], info.values["Key"], info.values["Loudness"]) == \
        ("121 BPM", "A minor", "-9.3 LUFS")
    assert info.values["Music score"].startswith("0.93")
    info.close()


@pytest.mark.parametrize("size", [(800, 600), (1180, 740), (1400, 900)])
def test_the_layout_fits_each_window_size(qtbot, null_window, size) -> None:
    window = null_window.window
    table, header = tracks_at(qtbot, window, size)
    assert header.length() <= table.viewport().width() + 1  # no column cut off to the right
    model = table.model()
    assert table.isColumnHidden(4)  # no track here has a year: the column takes no room
    assert header.sectionSize(5) >= table.sizeHintForColumn(5)  # Length: its whole text
    bar = window.now_playing
    for button in (bar.like_button, bar.shuffle_button, bar.repeat_button):
        text = button.text()
        assert button.width() >= button.fontMetrics().horizontalAdvance(text), text
        assert "\u2026" not in text
    if size[0] < bar.NARROW:
        assert bar.shuffle_button.text() == "\u21c4" and bar.shuffle_button.toolTip() == "Shuffle"
    else:
        assert bar.shuffle_button.text() == "Shuffle"
    assert model.rowCount() == 3
