"""The Tracks view's "#" column: the track number of each file's real tags (a later disc as
"2-01", as on an album page), shown first, sortable, fitted to its text, hidden when no track
has a number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from player.app import AppParts
from player.library.scanner import Scanner
from player.qt.track_model import NUMBER
from player.tags.reader import read_tags
from tests.factories import have_ffmpeg, make_audio, make_db
from tests.ui.conftest import make_window
from tests.ui.gestures import tracks_at

FILES = [  # name, tags beyond the title
    ("a.ogg", {"track": "2", "album": "Tides"}),
    ("b.ogg", {"track": "1", "album": "Tides"}),
    ("c.ogg", {"track": "1", "disc": "2", "album": "Tides"}),
    ("d.ogg", {"album": "Loose"}),  # no number
    ("e.ogg", {"track": "10", "album": "Tides"}),
]


def _window(qtbot, tmp_path: Path, files) -> Iterator[AppParts]:
    from player.core.clock import FakeClock
    from player.engine.null import NullEngine

    if not have_ffmpeg():
        pytest.skip("needs ffmpeg")
    for i, (name, tags) in enumerate(files):
        make_audio(tmp_path / "music" / name, 1.0, freq=300 + 40 * i,
                   metadata={"title": f"Song {name[0].upper()}", **tags})
    db = make_db(tmp_path)
    Scanner(db).scan([str(tmp_path / "music")])
    clock = FakeClock()
    parts = make_window(qtbot, tmp_path, db, NullEngine(clock=clock), clock)
    yield parts
    parts.shutdown()
    db.close()


@pytest.fixture
def numbered(qtbot, tmp_path: Path) -> Iterator[AppParts]:
    yield from _window(qtbot, tmp_path, FILES)


@pytest.fixture
def unnumbered(qtbot, tmp_path: Path) -> Iterator[AppParts]:
    yield from _window(qtbot, tmp_path, [("x.ogg", {"album": "A"}), ("y.ogg", {"album": "A"})])


def expected_number(path: str) -> str:
    """What the file's own tags say, read again from the file."""
    tags = read_tags(path)
    if not tags.track_number:
        return ""
    if (tags.disc_number or 1) > 1:
        return f"{tags.disc_number}-{tags.track_number:02d}"
    return str(tags.track_number)


def shown_numbers(table) -> list[str]:
    model = table.model()
    return [model.index(r, NUMBER).data() for r in range(model.rowCount())]


def test_the_number_column_shows_each_files_track_number_first(qtbot, numbered) -> None:
    win = numbered.window
    table, header = tracks_at(qtbot, win, (1180, 740))
    model = table.model()
    assert model.headerData(NUMBER, Qt.Orientation.Horizontal) == "#"
    assert header.logicalIndex(0) == NUMBER  # the first column on screen
    by_path = {model.track_at(r).path: model.index(r, NUMBER).data() for r in range(model.rowCount())}
    assert by_path == {path: expected_number(path) for path in by_path}
    # the tags really were read: the fixture's numbers, a second disc, one without
    assert sorted(by_path.values()) == sorted(["2", "1", "2-01", "", "10"])
    # fitted to its text like Year and Length: no wider than it needs, nothing cut off
    assert not table.isColumnHidden(NUMBER)
    assert header.sectionSize(NUMBER) == table.columns.needs(NUMBER)
    assert header.sectionSize(NUMBER) >= table.fontMetrics().horizontalAdvance("2-01")
    assert header.sectionSize(NUMBER) < header.sectionSize(0) / 2  # Title keeps the room
    assert header.length() <= table.viewport().width() + 1


def test_a_click_on_the_number_header_sorts_by_disc_then_number(qtbot, numbered) -> None:
    win = numbered.window
    win.show_page("Library", "Tracks")
    QApplication.processEvents()
    table = win.library.tracks_table
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(NUMBER) + header.sectionSize(NUMBER) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))
    assert header.sortIndicatorSection() == NUMBER
    first = shown_numbers(table)
    assert first in (["", "1", "2", "10", "2-01"], ["2-01", "10", "2", "1", ""])  # 10 after 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))
    assert shown_numbers(table) == list(reversed(first))


def test_the_album_page_keeps_its_row_numbers_and_no_second_column(qtbot, numbered) -> None:
    win = numbered.window
    tides = next(t for t in win.library.track_model.all_tracks() if t.album == "Tides")
    win.library.go_to_album(tides)
    page = win.library.album_page
    assert page.table.isColumnHidden(NUMBER) and page.table.verticalHeader().isVisible()


def test_no_number_in_any_tag_hides_the_column(qtbot, unnumbered) -> None:
    win = unnumbered.window
    win.show_page("Library", "Tracks")
    table = win.library.tracks_table
    assert table.model().rowCount() == 2 and shown_numbers(table) == ["", ""]
    assert table.isColumnHidden(NUMBER)
