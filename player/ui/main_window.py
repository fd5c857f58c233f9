"""The main window: a searchable track table and a status bar with scan progress."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from player.core.models import Track
from player.qt.track_model import TrackTableModel


class MainWindow(QMainWindow):
    play_requested = Signal(object)  # Track

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Encore")
        self.resize(1100, 700)
        self.model = TrackTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter_edit = QLineEdit(placeholderText="Filter by title, artist, album or genre")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_double_click)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table)
        self.setCentralWidget(central)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)

    def show_tracks(self, tracks: list[Track]) -> None:
        self.model.set_tracks(tracks)
        self.table.resizeColumnsToContents()
        self.status_label.setText(f"{len(tracks)} tracks")

    def show_scan_progress(self, done: int, total: int, current: str) -> None:
        self.statusBar().showMessage(f"Scanning {done}/{total}")

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _on_double_click(self, index) -> None:
        track = self.proxy.data(index, Qt.ItemDataRole.UserRole)
        if track is not None:
            self.play_requested.emit(track)
