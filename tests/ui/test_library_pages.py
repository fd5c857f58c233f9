"""Drag and drop from the library onto the sidebar's playlists, reordering a playlist by drag,
the artist page and the album page's play counts, and the track columns' layout: on the real
window over a real database and real audio files.

Drags are real Qt drag events (QDragEnterEvent, QDragMoveEvent, QDropEvent) sent to the
views' viewports, carrying the QMimeData the dragged view's own model makes (what
QAbstractItemView.startDrag puts on a QDrag), so taking away either end fails these tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QImage
from PySide6.QtWidgets import QAbstractItemView, QApplication

from player.app import AppParts
from player.core import rules
from player.db.connection import open_database
from player.library.scanner import Scanner
from player.qt.track_model import NUMBER
from player.services.playlists import PlaylistsService
from tests.factories import have_ffmpeg, make_audio, make_db
from tests.ui.conftest import make_window
from tests.ui.gestures import tracks_at

# folder, file, seconds, title, artist, album, track number
SONGS = [
    ("first", "a.ogg", 4.0, "Alpha", "Ann", "First", "1"),
    ("first", "b.ogg", 8.0, "Bravo", "Ann", "First", "2"),
    ("second", "c.ogg", 4.0, "Charlie", "Ann", "Second", "1"),
    ("third", "d.ogg", 4.0, "Delta", "Ben", "Third", "1"),
]
RED = QColor(200, 30, 30)


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[AppParts]:
    """The window on NullEngine + a fake clock: Ann has two albums (First with a folder
    cover), Ben one."""
    from player.core.clock import FakeClock
    from player.engine.null import NullEngine

    if not have_ffmpeg():
        pytest.skip("needs ffmpeg")
    root = tmp_path / "music"
    for i, (folder, name, seconds, title, artist, album, number) in enumerate(SONGS):
        make_audio(root / folder / name, seconds, freq=330 + 110 * i,
                   metadata={"title": title, "artist": artist, "album": album, "track": number})
    cover = QImage(64, 64, QImage.Format.Format_RGB32)
    cover.fill(RED)
    assert cover.save(str(root / "first" / "cover.png"))
    db = make_db(tmp_path)
    Scanner(db).scan([str(root)])
    clock = FakeClock()
    parts = make_window(qtbot, tmp_path, db, NullEngine(clock=clock), clock)
    parts.clock = clock  # type: ignore[attr-defined]
    yield parts
    parts.shutdown()
    db.close()


# -- helpers --------------------------------------------------------------------------------
def drag_to(view: QAbstractItemView, pos: QPoint, mime: QMimeData,
            action: Qt.DropAction = Qt.DropAction.CopyAction, hovered=None) -> tuple[bool, bool]:
    """Drags mime over view's viewport at pos and drops it there, as Qt's drag manager does.
    Returns (the move was accepted, the drop was accepted); hovered(view) is called while
    the drag is over pos, before the drop."""
    viewport = view.viewport()
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(viewport, QDragEnterEvent(pos, actions, mime, buttons, keys))
    move = QDragMoveEvent(pos, actions, mime, buttons, keys)
    move.setDropAction(action)
    QApplication.sendEvent(viewport, move)
    moved = move.isAccepted()
    if hovered is not None:
        hovered(view)
    drop = QDropEvent(QPointF(pos), actions, mime, buttons, keys)
    drop.setDropAction(action)
    QApplication.sendEvent(viewport, drop)
    return moved, drop.isAccepted()


def dragged(view: QAbstractItemView) -> QMimeData:
    """What dragging view's selection carries: its model's mimeData of the selected indexes,
    as QAbstractItemView.startDrag builds it."""
    indexes = [i for i in view.selectionModel().selectedIndexes()
               if view.model().flags(i) & Qt.ItemFlag.ItemIsDragEnabled]
    assert indexes, "nothing draggable is selected"
    assert view.dragEnabled()
    return view.model().mimeData(indexes)


def select_rows(view: QAbstractItemView, rows: list[int]) -> None:
    flags = QItemSelectionModel.SelectionFlag
    view.selectionModel().clearSelection()
    for row in rows:
        view.selectionModel().select(view.model().index(row, 0), flags.Select | flags.Rows)


def sidebar_point(parts: AppParts, playlist_id: int) -> QPoint:
    sidebar = parts.window.sidebar
    row = sidebar.playlist_rows()[playlist_id]
    return sidebar.visualItemRect(sidebar.item(row)).center()


def new_playlist(qtbot, parts: AppParts, name: str) -> int:
    playlist = parts.services.playlists.create(name)
    # the sidebar hears playlists_changed on the GUI thread
    qtbot.waitUntil(lambda: playlist.id in parts.window.sidebar.playlist_rows(), timeout=3000)
    return playlist.id


def titles(parts: AppParts, playlist_id: int) -> list[str]:
    return [t.title for t in parts.services.playlists.tracks(playlist_id)]


def _listen(parts: AppParts, seconds: float) -> None:
    for _ in range(int(seconds * 10)):
        parts.clock.advance(0.1)  # type: ignore[attr-defined]
        parts.bridge.service.tick()


# -- drag and drop --------------------------------------------------------------------------
def test_tracks_albums_and_artists_drop_onto_a_playlist_in_the_sidebar(qtbot, window) -> None:
    parts, win = window, window.window
    trip = new_playlist(qtbot, parts, "Road trip")
    # Tracks: a multi-selection, in the order shown (sorted by artist, album, number)
    win.show_page("Library", "Tracks")
    table = win.library.tracks_table
    assert [table.model().track_at(r).title for r in range(4)] == ["Alpha", "Bravo", "Charlie", "Delta"]
    select_rows(table, [0, 2])
    seen = []
    assert drag_to(win.sidebar, sidebar_point(parts, trip), dragged(table),
                   hovered=lambda bar: seen.append(bar.drop_target())) == (True, True)
    # while hovering, the playlist it would land on is marked; after the drop, no longer
    assert seen[0] is win.sidebar.item(win.sidebar.playlist_rows()[trip])
    assert win.sidebar.drop_target() is None
    assert titles(parts, trip) == ["Alpha", "Charlie"]
    assert win.statusBar().currentMessage() == "Added 2 tracks to \u201cRoad trip\u201d"
    # Albums: two albums' tracks, album by album, each in its own order
    win.show_page("Library", "Albums")
    grid = win.library.albums
    albums = [grid.model().album_at(r).title for r in range(grid.model().rowCount())]
    select_rows(grid, [albums.index("First"), albums.index("Third")])
    assert drag_to(win.sidebar, sidebar_point(parts, trip), dragged(grid)) == (True, True)
    assert titles(parts, trip) == ["Alpha", "Charlie", "Alpha", "Bravo", "Delta"]
    # Artists: every track of each selected artist (Ben, then Ann)
    win.show_page("Library", "Artists")
    names = win.library.artists.list
    listed = [names.model().item_at(r).name for r in range(names.model().rowCount())]
    select_rows(names, [listed.index("Ben")])
    assert drag_to(win.sidebar, sidebar_point(parts, trip), dragged(names)) == (True, True)
    assert titles(parts, trip)[5:] == ["Delta"]
    select_rows(names, [listed.index("Ann"), listed.index("Ben")])
    assert drag_to(win.sidebar, sidebar_point(parts, trip), dragged(names)) == (True, True)
    assert sorted(titles(parts, trip)[6:]) == ["Alpha", "Bravo", "Charlie", "Delta"]
    # stored: a fresh connection to the same file reads the same playlist
    other = open_database(parts.services.db.path)
    try:
        assert [t.title for t in PlaylistsService(other).tracks(trip)] == titles(parts, trip)
    finally:
        other.close()


def test_smart_playlists_refuse_drops_and_liked_songs_likes_them(qtbot, window) -> None:
    parts, win = window, window.window
    service = parts.services.playlists
    smart = next(p for p in service.all() if p.kind == "smart")
    liked = next(p for p in service.all() if p.kind == "liked")
    table = win.library.tracks_table
    select_rows(table, [1])  # Bravo
    mime = dragged(table)
    before = service.get(smart.id)
    moved, dropped = drag_to(win.sidebar, sidebar_point(parts, smart.id), mime)
    assert (moved, dropped) == (False, False)
    message = win.statusBar().currentMessage()
    assert f"\u201c{smart.name}\u201d is a smart playlist" in message and "rules" in message
    assert service.get(smart.id) == before  # untouched
    assert drag_to(win.sidebar, sidebar_point(parts, liked.id), mime) == (True, True)
    assert titles(parts, liked.id) == ["Bravo"]
    assert win.statusBar().currentMessage() == "Liked 1 track"
    # a page entry is no drop target, nor is a foreign payload
    home = next(r for r in range(win.sidebar.count()) if win.sidebar.item(r).text() == "Home")
    assert drag_to(win.sidebar, win.sidebar.visualItemRect(win.sidebar.item(home)).center(),
                   mime) == (False, False)
    foreign = QMimeData()
    foreign.setText("Alpha")
    trip = new_playlist(qtbot, parts, "Road trip")
    assert drag_to(win.sidebar, sidebar_point(parts, trip), foreign) == (False, False)
    assert titles(parts, trip) == []


def test_dragging_within_a_playlist_reorders_it_for_good(qtbot, window) -> None:
    parts, win = window, window.window
    service = parts.services.playlists
    trip = new_playlist(qtbot, parts, "Road trip")
    by_title = {t.title: t for t in win.library.track_model.all_tracks()}
    service.add(trip, [by_title[n].id for n in ("Alpha", "Bravo", "Charlie", "Delta")])
    # clicking the playlist in the sidebar opens it on the Playlists page
    win.sidebar.setCurrentRow(win.sidebar.playlist_rows()[trip])
    view = win.page("Playlists")
    assert win.current_page() == "Playlists" and view.current_playlist().id == trip
    qtbot.waitUntil(lambda: view.tracks.rowCount() == 4)
    table = view.table
    select_rows(table, [0])  # Alpha, dropped just below Charlie
    charlie = table.visualRect(view.tracks.index(2, 0))
    below = QPoint(charlie.center().x(), charlie.bottom() - 1)
    moved, _dropped = drag_to(table, below, dragged(table), Qt.DropAction.MoveAction)
    assert moved
    assert titles(parts, trip) == ["Bravo", "Charlie", "Alpha", "Delta"]
    assert [view.tracks.track_at(r).title for r in range(4)] == ["Bravo", "Charlie", "Alpha", "Delta"]
    # two rows at once, to the top
    select_rows(table, [2, 3])
    top = table.visualRect(view.tracks.index(0, 0))
    drag_to(table, QPoint(top.center().x(), top.top() + 1), dragged(table), Qt.DropAction.MoveAction)
    assert titles(parts, trip) == ["Alpha", "Delta", "Bravo", "Charlie"]
    # a library track dropped into the playlist's table lands where it is dropped
    win.show_page("Library", "Tracks")
    select_rows(win.library.tracks_table, [2])  # Charlie
    mime = dragged(win.library.tracks_table)
    win.open_playlist(trip)
    drag_to(table, QPoint(top.center().x(), top.top() + 1), mime)
    assert titles(parts, trip) == ["Charlie", "Alpha", "Delta", "Bravo", "Charlie"]
    # the order is stored: a new connection and a new page read it back
    other = open_database(parts.services.db.path)
    try:
        assert [t.title for t in PlaylistsService(other).tracks(trip)] == titles(parts, trip)
    finally:
        other.close()
    view.refresh()
    assert [view.tracks.track_at(r).title for r in range(5)] == titles(parts, trip)


# -- the artist page and the album page's counts --------------------------------------------
def _expected_plays(parts: AppParts) -> dict[int, int]:
    """Plays per track from the stored listens' raw times, by the rulebook (not the flags)."""
    expected: dict[int, int] = {}
    for row in parts.services.history.recent(10_000):
        if row.track_id is None:
            continue
        if row.origin == "encore":
            played = rules.is_play(row.ms_played or 0, row.duration_ms or 0)
        else:
            played = rules.classify_imported(row.ms_played, row.duration_ms, None).is_play
        expected[row.track_id] = expected.get(row.track_id, 0) + int(played)
    return expected


