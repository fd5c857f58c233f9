"""Small dialogs: first run, scan issues (track info lives in track_info.py)."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from player.core.paths import display
from player.ui.file_dialogs import start_folder
from player.ui.track_info import TrackInfoDialog


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
        folder = QFileDialog.getExistingDirectory(self, "Choose your music folder", start_folder())
        if folder:
            self._accept([folder])

    def _accept(self, folders: list[str]) -> None:
        self._folders = folders
        self.accept()

    def folders(self) -> list[str]:
        return self._folders


class ScanIssuesDialog(QDialog):
    """Every file Encore could not use and why: read by the scanner or decoded by the audio
    analysis (issues: ScanIssue or services.file_problems.FileProblem)."""

    def __init__(self, issues, parent=None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # opened with open(): gone once closed
        self.setWindowTitle("Files Encore could not read")
        self.resize(960, 420)
        self.table = QTableWidget(len(issues), 4)
        self.table.setHorizontalHeaderLabels(["File", "Why", "While", "Seen"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, issue in enumerate(issues):
            seen = time.strftime("%Y-%m-%d %H:%M", time.localtime(issue.seen_at)) if issue.seen_at else ""
            stage = getattr(issue, "stage", "Reading the file")
            for column, text in enumerate((display(issue.path), issue.reason, stage, seen)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        noun = "file or folder" if len(issues) == 1 else "files or folders"
        self.summary = QLabel(
            f"{len(issues)} {noun} could not be read or analysed. The rest of the library is "
            "fine; fix or remove these files and rescan (File \u2192 Rescan library)."
            if issues else "Every file was read and analysed.")
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


__all__ = ["FirstRunDialog", "ScanIssuesDialog", "TrackInfoDialog"]
