from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from player.db.playlists import PlaylistRepository
from player.playlists.rules import Condition, RuleGroup, SmartRules
from player.qt.playlist_mime import decode_track_ids, track_ids_mime
from player.ui.playlists import PlaylistsView, SmartPlaylistDialog
from tests.factories import add_tracks


@pytest.fixture
def view(qtbot, db):
    ids = add_tracks(db, 6)
    repo = PlaylistRepository(db)
    mine = repo.create("Mine")
    repo.add(mine.id, ids[:3])
    widget = PlaylistsView(db)
    qtbot.addWidget(widget)
    widget.ids = ids  # type: ignore[attr-defined]
    widget.select_playlist(mine.id)
    return widget


def _names(view: PlaylistsView) -> list[str]:
    return [view.playlists.playlist_at(r).name for r in range(view.playlists.rowCount())]


def test_lists_liked_ready_made_and_user_playlists_with_duration(view) -> None:
    names = _names(view)
    assert names[0] == "Liked Songs"
    assert {"Most played", "Recently added", "Never played", "Forgotten favourites", "Mine"} <= set(names)
    assert view.title.text() == "Mine"
    assert view.tracks.rowCount() == 3
    assert view.summary.text().startswith("3 tracks \u00b7 9:00")
    assert view.playlists.data(view.playlists.index(0), Qt.ItemDataRole.DisplayRole).startswith("\u2665")


def test_play_shuffle_and_queue_emit_playlist_source(view, qtbot) -> None:
    mine = view.current_playlist()
    with qtbot.waitSignal(view.play_requested) as blocker:
        view.play_button.click()
    tracks, start, source, source_id = blocker.args
    assert [t.id for t in tracks] == view.ids[:3] and start == 0
    assert (source, source_id) == ("playlist", str(mine.id))
    with qtbot.waitSignal(view.play_requested) as blocker:
        view.shuffle_button.click()
    assert sorted(t.id for t in blocker.args[0]) == view.ids[:3]
    with qtbot.waitSignal(view.queue_requested) as blocker:
        view.queue_button.click()
    assert len(blocker.args[0]) == 3


def test_drop_track_ids_from_a_library_view_onto_a_playlist(view) -> None:
    mime = track_ids_mime([view.ids[5], view.ids[4]])
    assert decode_track_ids(mime) == [view.ids[5], view.ids[4]]
    row = _names(view).index("Mine")
    parent = view.playlists.index(row)
    smart_row = _names(view).index("Most played")
    assert not view.playlists.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, -1,
                                              view.playlists.index(smart_row))
    assert view.playlists.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, parent)
    assert [t.id for t in view.tracks.tracks()] == view.ids[:3] + [view.ids[5], view.ids[4]]


def test_drag_and_drop_reorders_rows(view) -> None:
    model = view.tracks
    mime = model.mimeData([model.index(0, 0), model.index(0, 1)])
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert [t.id for t in model.tracks()] == [view.ids[1], view.ids[2], view.ids[0]]
    # dropped from elsewhere (copy): inserted where dropped
    model.dropMimeData(track_ids_mime([view.ids[5]]), Qt.DropAction.CopyAction, 0, 0, QModelIndex())
    assert model.tracks()[0].id == view.ids[5]


def test_delete_with_undo_rename_duplicate_remove_and_sort(view) -> None:
    view.rename_current("Ours")
    assert view.title.text() == "Ours"
    view.duplicate_current()
    assert view.title.text() == "Ours (copy)"
    view.delete_current()
    assert "Ours (copy)" not in _names(view) and not view.undo_bar.isHidden()
    view.undo_delete()
    assert view.title.text() == "Ours (copy)" and view.tracks.rowCount() == 3
    view.table.selectRow(0)
    view.remove_selected()
    assert view.tracks.rowCount() == 2
    view.sort_current("title", descending=True)
    titles = [t.title for t in view.tracks.tracks()]
    assert titles == sorted(titles, key=str.casefold, reverse=True)


def test_smart_editor_round_trips_nested_rules(qtbot) -> None:
    rules = SmartRules(RuleGroup("all", (
        Condition("genre", "contains", "jazz"),
        RuleGroup("any", (Condition("liked", "is", True), Condition("play_count", ">=", 5))),
        Condition("tempo", "between", [100, 130]),
        Condition("last_played", "never"),
    )), sort="play_count", descending=True, limit=25, history_days=90)
    dialog = SmartPlaylistDialog("Jazz", rules)
    qtbot.addWidget(dialog)
    assert dialog.rules() == rules
    row = dialog.root.add_condition()
    row.field.setCurrentIndex(row.field.findData("year"))
    row.op.setCurrentIndex(row.op.findData(">="))
    row.value.setText("not a year")
    dialog.accept()
    assert dialog.result_rules() is None and "not a number" in dialog.error.text()
    row.value.setText("1959")
    dialog.accept()
    assert dialog.result_rules().root.items[-1] == Condition("year", ">=", 1959)


