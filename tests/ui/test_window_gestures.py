"""What people do with the window, done the way they do it: clicks, keys, menus."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from player.ui.main_window import PAGES


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
