"""The tag editor dialog on real files: "(various)" fields stay untouched unless typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from player.db.connection import Database
from player.db.tracks import TrackRepository
from player.library.scanner import Scanner
from player.library.tag_editing import TagEditingService
from player.tags import read_tags
from player.ui.tag_editor import VARIOUS_TEXT, TagEditorDialog
from tests.factories import have_ffmpeg, make_audio

pytestmark = pytest.mark.skipif(not have_ffmpeg(), reason="ffmpeg makes the audio files")


def _tracks(db: Database, folder: Path) -> list[int]:
    make_audio(folder / "a.flac", metadata={"title": "One", "artist": "Same", "album": "X"})
    make_audio(folder / "b.mp3", metadata={"title": "Two", "artist": "Same", "album": "Y"})
    Scanner(db, workers=1).scan([str(folder)])
    return [t.id for t in TrackRepository(db).all()]


def test_batch_editor_writes_only_typed_fields(qtbot, db: Database, tmp_path: Path) -> None:
    ids = _tracks(db, tmp_path / "Music")
    dialog = TagEditorDialog(TagEditingService(db), ids)
    qtbot.addWidget(dialog)
    assert dialog.fields["artist"].text() == "Same"
    assert dialog.fields["title"].text() == "" and dialog.fields["title"].placeholderText() == VARIOUS_TEXT
    assert dialog.fields["album"].placeholderText() == VARIOUS_TEXT
    qtbot.keyClicks(dialog.fields["artist"], "; Guest")
    reports = []
    dialog.edited.connect(reports.append)
    dialog.save()
    assert reports and sorted(reports[0].edited) == sorted(ids)
    for track in TrackRepository(db).all():
        tags = read_tags(track.path)
        assert tags.artists == ("Same", "Guest")
        assert tags.title in ("One", "Two") and tags.album in ("X", "Y")  # untouched


def test_a_failed_write_is_shown_with_the_reason(qtbot, db: Database, tmp_path: Path,
                                                 monkeypatch) -> None:
    ids = _tracks(db, tmp_path / "Music")
    track = TrackRepository(db).get(ids[0])
    assert track is not None
    Path(track.path).unlink()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    dialog = TagEditorDialog(TagEditingService(db), ids)
    qtbot.addWidget(dialog)
    dialog.fields["genre"].setText("Jazz")
    dialog.touched.add("genre")
    dialog.save()
    assert shown and "1 track edited, 1 not edited" in shown[0] and "missing" in shown[0]


def test_track_info_opens_the_tag_editor(qtbot, db: Database) -> None:
    from PySide6.QtWidgets import QPushButton

    from player.ui.dialogs import TrackInfoDialog
    from tests.factories import add_tracks

    add_tracks(db, 1)
    asked: list[bool] = []
    track = TrackRepository(db).all()[0]
    dialog = TrackInfoDialog(track, on_edit=lambda: asked.append(True))
    qtbot.addWidget(dialog)
    button = next(b for b in dialog.findChildren(QPushButton) if b.text().startswith("Edit tags"))
    button.click()
    assert asked == [True]