def test_new_smart_playlist_from_the_editor(view, qtbot) -> None:
    dialog = SmartPlaylistDialog("Odd ones", SmartRules(RuleGroup("all", (
        Condition("genre", "is", "jazz"),))))
    qtbot.addWidget(dialog)
    dialog.accept()
    playlist = view.new_smart_playlist(dialog)
    assert playlist is not None and view.title.text() == "Odd ones"
    assert view.is_loading()  # a smart playlist's SQL runs off the GUI thread
    qtbot.waitUntil(lambda: not view.is_loading())
    assert view.tracks.rowCount() == 3 and not view.edit_button.isHidden()
    assert not view.tracks.editable


def test_import_and_export(view, tmp_path) -> None:
    target = tmp_path / "mine.xspf"
    assert view.export_current(str(target)) == 3
    (tmp_path / "bad.xspf").write_text('<!DOCTYPE a [<!ENTITY b "c">]><playlist/>')
    messages = []
    view.message.connect(messages.append)
    reports = view.import_files([str(target), str(tmp_path / "bad.xspf")])
    assert len(reports) == 1 and reports[0].resolved == 3
    assert view.current_playlist().id == reports[0].playlist_id  # the imported copy, selected
    assert view.title.text() == "Mine" and view.tracks.rowCount() == 3
    assert any("DOCTYPE" in m for m in messages)


def test_add_to_playlist_submenu_for_other_views(view, db) -> None:
    from PySide6.QtWidgets import QMenu

    from player.ui.playlists import add_to_playlist_menu

    menu = QMenu()
    texts = []
    submenu = add_to_playlist_menu(menu, db, lambda: [view.ids[5]], texts.append)
    names = [a.text() for a in submenu.actions() if a.text()]
    assert "Liked Songs" in names and "Mine" in names and "Most played" not in names
    next(a for a in submenu.actions() if a.text() == "Mine").trigger()
    assert texts == ["Added 1 track to Mine."]
    assert PlaylistRepository(db).track_ids(view.current_playlist().id)[-1] == view.ids[5]


def test_smart_editor_takes_a_duration_as_seconds_or_minutes(view, qtbot) -> None:
    dialog = SmartPlaylistDialog("Three minutes", SmartRules(RuleGroup("all", ())))
    qtbot.addWidget(dialog)
    row = dialog.root.add_condition()
    row.field.setCurrentIndex(row.field.findData("duration"))
    assert row.value.placeholderText() == "seconds or m:ss"
    assert "4:00" in row.value.toolTip() and "m:ss" in row.field.currentText()
    row.op.setCurrentIndex(row.op.findData("between"))
    row.value.setText("2:59 3:01")
    dialog.accept()
    assert dialog.result_rules().root.items == (Condition("duration", "between", [179, 181]),)
    row.value.setText("2:59..181")  # both forms in one rule
    assert row.condition() == Condition("duration", "between", [179, 181])
    row.op.setCurrentIndex(row.op.findData(">="))
    row.value.setText("4:75")
    dialog._rules = None
    dialog.accept()
    assert dialog.result_rules() is None and "below 60" in dialog.error.text()
    row.value.setText("four minutes")
    dialog.accept()
    assert "seconds (240) or m:ss (4:00)" in dialog.error.text()
    # another field keeps the plain placeholder
    row.field.setCurrentIndex(row.field.findData("year"))
    assert row.value.placeholderText() == "value" and row.value.toolTip() == ""
    # the rule finds the factory's 3:00 tracks in the real database
    dialog = SmartPlaylistDialog("Three minutes", SmartRules(RuleGroup("all", (
        Condition("duration", "between", [179, 181]),))))
    qtbot.addWidget(dialog)
    shown = dialog.root.children_in_order()[0]
    assert shown.value.text() == "2:59 3:01"  # a stored rule reads as it was typed
    dialog.accept()
    view.new_smart_playlist(dialog)
    qtbot.waitUntil(lambda: not view.is_loading())
    assert view.tracks.rowCount() == 6


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen platform, on show()
def test_a_new_empty_playlist_says_how_to_fill_it(view, qtbot) -> None:
    view.resize(1000, 600)
    view.show()
    qtbot.waitExposed(view)
    assert view.empty_hint.isHidden()  # "Mine" has tracks
    playlist = view.new_playlist("Road trip")
    assert playlist is not None and view.title.text() == "Road trip"
    assert view.empty_hint.isVisible()
    assert view.empty_hint.text().startswith("This playlist is empty.")
    assert "Add to playlist" in view.empty_hint.text()
    viewport = view.table.viewport()
    hint = view.empty_hint.geometry()
    assert viewport.rect().contains(hint)
    assert abs(hint.center().x() - viewport.rect().center().x()) <= 2
    # the hint lets drops through to the table underneath
    assert viewport.childAt(viewport.rect().center()) is None
    view.tracks.dropMimeData(track_ids_mime([view.ids[4]]), Qt.DropAction.CopyAction, -1, -1,
                             QModelIndex())
    assert [t.id for t in view.tracks.tracks()] == [view.ids[4]]
    assert view.empty_hint.isHidden()
    view.table.selectRow(0)
    view.remove_selected()
    assert view.tracks.rowCount() == 0 and view.empty_hint.isVisible()
    # Liked Songs and smart playlists say their own thing
    view.select_playlist(view.playlists.playlist_at(0).id)
    assert view.empty_hint.text().startswith("No liked songs yet")
