"""Every item model passes qtmodeltester; filtering and sorting do what users expect."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QModelIndex, Qt

from player.core.models import Track
from player.db.listens import ListenRow
from player.qt.album_model import AlbumGridModel, group_albums
from player.qt.history_model import HistoryModel
from player.qt.name_model import NameCountModel, artist_counts, genre_counts
from player.qt.queue_model import MIME_TYPE, QueueModel, drop_target
from player.qt.track_model import TrackTableModel


def _tracks() -> list[Track]:
    return [
        Track(1, "/m/a.ogg", "Blue Train", "John Coltrane", "Blue Train", genre="Jazz", year=1957,
              duration=643, track_number=1),
        Track(2, "/m/b.ogg", "Moment's Notice", "John Coltrane", "Blue Train", genre="Jazz",
              duration=550, track_number=2),
        Track(3, "/m/c.ogg", "Paranoid", "Black Sabbath", "Paranoid", genre="Rock; Metal",
              year=1970, duration=170),
        Track(4, "/m/d.ogg", "Untitled", "", "", duration=60),
    ]


def _titles(model: TrackTableModel) -> list[str]:
    return [model.track_at(r).title for r in range(model.rowCount())]


def test_track_model_passes_modeltester(qtmodeltester) -> None:
    model = TrackTableModel(_tracks())
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_filter("blue")
    qtmodeltester.check(model)


def test_user_role_returns_the_track() -> None:
    model = TrackTableModel(_tracks())
    assert model.data(model.index(2, 0), Qt.ItemDataRole.UserRole) == _tracks()[2]


def test_filter_matches_every_word_in_title_artist_album_or_genre() -> None:
    model = TrackTableModel(_tracks())
    model.set_filter("metal")  # genre
    assert _titles(model) == ["Paranoid"]
    model.set_filter("coltrane notice")  # artist + title
    assert _titles(model) == ["Moment's Notice"]
    model.set_filter("COLTRANE")
    assert sorted(_titles(model)) == ["Blue Train", "Moment's Notice"]
    model.set_filter("")
    assert model.rowCount() == 4


def test_narrowing_filter_gives_the_same_rows_as_a_fresh_one() -> None:
    model = TrackTableModel(_tracks())
    for text in ("b", "bl", "bla", "blac", "black"):
        model.set_filter(text)
    fresh = TrackTableModel(_tracks())
    fresh.set_filter("black")
    assert _titles(model) == _titles(fresh) == ["Paranoid"]
    model.set_filter("blue")  # not a narrowing: starts over
    assert sorted(_titles(model)) == ["Blue Train", "Moment's Notice"]


def test_sort_by_column_and_keep_the_sort_while_filtering() -> None:
    model = TrackTableModel(_tracks())
    model.sort(5, Qt.SortOrder.AscendingOrder)  # length
    assert _titles(model) == ["Untitled", "Paranoid", "Moment's Notice", "Blue Train"]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert _titles(model) == ["Untitled", "Paranoid", "Moment's Notice", "Blue Train"]
    model.set_filter("ti")
    assert _titles(model) == ["Untitled", "Moment's Notice"]


def test_sort_keeps_persistent_indexes_on_their_track() -> None:
    from PySide6.QtCore import QPersistentModelIndex

    model = TrackTableModel(_tracks())
    held = QPersistentModelIndex(model.index(0, 0))
    track = model.track_at(0)
    model.sort(5, Qt.SortOrder.AscendingOrder)
    assert model.track_at(held.row()) == track


def test_album_grouping_and_model(qtmodeltester, qapp) -> None:
    albums = group_albums(_tracks())
    assert [(a.title, a.artist, len(a.tracks)) for a in albums] == [
        ("Paranoid", "Black Sabbath", 1), ("Blue Train", "John Coltrane", 2)]
    assert [t.title for t in albums[1].tracks] == ["Blue Train", "Moment's Notice"]
    model = AlbumGridModel()
    model.set_tracks(_tracks())
    qtmodeltester.check(model)
    assert model.data(model.index(1, 0), Qt.ItemDataRole.UserRole) == albums[1]
    model.set_filter("sabbath")
    assert model.rowCount() == 1


def test_name_counts_and_model(qtmodeltester) -> None:
    assert [(n.name, n.count) for n in artist_counts(_tracks())] == [
        ("Black Sabbath", 1), ("John Coltrane", 2), ("Unknown artist", 1)]
    assert [n.name for n in genre_counts(_tracks())] == ["Jazz", "Metal", "No genre", "Rock"]
    model = NameCountModel()
    model.set_items(genre_counts(_tracks()))
    qtmodeltester.check(model)
    model.set_filter("ro")
    assert model.data(model.index(0, 0), Qt.ItemDataRole.UserRole).name == "Rock"


def test_queue_model_drop_asks_for_a_move(qtmodeltester, qtbot) -> None:
    model = QueueModel()
    model.set_queue(_tracks(), 1)
    qtmodeltester.check(model)
    mime = model.mimeData([model.index(0, 0)])
    assert mime.hasFormat(MIME_TYPE)
    with qtbot.waitSignal(model.move_requested) as blocker:
        model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert blocker.args == [0, 2]  # dropped before row 3 -> ends at index 2
    assert model.rowCount() == 4  # unchanged until the service says so
    assert not model.dropMimeData(QMimeData(), Qt.DropAction.MoveAction, 0, 0, QModelIndex())


def test_drop_target() -> None:
    assert drop_target(0, 3, 4) == 2
    assert drop_target(3, 0, 4) == 0
    assert drop_target(1, -1, 4) == 3


def _listen(listen_id: int, started_at: float, ms_played: int, end_reason: str,
            **flags: bool) -> ListenRow:
    values = {"is_play": False, "is_skip": False, "is_early_skip": False, "is_repeat": False}
    values.update(flags)
    return ListenRow(listen_id, 1, started_at, 0, ms_played, 643000, end_reason, ms_played,
                     "library", "", 1, False, "off", None, origin="encore",
                     title="Blue Train", artist="Coltrane", **values)


def test_history_model_marks_skips_and_repeats(qtmodeltester) -> None:
    entries = [
        _listen(2, 1_700_000_100, 5000, "next", is_skip=True, is_early_skip=True),
        _listen(1, 1_700_000_000, 643000, "finished", is_play=True, is_repeat=True),
    ]
    model = HistoryModel()
    model.set_entries(entries)
    qtmodeltester.check(model)
    assert model.data(model.index(0, 4)) == "early skip"
    assert model.data(model.index(1, 4)) == "repeat"
    assert model.data(model.index(0, 3)) == "0:05 / 10:43"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.UserRole) == entries[1]


def test_a_compilation_without_album_artist_stays_one_album() -> None:
    tracks = [Track(i, f"/m/mix/{i}.ogg", f"Song {i}", f"Artist {i}", "Summer Mix") for i in range(3)]
    tracks.append(Track(9, "/m/other/9.ogg", "Other", "Artist 9", "Summer Mix"))
    albums = group_albums(tracks)
    assert [(a.artist, len(a.tracks)) for a in albums] == [("Artist 9", 1), ("Various artists", 3)]
