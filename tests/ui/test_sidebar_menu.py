"""A right-click on a playlist in the sidebar opens the Playlists page's own menu of it; every
entry is triggered on the real window and its effect read back from the real SQLite database,
the real play queue or the exported file. Dialogs the entries open are answered as a person
would (the file picker, the desktop's, is the only one replaced)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QFileDialog,
    QMenu,
    QMessageBox,
)

from player.playlists.rules import Condition, RuleGroup, SmartRules, rules_from_json
from player.ui.playlists.smart_editor import SmartPlaylistDialog
from tests.ui.gestures import answer_next_dialog

PLAYS = ["Play", "Shuffle", "Play next", "Add to queue"]
EXPECTED = {
    "user": [*PLAYS, "Start radio", "Rename\u2026", "Duplicate", "Export\u2026", "Delete"],
    "smart": [*PLAYS, "Edit rules\u2026", "Rename\u2026", "Duplicate", "Export\u2026", "Delete"],
    "liked": [*PLAYS, "Duplicate", "Export\u2026"],
}


@pytest.fixture
def captured(monkeypatch) -> list[QMenu]:
    """Menus are recorded instead of shown (a test cannot click a popup)."""
    menus: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda self, *a, **k: menus.append(self))
    return menus


@pytest.fixture
def setup(null_window):
    """Road trip (Charlie, Alpha), a smart playlist of Ann's tracks, Bravo liked."""
    service = null_window.services.playlists
    tracks = {t.title: t for t in null_window.window.library.track_model.all_tracks()}
    road = service.create("Road trip")
    service.add(road.id, [tracks["Charlie"].id, tracks["Alpha"].id])
    rules = SmartRules(RuleGroup("all", (Condition("artist", "is", "Ann"),)))
    smart = service.create("Ann only", "smart", rules.to_json())
    service.add(service.repo.liked().id, [tracks["Bravo"].id])
    return null_window, service, tracks, road, smart


def right_click(qtbot, window, captured: list[QMenu], playlist_id: int) -> QMenu:
    sidebar = window.sidebar
    item = sidebar.item(sidebar.playlist_rows()[playlist_id])
    before = len(captured)
    sidebar.customContextMenuRequested.emit(sidebar.visualItemRect(item).center())
    assert len(captured) == before + 1, "no menu opened"
    return captured[-1]


def texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def action(menu: QMenu, text: str):
    return next(a for a in menu.actions() if a.text() == text)


def queue_ids(parts) -> list[int]:
    return [t.id for t in parts.bridge.service.state.queue]


def exported(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line and not line.startswith("#")]


def test_each_kind_of_playlist_gets_its_menu_and_pages_get_none(qtbot, setup, captured) -> None:
    parts, service, _tracks, road, smart = setup
    window = parts.window
    liked = service.repo.liked()
    for playlist in (road, smart, liked):
        menu = right_click(qtbot, window, captured, playlist.id)
        assert texts(menu) == EXPECTED[playlist.kind], playlist.name
        # the playlist opened, as a left-click opens it
        assert window.current_page() == "Playlists"
        assert window.page("Playlists").current_playlist().id == playlist.id
        assert window.sidebar.currentItem() is window.sidebar.item(window.sidebar.playlist_rows()[playlist.id])
    before = len(captured)
    for row in range(window.sidebar.count()):  # Home, a heading, the pages: no menu
        item = window.sidebar.item(row)
        if not item.data(0x0100)[2]:
            window.sidebar.customContextMenuRequested.emit(window.sidebar.visualItemRect(item).center())
    assert len(captured) == before


def test_every_entry_of_a_user_playlist_works(qtbot, setup, captured, monkeypatch, tmp_path) -> None:
    parts, service, tracks, road, _smart = setup
    window, playback = parts.window, parts.bridge.service
    ids = [tracks["Charlie"].id, tracks["Alpha"].id]
    done: list[str] = []

    def run(text: str) -> None:
        action(right_click(qtbot, window, captured, road.id), text).trigger()
        done.append(text)

    run("Play")
    assert queue_ids(parts) == ids and playback.state.current.id == ids[0]
    assert (playback.queue.current.source, playback.queue.current.source_id) == ("playlist", str(road.id))
    run("Shuffle")
    assert sorted(queue_ids(parts)) == sorted(ids) and playback.state.index == 0
    run("Play next")  # after the playing track
    assert queue_ids(parts)[1:3] == ids and len(queue_ids(parts)) == 4
    run("Add to queue")  # at the end
    assert queue_ids(parts)[-2:] == ids and len(queue_ids(parts)) == 6
    run("Start radio")
    qtbot.waitUntil(lambda: playback.queue.current is not None
                    and playback.queue.current.source == "radio", timeout=20000)
    assert playback.queue.current.source_id == "playlist:Road trip"

    answer_next_dialog(lambda d: (d.setTextValue("Long drive"), d.accept()))
    run("Rename\u2026")
    assert service.get(road.id).name == "Long drive"
    qtbot.waitUntil(lambda: window.sidebar.item(  # the sidebar hears playlists_changed
        window.sidebar.playlist_rows()[road.id]).text().endswith("Long drive"))

    run("Duplicate")
    copy = next(p for p in service.all() if p.name == "Long drive (copy)")
    assert [t.id for t in service.tracks(copy.id)] == ids

    target = tmp_path / "drive.m3u8"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    answer_next_dialog(lambda d: d.button(QMessageBox.StandardButton.No).click())  # absolute paths
    run("Export\u2026")
    assert exported(target) == [tracks["Charlie"].path, tracks["Alpha"].path]

    run("Delete")  # as on the Playlists page: gone at once, with Undo offered
    page = window.page("Playlists")
    assert service.get(road.id) is None
    assert page.undo_bar.isVisible() and "Long drive" in page.undo_label.text()
    qtbot.waitUntil(lambda: road.id not in window.sidebar.playlist_rows())
    page.undo_delete()
    assert service.get(road.id).name == "Long drive"
    qtbot.waitUntil(lambda: road.id in window.sidebar.playlist_rows())
    assert done == EXPECTED["user"]  # every entry of the menu


