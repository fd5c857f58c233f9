"""Small dialogs: first run, scan issues, track info."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from player.core.paths import display
from player.qt.track_model import format_length


class FirstRunDialog(QDialog):
    """Choose the music folder or start with the demo music. folders() is the answer."""

    def __init__(self, suggested: str, demo: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Encore")
        self._demo = demo
        self._folders: list[str] = []
        heading = QLabel("Welcome to Encore")
        heading.setObjectName("pageTitle")
        text = QLabel("Encore plays the music on this computer and learns what you like, "
                      "entirely offline. Where is your music?")
        text.setWordWrap(True)
        self.choose_button = QPushButton("Choose music folder\u2026")
        self.suggested_button = QPushButton(f"Use {display(suggested)}")
        self.demo_button = QPushButton("Try the demo music")
        self.choose_button.clicked.connect(self._choose)
        self.suggested_button.clicked.connect(lambda: self._accept([suggested]))
        self.demo_button.clicked.connect(lambda: self._accept([demo]))
        self.suggested_button.setVisible(suggested != demo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(text)
        for button in (self.suggested_button, self.choose_button, self.demo_button):
            layout.addWidget(button)
        self.setMinimumWidth(440)

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose your music folder")
        if folder:
            self._accept([folder])

    def _accept(self, folders: list[str]) -> None:
        self._folders = folders
        self.accept()

    def folders(self) -> list[str]:
        return self._folders


class ScanIssuesDialog(QDialog):
    """Every file the scanner could not read, and why."""

    def __init__(self, issues, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Files Encore could not read")
        self.resize(900, 420)
        self.table = QTableWidget(len(issues), 3)
        self.table.setHorizontalHeaderLabels(["File", "Why", "Seen"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, issue in enumerate(issues):
            seen = time.strftime("%Y-%m-%d %H:%M", time.localtime(issue.seen_at)) if issue.seen_at else ""
            for column, text in enumerate((display(issue.path), issue.reason, seen)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        noun = "file or folder" if len(issues) == 1 else "files or folders"
        summary = QLabel(f"{len(issues)} {noun} could not be read. The rest of the library is "
                         "fine; fix or remove these files and rescan (File \u2192 Rescan library)."
                         if issues else "Every file was read.")
        summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


def _track_fields(track) -> list[tuple[str, str]]:
    def opt(value) -> str:
        return "" if value in (None, 0, "") else str(value)

    return [
        ("Title", track.title), ("Artist", track.artist), ("Album", track.album),
        ("Album artist", track.album_artist), ("Genre", track.genre), ("Year", opt(track.year)),
        ("Track", opt(track.track_number)), ("Disc", opt(track.disc_number)),
        ("Length", format_length(track.duration)), ("Format", track.codec),
        ("Bitrate", f"{track.bitrate // 1000} kb/s" if track.bitrate else ""),
        ("Sample rate", f"{track.sample_rate} Hz" if track.sample_rate else ""),
        ("ReplayGain", f"{track.rg_track_gain:+.2f} dB" if track.rg_track_gain is not None else ""),
        ("File", display(track.path)),
    ]


class TrackInfoDialog(QDialog):
    def __init__(self, track, parent=None, on_edit=None) -> None:
        """on_edit: opens the tag editor on this track (an "Edit tags..." button)."""
        super().__init__(parent)
        self.setWindowTitle(f"Track info: {track.title}")
        form = QFormLayout()
        for name, value in _track_fields(track):
            if value:
                label = QLabel(value)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                label.setWordWrap(True)
                form.addRow(name, label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        if on_edit is not None:
            edit = buttons.addButton("Edit tags\u2026", QDialogButtonBox.ButtonRole.ActionRole)

            def edit_tags() -> None:
                self.accept()
                on_edit()

            edit.clicked.connect(edit_tags)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
