"""The GUI and the CLI show the same recap; paging, the year picker and the exports work."""

from __future__ import annotations

import base64
import json
import re

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage

from player.cli import main
from player.ui.recap.export import LANDSCAPE, PORTRAIT
from player.ui.recap.view import RecapView
from tests.recap import fixture


@pytest.fixture
def history(db):
    fixture.build(db)
    return db


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_gui_and_cli_show_the_same_numbers(qtbot, history, capsys) -> None:
    code, out, _ = run_cli(capsys, "--db", history.path, "recap", "2025", "--json")
    assert code == 0
    cli = json.loads(out)
    view = RecapView(history)
    qtbot.addWidget(view)
    view.set_year(2025)
    assert cli["recap"] == json.loads(json.dumps(view.recap.to_dict()))
    assert cli["pages"] == [page.lines() for page in view.pages]
    assert cli["recap"]["minutes"] == 57 and cli["recap"]["plays"] == 17
    # The words painted on the first page carry the same figure.
    assert view.current_page.big == "57 minutes"


def test_cli_text_lists_every_page(history, capsys) -> None:
    code, out, _ = run_cli(capsys, "--db", history.path, "recap", "2025")
    assert code == 0
    assert out.count("== ") == 15
    assert "Beta — Ann: 7 plays · 21 min" in out
    assert "4 times in a row" in out


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform's own remark
def test_paging_with_keys_and_clicks(qtbot, history) -> None:
    view = RecapView(history)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.set_year(2025)
    assert view.index == 0
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.index == 2
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.index == 1
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.current_page.key == "outro"
    qtbot.keyClick(view, Qt.Key.Key_Right)  # stays on the last page
    assert view.current_page.key == "outro"
    canvas = view.canvas
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPointF(20, 100).toPoint())
    assert view.index == len(view.pages) - 2
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton,
                     pos=QPointF(canvas.width() - 20, 100).toPoint())
    assert view.index == len(view.pages) - 1
    assert not view.forward_button.isEnabled()
    assert view.page_label.text() == f"{len(view.pages)} / {len(view.pages)}"


def test_year_picker_lists_every_year_with_listens(qtbot, history) -> None:
    view = RecapView(history)
    qtbot.addWidget(view)
    years = [view.year_box.itemData(i) for i in range(view.year_box.count())]
    assert years == [2026, 2025, 2024]
    assert view.year == 2026  # newest first
    assert [p.key for p in view.pages] == ["intro", "top_tracks", "tiny"]
    view.year_box.setCurrentIndex(1)
    assert view.year == 2025 and len(view.pages) == 15 and view.index == 0


def test_an_empty_library_says_so_kindly(qtbot, db) -> None:
    view = RecapView(db)
    qtbot.addWidget(view)
    assert [p.key for p in view.pages] == ["empty"]
    assert "yet" in view.current_page.title
    assert view.current_page.note and view.current_page.chart is None


def test_cards_in_both_shapes(qtbot, history, tmp_path) -> None:
    view = RecapView(history)
    qtbot.addWidget(view)
    view.set_year(2025)
    view.go_to(5)  # the listening clock
    view.export_card(str(tmp_path / "p.png"), PORTRAIT)
    view.export_card(str(tmp_path / "l.png"), LANDSCAPE)
    portrait, landscape = QImage(str(tmp_path / "p.png")), QImage(str(tmp_path / "l.png"))
    assert (portrait.width(), portrait.height()) == (1080, 1920)
    assert (landscape.width(), landscape.height()) == (1920, 1080)
    # Painted, not blank: the background gradient differs from corner to corner.
    assert portrait.pixel(5, 5) != portrait.pixel(1070, 1910)


def test_html_is_one_self_contained_file(qtbot, history, tmp_path) -> None:
    view = RecapView(history)
    qtbot.addWidget(view)
    view.set_year(2025)
    view.export_html(str(tmp_path / "recap.html"))
    text = (tmp_path / "recap.html").read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert len(images) == len(view.pages) == 15
    assert all(base64.b64decode(i)[:8] == b"\x89PNG\r\n\x1a\n" for i in images)
    assert not re.search(r"(?:src|href)=\"(?!data:)", text)  # nothing outside the file
    assert "57 minutes" in text and "Beta — Ann: 7 plays · 21 min" in text


def test_cli_out_writes_cards_and_html(history, tmp_path, capsys) -> None:
    code, out, _ = run_cli(capsys, "--db", history.path, "recap", "2026", "--out",
                           str(tmp_path / "cards"), "--json")
    assert code == 0
    files = sorted(p.name for p in (tmp_path / "cards").iterdir())
    assert files == sorted(json.loads(out)["files"][i].split("/")[-1] for i in range(7))
    assert "recap-2026-03-tiny-portrait.png" in files and "recap-2026.html" in files
    assert len(files) == 3 * 2 + 1


def test_cli_bad_input(history, tmp_path, capsys) -> None:
    target = tmp_path / "a-file"
    target.write_text("keep me")
    code, _, err = run_cli(capsys, "--db", history.path, "recap", "2025", "--out", str(target))
    assert code == 2 and "not a folder" in err
    assert target.read_text() == "keep me"
    with pytest.raises(SystemExit):
        main(["--db", history.path, "recap", "twenty"])
    assert "is not a year" in capsys.readouterr().err