def test_every_entry_of_a_smart_playlist_works(qtbot, setup, captured, monkeypatch, tmp_path) -> None:
    parts, service, tracks, _road, smart = setup
    window, playback = parts.window, parts.bridge.service
    page = window.page("Playlists")
    alpha = tracks["Alpha"].id
    done: list[str] = []

    def run(text: str) -> None:
        action(right_click(qtbot, window, captured, smart.id), text).trigger()
        done.append(text)

    run("Play")  # chosen while its tracks are still being found: plays once they are
    qtbot.waitUntil(lambda: queue_ids(parts) == [alpha])
    assert playback.queue.current.source_id == str(smart.id)
    for text, queue in (("Shuffle", [alpha]), ("Play next", [alpha, alpha]),
                        ("Add to queue", [alpha, alpha, alpha])):
        run(text)
        qtbot.waitUntil(lambda queue=queue: queue_ids(parts) == queue)

    def edit(dialog: SmartPlaylistDialog) -> None:  # Ann's or Ben's tracks, renamed
        dialog.root.match.setCurrentIndex(dialog.root.match.findData("any"))
        dialog.root.add_condition(Condition("artist", "is", "Ben"))
        dialog.name.setText("Ann or Ben")
        dialog.accept()

    answer_next_dialog(edit)
    run("Edit rules\u2026")
    stored = service.get(smart.id)
    assert stored.name == "Ann or Ben"
    assert rules_from_json(stored.rules).root.items[-1] == Condition("artist", "is", "Ben")
    assert {t.title for t in service.tracks(smart.id)} == {"Alpha", "Bravo"}

    answer_next_dialog(lambda d: (d.setTextValue("A and B"), d.accept()))
    run("Rename\u2026")
    assert service.get(smart.id).name == "A and B"

    run("Duplicate")
    copy = next(p for p in service.all() if p.name == "A and B (copy)")
    assert copy.kind == "smart" and copy.rules == service.get(smart.id).rules

    target = tmp_path / "ab.m3u8"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    answer_next_dialog(lambda d: d.button(QMessageBox.StandardButton.No).click())
    run("Export\u2026")
    assert sorted(exported(target)) == sorted([tracks["Alpha"].path, tracks["Bravo"].path])

    run("Delete")
    assert service.get(smart.id) is None and page.undo_bar.isVisible()
    assert done == EXPECTED["smart"]


def test_every_entry_of_liked_songs_works(qtbot, setup, captured, monkeypatch, tmp_path) -> None:
    parts, service, tracks, _road, _smart = setup
    window, playback = parts.window, parts.bridge.service
    liked = service.repo.liked()
    bravo = tracks["Bravo"].id
    done: list[str] = []

    def run(text: str) -> None:
        action(right_click(qtbot, window, captured, liked.id), text).trigger()
        done.append(text)

    run("Play")
    assert queue_ids(parts) == [bravo]
    assert playback.queue.current.source_id == str(liked.id)
    run("Shuffle")
    assert queue_ids(parts) == [bravo]
    run("Play next")
    assert queue_ids(parts) == [bravo, bravo]
    run("Add to queue")
    assert queue_ids(parts) == [bravo, bravo, bravo]
    run("Duplicate")  # a user playlist of the liked songs
    copy = next(p for p in service.all() if p.name == "Liked Songs (copy)")
    assert copy.kind == "user" and [t.id for t in service.tracks(copy.id)] == [bravo]
    target = tmp_path / "liked.m3u8"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    answer_next_dialog(lambda d: d.button(QMessageBox.StandardButton.No).click())
    run("Export\u2026")
    assert exported(target) == [tracks["Bravo"].path]
    assert done == EXPECTED["liked"]
