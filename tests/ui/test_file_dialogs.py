"""Every file dialog opens in the person's Music folder (else home), never the working directory.

Each dialog is opened through the real widget's own code and read while it is up (Qt's own
non-native dialog here), then cancelled.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from player.ui.dialogs import FirstRunDialog
from player.ui.file_dialogs import start_folder, start_path
from player.ui.import_dialog import ImportDialog
from player.ui.playlists import PlaylistsView
from player.ui.recap.view import RecapView
from player.ui.settings_dialog import SettingsDialog
from tests.recap import fixture


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    """A home with no Music folder yet, and a working directory elsewhere."""
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("XDG_MUSIC_DIR", raising=False)
    elsewhere = tmp_path / "checkout"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return home


def opened(open_dialog) -> tuple[str, list[str]]:
    """(folder shown, files selected) of the QFileDialog open_dialog brings up; cancels it."""
    seen: dict[str, object] = {}
    tries = [0]

    def read_and_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog):
            seen["folder"] = dialog.directory().absolutePath()
            seen["files"] = dialog.selectedFiles()
            dialog.reject()
        elif tries[0] < 200:
            tries[0] += 1
            QTimer.singleShot(25, read_and_cancel)

    QTimer.singleShot(0, read_and_cancel)
    open_dialog()
    assert "folder" in seen, "no file dialog came up"
    return str(seen["folder"]), list(seen["files"])  # type: ignore[arg-type]


def test_start_folder_is_music_else_home(home: Path) -> None:
    assert start_folder() == str(home)
    (home / "Music").mkdir()
    assert start_folder() == str(home / "Music")
    assert start_path("a.m3u8") == str(home / "Music" / "a.m3u8")


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen platform, on show()
def test_every_file_dialog_opens_in_music_or_home(qtbot, db, home: Path) -> None:
    fixture.build(db)  # a year of listens for the recap, and tracks for the playlist
    playlists = PlaylistsView(db)
    qtbot.addWidget(playlists)
    playlists.new_playlist("Road trip")
    playlists.add_tracks(playlists.current_playlist().id, [1])
    settings = SettingsDialog(db)
    qtbot.addWidget(settings)
    first_run = FirstRunDialog(str(home / "Music"), "/demo")
    qtbot.addWidget(first_run)
    pool = QThreadPool()
    history = ImportDialog(db, pool)
    qtbot.addWidget(history)
    recap = RecapView(db)
    qtbot.addWidget(recap)
    recap.set_year(2025)
    folder_dialogs = {
        "playlist import": lambda: playlists.import_files(),
        "history import": history.choose_files,
        "settings add folder": settings._choose_folder,
        "first run folder": first_run._choose,
    }
    save_dialogs = {
        "playlist export": (lambda: playlists.export_current(), "Road trip.m3u8"),
        "history export": (settings._export, "encore-history-"),
        "recap html": (recap._ask_html, "your-2025-in-music.html"),
        "recap card": (lambda: recap._ask_card((1080, 1080)), ".png"),
    }
    for music in (home, home / "Music"):  # no Music folder yet: home; then Music
        music.mkdir(exist_ok=True)
        for name, open_dialog in folder_dialogs.items():
            assert opened(open_dialog)[0] == str(music), name
        for name, (open_dialog, file_name) in save_dialogs.items():
            folder, files = opened(open_dialog)
            assert folder == str(music), name
            assert len(files) == 1 and Path(files[0]).parent == music, name
            assert file_name in Path(files[0]).name, name
    pool.waitForDone()


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_file_add_music_folder_opens_in_music(null_window, home: Path) -> None:
    (home / "Music").mkdir()
    menu = null_window.window.menuBar().actions()[0].menu()
    action = next(a for a in menu.actions() if a.text().startswith("Add music folder"))
    assert opened(action.trigger)[0] == str(home / "Music")
