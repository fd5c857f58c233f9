"""Every QAction a person can reach (menu bar, tray, every context menu, the player bar's)
is triggered on the real window, with nothing playing and with a track playing; any exception
(pytest-qt fails the test on one raised in a slot) or Qt warning fails it. Then every key the
Keyboard shortcuts dialog lists is pressed and must do what the dialog says.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QTimer, QtMsgType
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QInputDialog,
    QMenu,
    QWidget,
)

SKIP = {"Quit"}  # triggered last, on its own
IGNORED_WARNINGS = ("propagateSizeHints", "keyToAscii")


@pytest.fixture
def captured_menus(monkeypatch) -> list[QMenu]:
    """Context menus are recorded instead of shown (popup/exec would wait for a click)."""
    menus: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda self, *a, **k: menus.append(self))
    monkeypatch.setattr(QMenu, "exec", lambda self, *a, **k: menus.append(self))
    return menus


@pytest.fixture
def no_desktop(monkeypatch) -> list[str]:
    """File dialogs answer "cancel", folders are not opened in a file manager."""
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    for name in ("getExistingDirectory", "getOpenFileName", "getOpenFileNames", "getSaveFileName"):
        empty = "" if name == "getExistingDirectory" else (("", "") if "Names" not in name else ([], ""))
        monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *a, _e=empty, **k: _e))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Made in a test", True)))
    return opened


def _dismiss_dialogs() -> QTimer:
    """Closes whatever modal dialog an action opened (exec() blocks until then)."""
    timer = QTimer()
    timer.setInterval(20)

    def close() -> None:
        popup = QApplication.activePopupWidget()  # a menu opened with exec() by a view
        if popup is not None:
            popup.close()
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            dialog.reject() if hasattr(dialog, "reject") else dialog.close()

    timer.timeout.connect(close)
    timer.start()
    return timer


def actions_of(menu: QMenu, path: str = "") -> Iterator[tuple[str, QAction]]:
    for action in menu.actions():
        if action.isSeparator():
            continue
        name = f"{path} > {action.text()}" if path else action.text()
        if action.menu() is not None:
            yield from actions_of(action.menu(), name)
        elif action.isEnabled():
            yield name, action


def _context_menus(window: QWidget, menus: list[QMenu]) -> list[tuple[str, QMenu]]:
    """Right-click every widget that has a context menu, on its first item."""
    found = []
    for widget in window.findChildren(QWidget):
        if widget.contextMenuPolicy() != widget.contextMenuPolicy().CustomContextMenu:
            continue
        if _in_playlists_view(widget):
            continue  # its menus open with exec(): taken from the view's own methods
        target = widget.parent() if widget.objectName() == "qt_scrollarea_viewport" else widget
        pos = QPoint(10, 10)
        if isinstance(target, QAbstractItemView):
            model = target.model()
            if model is None or model.rowCount() == 0:
                continue
            pos = target.visualRect(model.index(0, 0)).center()
        before = len(menus)
        widget.customContextMenuRequested.emit(pos)
        found += [(f"{type(target).__name__}:{target.objectName()}", m) for m in menus[before:]]
    return found


def _in_playlists_view(widget: QWidget) -> bool:
    from player.ui.playlists.view import PlaylistsView

    while widget is not None:
        if isinstance(widget, PlaylistsView):
            return True
        widget = widget.parentWidget()
    return False


def _playlist_menus(window) -> list[tuple[str, QMenu]]:
    """The Playlists page's menus: every playlist's, and its tracks' for the first one
    with tracks (Liked Songs holds the track the other menus liked)."""
    view = window.page("Playlists")
    found = []
    for row in range(view.playlists.rowCount()):
        playlist = view.playlists.playlist_at(row)
        found.append((f"playlist {playlist.name}", view.playlist_menu(playlist)))
    for row in range(view.playlists.rowCount()):
        view.list.setCurrentIndex(view.playlists.index(row, 0))
        if view.table.model().rowCount():
            view.table.selectRow(0)
            found.append(("playlist tracks", view.track_menu()))
            break
    return found


def _every_action(qtbot, parts, menus: list[QMenu]) -> list[str]:
    window = parts.window
    for page in ("Home", "Playlists", "Your year", "Queue", "History"):
        window.show_page(page)  # every page made, so its menus exist
    sources: list[tuple[str, QMenu]] = [
        (a.text(), a.menu()) for a in window.menuBar().actions() if a.menu() is not None]
    sources.append(("tray", parts.tray.menu))
    for section in ("Tracks", "Albums", "Artists", "Genres"):
        window.show_page("Library", section)
        sources += _context_menus(window, menus)
    window.show_page("Queue")
    sources += _context_menus(window, menus)
    window.show_page("Playlists")
    sources += _playlist_menus(window)
    done = []
    timer = _dismiss_dialogs()
    try:
        for source, menu in sources:
            for name, action in list(actions_of(menu)):
                if action.text() in SKIP:
                    continue
                action.trigger()
                qtbot.wait(5)
                done.append(f"{source}: {name}")
                window.show()  # Show/Hide Encore hides it
    finally:
        timer.stop()
    return done


def _qt_warnings(qtlog) -> list[str]:
    return [r.message for r in qtlog.records
            if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
            and not any(w in r.message for w in IGNORED_WARNINGS)]


@pytest.mark.qt_log_ignore(*IGNORED_WARNINGS)
@pytest.mark.parametrize("playing", [False, True], ids=["nothing playing", "a track playing"])
def test_every_action_in_every_menu_works(qtbot, qtlog, null_window, captured_menus,
                                          no_desktop, playing: bool) -> None:
    window, service = null_window.window, null_window.bridge.service
    if playing:
        window.library.tracks_table.play_row(0)
        assert service.state.playing
    done = _every_action(qtbot, null_window, captured_menus)
    texts = " | ".join(done)
    for expected in ("&View: Home", "&Help: About Encore", "&Help: Keyboard shortcuts",
                     "tray: Next", "tray: Show/Hide Encore", "Add to playlist > New playlist", "Go to artist",
                     "Track info", "&File: Files that could not be read"):
        assert expected.replace("&", "") in texts.replace("&", ""), expected
    if playing:
        assert window.now_playing_menu() is not None
        for _name, action in actions_of(window.now_playing_menu()):
            action.trigger()
    assert not _qt_warnings(qtlog)
    window.quit_action.trigger()
    assert not window.isVisible()


@pytest.mark.qt_log_ignore(*IGNORED_WARNINGS)
def test_every_documented_shortcut_does_what_it_says(qtbot, qtlog, null_window, no_desktop) -> None:
    window = null_window.window
    documented = window.shortcut_rows()
    by_keys = {}
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                by_keys[keys] = action
    pressed = []
    timer = _dismiss_dialogs()
    try:
        for keys, does in documented:
            if keys not in by_keys:
                continue  # Enter, Delete, media keys: the views' own, pressed below
            action = by_keys[keys]
            assert action.text() in does
            if action.text() in SKIP:
                continue
            with qtbot.waitSignal(action.triggered, timeout=2000):
                sequence = QKeySequence(keys)
                combo = sequence[0]
                qtbot.keyClick(window, combo.key(), combo.keyboardModifiers())
            pressed.append(keys)
            window.show()
    finally:
        timer.stop()
    assert len(pressed) >= 15, pressed
    # The views' keys: Enter plays, Delete removes from the queue.
    table = window.library.tracks_table
    window.show_page("Library", "Tracks")
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    from PySide6.QtCore import Qt
    qtbot.keyClick(table, Qt.Key.Key_Return)
    service = null_window.bridge.service
    assert service.state.playing
    window.show_page("Queue")
    queue = window.queue_page.list
    queue.setFocus()
    before = len(service.state.queue)
    queue.setCurrentIndex(queue.model().index(before - 1, 0))
    qtbot.keyClick(queue, Qt.Key.Key_Delete)
    assert len(service.state.queue) == before - 1
    assert not _qt_warnings(qtlog)
