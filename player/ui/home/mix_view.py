"""A mix as a track list with the reason for every pick; play from any row; "Don't recommend
this" removes a track here and asks (via a signal) that it never be recommended again."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

COLUMNS = ("#", "Title", "Artist", "Album", "Why")


class MixView(QWidget):
    play_requested = Signal(list, int, str, str)  # tracks, start index, source, source id
    dont_recommend_requested = Signal(object)  # Track
    back_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.tracks: list = []
        self.reasons: list[str] = []
        self.source, self.source_id = "", ""
        self.back = QPushButton("← Home")
        self.back.clicked.connect(self.back_requested)
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.description = QLabel()
        self.play = QPushButton("▶ Play")
        self.play.clicked.connect(lambda: self._play_from(0))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.table.doubleClicked.connect(lambda index: self._play_from(index.row()))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addStretch(1)
        top.addWidget(self.play)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.heading)
        layout.addWidget(self.description)
        layout.addWidget(self.table, 1)

    def show_mix(self, title: str, description: str, tracks: list, reasons: list[str],
                 source: str, source_id: str) -> None:
        self.tracks, self.reasons = list(tracks), list(reasons)
        self.source, self.source_id = source, source_id
        self.heading.setText(title)
        self.description.setText(f"{description} · {len(tracks)} tracks")
        self.description.setWordWrap(True)
        self._fill()
        self.table.clearSelection()
        self.table.scrollToTop()  # a new mix opens at its first track, not at the last one's row

    def _fill(self) -> None:
        self.table.setRowCount(len(self.tracks))
        for row, (track, reason) in enumerate(zip(self.tracks, self.reasons, strict=True)):
            values = (str(row + 1), track.title, track.artist, track.album, reason)
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        for col, cap in ((1, 320), (2, 200), (3, 220)):
            self.table.setColumnWidth(col, min(cap, self.table.columnWidth(col)))
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)

    def _play_from(self, row: int) -> None:
        if self.tracks:
            self.play_requested.emit(list(self.tracks), max(0, row), self.source, self.source_id)

    def dont_recommend(self, row: int) -> None:
        if 0 <= row < len(self.tracks):
            track = self.tracks.pop(row)
            self.reasons.pop(row)
            self._fill()
            self.dont_recommend_requested.emit(track)

    def _menu(self, pos) -> None:
        row = self.table.indexAt(pos).row()
        if row < 0:
            return
        menu = QMenu(self)
        menu.addAction("Play from here", lambda: self._play_from(row))
        menu.addAction("Don't recommend this", lambda: self.dont_recommend(row))
        menu.exec(self.table.viewport().mapToGlobal(pos))
