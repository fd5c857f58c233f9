"""The main window's behaviour on a NullEngine: pages, filter, keys, queue, layout, dialogs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtWidgets import QLabel, QMenu

from player.db.feedback import FeedbackRepository
from player.ui.dialogs import FirstRunDialog, ScanIssuesDialog, TrackInfoDialog
from player.ui.main_window import PAGES, MainWindow


def _play_first(parts) -> None:
    table = parts.window.library.tracks_table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    table.play_row(0)


def test_every_sidebar_page_opens_and_placeholders_are_replaceable(qtbot) -> None:
    window = MainWindow(page_factories={"Home": lambda: QLabel("my home view")})
    qtbot.addWidget(window)
    for name in PAGES:
        window.show_page(name)
        assert window.current_page() == name
    assert window.page("Home").text() == "my home view"
    window.sidebar.setCurrentRow(3)  # "Albums" under Library
    assert (window.current_page(), window.library.current_section()) == ("Library", "Albums")


def test_loaded_library_is_kept_out_of_the_cyclic_collector(null_window) -> None:
    import gc

    assert gc.get_freeze_count() > 0  # no full-collection stalls of the GUI with a big library


def test_filter_narrows_all_library_views(qtbot, null_window) -> None:
    window = null_window.window
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.library.filter_edit.hasFocus()
    qtbot.keyClicks(window.library.filter_edit, "ben")
    library = window.library
    assert [library.track_model.track_at(r).title for r in range(library.track_model.rowCount())] == ["Bravo"]
    assert library.count_label.text() == "1 of 3 tracks"
    window.show_page("Library", "Albums")  # other sections are filtered when shown
    assert library.album_model.rowCount() == 1
    window.show_page("Library", "Artists")
    assert library.artists.names.rowCount() == 1


# QTest warns that media keys have no ASCII form; the key still reaches the shortcut.
@pytest.mark.qt_log_ignore("keyToAscii", "propagateSizeHints")
def test_enter_plays_and_space_pauses(qtbot, null_window) -> None:
    window, service = null_window.window, null_window.bridge.service
    table = window.library.tracks_table
    table.setFocus()
    table.setCurrentIndex(table.model().index(1, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert service.state.current.title == "Bravo"
    assert window.now_playing.title.full_text() == "Bravo"
    assert window.library.track_model.data(window.library.track_model.index(1, 0), Qt.ItemDataRole.FontRole).bold()
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert service.state.paused
    qtbot.keyClick(table, Qt.Key.Key_MediaTogglePlayPause)
    assert not service.state.paused
    qtbot.keyClick(table, Qt.Key.Key_MediaNext)
    assert service.state.current.title == "Charlie"


def test_now_playing_bar_drives_the_service(qtbot, null_window) -> None:
    window, service, clock = null_window.window, null_window.bridge.service, null_window.clock
    _play_first(null_window)
    clock.advance(1.5)
    service.tick()
    bar = window.now_playing
    assert bar.elapsed.text() == "0:01" and bar.total.text() == "0:04"
    bar.volume.setValue(40)
    assert service.state.volume == 40
    bar.shuffle_button.click()
    assert service.state.shuffle
    bar.repeat_button.click()
    assert service.state.repeat == "all"
    bar.repeat_button.click()
    assert service.state.repeat == "one"
    bar.like_button.click()
    assert FeedbackRepository(service.db).get(service.state.current.id).liked
    assert bar.like_button.text() == "\u2665 Liked"
    bar.seek.setPageStep(2000)
    bar.seek.triggerAction(bar.seek.SliderAction.SliderPageStepAdd)  # a click on the groove
    assert service.state.position_ms == 3500


def test_queue_drag_and_drop_moves_through_the_service(qtbot, null_window) -> None:
    window, service = null_window.window, null_window.bridge.service
    _play_first(null_window)
    page = window.queue_page
    assert [page.model.track_at(r).title for r in range(3)] == ["Alpha", "Bravo", "Charlie"]
    mime = page.model.mimeData([page.model.index(2, 0)])
    page.model.dropMimeData(mime, Qt.DropAction.MoveAction, 1, 0, QModelIndex())
    assert [t.title for t in service.state.queue] == ["Alpha", "Charlie", "Bravo"]
    assert [page.model.track_at(r).title for r in range(3)] == ["Alpha", "Charlie", "Bravo"]
    page.list.setCurrentIndex(page.model.index(2, 0))
    page.remove_button.click()
    assert [t.title for t in service.state.queue] == ["Alpha", "Charlie"]
    page.clear_button.click()
    assert page.model.rowCount() == len(service.state.queue)


def test_context_menu_actions_reach_the_service(qtbot, null_window, monkeypatch) -> None:
    window, service = null_window.window, null_window.bridge.service
    opened: list[str] = []
    null_window.playback.open_folder = opened.append
    menus: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda self, pos, at=None: menus.append(self))
    table = window.library.tracks_table
    _play_first(null_window)
    table.customContextMenuRequested.emit(table.visualRect(table.model().index(2, 0)).center())
    actions = {a.text(): a for a in menus[-1].actions() if a.text()}
    assert list(actions) == ["Play", "Play next", "Add to queue", "Start radio", "Sounds like this", "Like", "Don't play this",
                             "Show in folder", "Track info", "Edit tags\u2026", "Undo tag edit"]
    actions["Play next"].trigger()
    assert [t.title for t in service.state.queue][:2] == ["Alpha", "Charlie"]
    actions["Add to queue"].trigger()
    assert service.state.queue[-1].title == "Charlie"
    charlie = service.state.queue[-1]
    actions["Don't play this"].trigger()
    assert FeedbackRepository(service.db).get(charlie.id).banned
    # don't play this: both Charlies still to come left the queue at once; Alpha plays on
    assert [t.title for t in service.state.queue] == ["Alpha", "Bravo"]
    actions["Show in folder"].trigger()
    assert opened and opened[0].endswith("c.ogg")


def test_history_page_lists_listens(qtbot, null_window) -> None:
    window, service, clock = null_window.window, null_window.bridge.service, null_window.clock
    _play_first(null_window)
    clock.advance(1)
    service.tick()
    service.next()
    window.show_page("History")
    model = window.history_page.model
    assert model.rowCount() == 2
    assert model.data(model.index(1, 1)) == "Alpha" and model.data(model.index(1, 4)) == "early skip"
    assert "1 skip" in window.history_page.summary.text()


def test_layout_is_remembered(qtbot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    first = MainWindow(settings=settings)
    qtbot.addWidget(first)
    first.resize(900, 600)
    first.splitter.setSizes([260, 640])
    first.show_page("Library", "Genres")
    first.save_layout()
    second = MainWindow(settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    second.restore_layout()
    assert (second.current_page(), second.library.current_section()) == ("Library", "Genres")
    assert second.splitter.sizes()[0] == first.splitter.sizes()[0]


# Qt's own notes: no tray offscreen; offscreen windows ignore size hints.
@pytest.mark.qt_log_ignore("systemTrayWindowChanged", "propagateSizeHints")
def test_tray_icon_shows_without_a_tray(qtbot, null_window) -> None:
    tray = null_window.tray
    tray.show()  # offscreen there is no system tray: must not crash
    _play_first(null_window)
    assert tray.now_playing.text().startswith("Alpha")
    tray.play_action.trigger()
    assert null_window.bridge.service.state.paused


def test_dialogs(qtbot, null_window, tmp_path: Path) -> None:
    from player.core.models import ScanIssue

    first_run = FirstRunDialog(str(tmp_path / "Music"), "/demo")
    qtbot.addWidget(first_run)
    first_run.demo_button.click()
    assert first_run.folders() == ["/demo"]
    issues = ScanIssuesDialog([ScanIssue("/m/bad.mp3", "not an audio file")])
    qtbot.addWidget(issues)
    assert issues.table.item(0, 1).text() == "not an audio file"
    track = null_window.window.library.track_model.track_at(0)
    info = TrackInfoDialog(track)
    qtbot.addWidget(info)
    assert any(isinstance(w, QLabel) and w.text() == track.title for w in info.findChildren(QLabel))


def test_scan_progress_issues_and_watcher(qtbot, null_window, music: Path) -> None:
    from tests.factories import make_audio

    window, library = null_window.window, null_window.library
    (music / "broken.mp3").write_bytes(b"this is not audio")
    with qtbot.waitSignal(library.tracks_loaded, timeout=20000):
        library.scan([str(music)])
    assert window.issues_button.isVisibleTo(window) and "1 file" in window.issues_button.text()
    assert library.watcher is not None  # watching once the scan is done
    make_audio(music / "d.ogg", 0.5, metadata={"title": "Delta", "artist": "Dan"})
    qtbot.waitUntil(lambda: window.library.track_model.rowCount() == 4, timeout=20000)