def test_the_artist_page_shows_albums_tracks_time_and_true_play_counts(qtbot, window,
                                                                       tmp_path) -> None:
    parts, win = window, window.window
    service = parts.bridge.service
    tracks = {t.title: t for t in win.library.track_model.all_tracks()}
    # heard live: Alpha to the end (a play), Bravo 1 s of 8 then next (a skip, no play),
    # Alpha again (a play)
    for title, seconds in (("Alpha", 5), ("Bravo", 1), ("Alpha", 5)):
        service.play_tracks([tracks[title]], 0)
        _listen(parts, seconds)
        if service.state.playing:
            service.next()
    service.stop()
    # imported from a Spotify account export: two plays of Charlie, one cut short (no play)
    export = tmp_path / "StreamingHistory_music_0.json"
    rows = [{"endTime": f"2024-03-0{day} 10:00", "artistName": "Ann", "trackName": "Charlie",
             "msPlayed": ms} for day, ms in ((1, 95_000), (2, 1_000), (3, 61_000))]
    export.write_text(json.dumps(rows), encoding="utf-8")
    report = parts.services.history.import_files([export])
    assert report.imported == 3
    expected = _expected_plays(parts)
    assert expected == {tracks["Alpha"].id: 2, tracks["Charlie"].id: 2, tracks["Bravo"].id: 0}
    # Go to artist from the track menu of Bravo
    win.intents.go_to_artist_requested.emit("Ann")
    page = win.library.artist_page
    assert win.library.stack.currentWidget() is page and page.title.text() == "Ann"
    model = page.model
    shown = {model.track_at(r).title: model.index(r, model.plays_column).data()
             for r in range(model.rowCount())}
    assert set(shown) == {"Alpha", "Bravo", "Charlie"}
    for title, text in shown.items():
        plays = expected.get(tracks[title].id, 0)
        assert text == (str(plays) if plays else ""), title
        tip = model.index(list(shown).index(title), model.plays_column).data(Qt.ItemDataRole.ToolTipRole)
        assert tip == ("Never played" if not plays else f"Played {plays} times" if plays > 1 else "Played once")
    total = sum(t.duration for t in (tracks["Alpha"], tracks["Bravo"], tracks["Charlie"]))
    from player.qt.track_model import format_length

    assert page.summary.text() == (f"2 albums \u00b7 3 tracks \u00b7 {format_length(total)} \u00b7 "
                                   f"played 4 times, most: Alpha (2)")
    assert not page.table.isColumnHidden(model.plays_column)
    # the albums, with the cover found in First's folder
    albums = page.album_model
    assert [albums.album_at(r).title for r in range(albums.rowCount())] == ["First", "Second"]
    first = albums.index(0, 0)
    albums.data(first, Qt.ItemDataRole.DecorationRole)  # asks for the cover

    def red_cover() -> bool:
        icon = albums.data(first, Qt.ItemDataRole.DecorationRole)
        image = icon.pixmap(96, 96).toImage()
        return image.pixelColor(image.width() // 2, image.height() // 2) == RED

    qtbot.waitUntil(red_cover, timeout=5000)
    # sorting by Plays puts the most played first
    page.table.sortByColumn(model.plays_column, Qt.SortOrder.DescendingOrder)
    assert model.track_at(2).title == "Bravo"
    # an album on the page opens its album page, with the same counts per track
    page.album_requested.emit(albums.album_at(0))
    album_page = win.library.album_page
    assert win.library.stack.currentWidget() is album_page
    counts = {album_page.model.track_at(r).title:
              album_page.model.index(r, album_page.model.plays_column).data()
              for r in range(album_page.model.rowCount())}
    assert counts == {"Alpha": str(expected[tracks["Alpha"].id]), "Bravo": ""}
    assert album_page.summary.text().endswith("played 2 times, most: Alpha (2)")
    assert album_page.table.isColumnHidden(2) and album_page.table.isColumnHidden(1)  # one artist
    assert [album_page.model.headerData(r, Qt.Orientation.Vertical) for r in range(2)] == ["1", "2"]
    assert album_page.table.verticalHeader().isVisibleTo(album_page)
    assert album_page.back_button.text() == "\u2190 Ann"  # back where it was opened from
    album_page.back_button.click()
    assert win.library.stack.currentWidget() is page
    page.album_requested.emit(albums.album_at(0))
    album_page.artist_button.click()  # and to the artist
    assert win.library.stack.currentWidget() is page and page.title.text() == "Ann"
    # from now playing: Go to artist opens the page of the playing track's artist
    service.play_tracks([tracks["Delta"]], 0)
    qtbot.waitUntil(lambda: win.now_playing.current_track is not None)
    menu = win.now_playing_menu()
    next(a for a in menu.actions() if a.text().startswith("Go to artist")).trigger()
    assert win.library.stack.currentWidget() is page and page.title.text() == "Ben"
    assert page.summary.text().startswith("1 album \u00b7 1 track \u00b7 0:04 \u00b7 ")
    assert page.table.isColumnHidden(model.plays_column)  # Ben never played: no empty column
    assert page.summary.text().endswith("never played")


def test_the_artists_list_opens_the_artist_page_and_back(qtbot, window) -> None:
    win = window.window
    win.show_page("Library", "Artists")
    names = win.library.artists.list
    row = [names.model().item_at(r).name for r in range(names.model().rowCount())].index("Ben")
    names.setCurrentIndex(names.model().index(row, 0))
    qtbot.keyClick(names, Qt.Key.Key_Return)
    page = win.library.artist_page
    assert win.library.stack.currentWidget() is page and page.title.text() == "Ben"
    assert win.library.current_section() == "Artists"
    page.back_requested.emit("Ben")
    assert win.library.stack.currentWidget() is win.library.artists
    assert names.currentIndex().data() == "Ben"


# -- the track columns ----------------------------------------------------------------------
@pytest.fixture
def untagged_window(qtbot, tmp_path: Path) -> Iterator[AppParts]:
    """Long titles and albums, no artist, no genre, no year: what downloaded game music is."""
    from player.core.clock import FakeClock
    from player.engine.null import NullEngine

    if not have_ffmpeg():
        pytest.skip("needs ffmpeg")
    root = tmp_path / "music"
    for i in range(3):
        make_audio(root / f"t{i}.ogg", 2.0, freq=300 + 50 * i,
                   metadata={"title": f"The Long Way Round the Northern Lakes, part {i + 1}",
                             "album": "Field Recordings"})
    db = make_db(tmp_path)
    Scanner(db).scan([str(root)])
    clock = FakeClock()
    parts = make_window(qtbot, tmp_path, db, NullEngine(clock=clock), clock)
    yield parts
    parts.shutdown()
    db.close()


@pytest.mark.parametrize("size", [(800, 600), (1180, 740), (1400, 900)])
def test_an_empty_column_takes_no_room_from_the_title(qtbot, untagged_window, size) -> None:
    win = untagged_window.window
    table, header = tracks_at(qtbot, win, size)
    assert [table.isColumnHidden(c) for c in range(6)] == [False, True, False, True, True, False]
    assert header.length() <= table.viewport().width() + 1  # nothing cut off to the right
    # Title gets its whole text even at 800 px (the empty Artist column once took 200 px)
    assert header.sectionSize(0) >= table.sizeHintForColumn(0), size
    assert header.sectionSize(5) >= table.sizeHintForColumn(5)  # Length fits its text
    # Album keeps its whole text too; what is left goes to Title
    assert header.sectionSize(2) >= table.sizeHintForColumn(2)
    assert header.sectionSize(0) >= header.sectionSize(2)


@pytest.mark.parametrize("size", [(800, 600), (1180, 740), (1400, 900)])
def test_columns_size_by_content_with_title_and_album_stretching(qtbot, window, size) -> None:
    win = window.window
    table, header = tracks_at(qtbot, win, size)
    width = table.viewport().width()
    assert header.length() <= width + 1
    assert table.isColumnHidden(3) and table.isColumnHidden(4)  # no genre, no year here
    # Artist: its text (short names here), not a fixed 200 px
    artist = header.sectionSize(1)
    assert artist >= max(table.sizeHintForColumn(1), header.sectionSizeHint(1)) - 1
    assert artist <= max(table.sizeHintForColumn(1), header.sectionSizeHint(1)) + 1
    assert header.sectionSize(5) >= table.sizeHintForColumn(5)
    # the track numbers ("#", tagged here): their text
    number = header.sectionSize(NUMBER)
    assert not table.isColumnHidden(NUMBER) and number >= table.sizeHintForColumn(NUMBER)
    # what is left goes to Title and Album
    assert (header.sectionSize(0) + header.sectionSize(2)
            >= width - artist - header.sectionSize(5) - number - 2)


def test_a_column_the_user_resized_keeps_its_width(qtbot, window) -> None:
    win = window.window
    table, header = tracks_at(qtbot, win, (1180, 740))
    win.library.filter_edit.setText("zzz")  # hides every row; columns come and go
    win.library.filter_edit.setText("")
    win.resize(1000, 700)
    win.resize(1180, 740)
    QApplication.processEvents()
    assert not table.user_sized  # nothing the user did
    fitted = header.sectionSize(1)
    header.resizeSection(1, fitted + 90)  # what dragging the header's edge does
    win.library.filter_edit.setText("a")  # a reset of the model: columns are fitted again
    win.resize(1200, 740)
    QApplication.processEvents()
    assert header.sectionSize(1) == fitted + 90
    assert header.length() <= table.viewport().width() + 1


def test_go_to_artist_on_a_compilation_track_goes_to_the_performer(qtbot, window) -> None:
    import dataclasses

    from PySide6.QtWidgets import QMenu

    from player.ui.track_menu import go_to_actions

    win = window.window
    alpha = next(t for t in win.library.track_model.all_tracks() if t.title == "Alpha")
    on_a_compilation = dataclasses.replace(alpha, album_artist="Various Artists")
    menu = QMenu()
    go_to_actions(menu, win.intents, on_a_compilation)
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Go to artist: Ann", "Go to album artist: Various Artists", "Go to album: First"]
    menu.actions()[0].trigger()
    page = win.library.artist_page
    assert win.library.stack.currentWidget() is page and page.title.text() == "Ann"
    go_to_actions(menu := QMenu(), win.intents, alpha)  # one artist: one entry
    assert [a.text() for a in menu.actions()] == ["Go to artist: Ann", "Go to album: First"]


@pytest.mark.parametrize("size", [(800, 600), (1180, 740), (1400, 900)])
def test_a_playlists_tracks_fit_the_page(qtbot, window, size) -> None:
    parts, win = window, window.window
    trip = new_playlist(qtbot, parts, "Road trip")
    parts.services.playlists.add(trip, [t.id for t in win.library.track_model.all_tracks()])
    win.resize(*size)
    win.open_playlist(trip)
    view = win.page("Playlists")
    qtbot.waitUntil(lambda: view.tracks.rowCount() == 4)
    QApplication.processEvents()
    table, header = view.table, view.table.horizontalHeader()
    assert header.length() <= table.viewport().width() + 1  # nothing cut off to the right
    assert table.isColumnHidden(3) and table.isColumnHidden(4)  # no genre, no year
    assert header.sectionSize(0) >= table.sizeHintForColumn(0)  # every title whole
    assert header.sectionSize(5) >= table.sizeHintForColumn(5)
