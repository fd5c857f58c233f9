"""Recent listens, newest first, marking skips and repeats."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from player.core.words import count
from player.qt.history_model import HistoryModel


class HistoryPage(QWidget):
    refresh_requested = Signal()
    play_track_requested = Signal(int)  # track id

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = HistoryModel()
        title = QLabel("History")
        title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("dimLabel")
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh_requested)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        # Title and Artist share the room; the short columns fit their contents, never cut
        fit, stretch = QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch
        columns = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            columns.setSectionResizeMode(column, stretch if column in (1, 2) else fit)
        self.table.activated.connect(self._on_activated)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addSpacing(12)
        header.addWidget(self.summary, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(header)
        layout.addWidget(self.table, 1)

    def set_listens(self, listens) -> None:
        self.model.set_entries(listens)
        plays = sum(1 for e in listens if e.is_play)
        skips = sum(1 for e in listens if e.is_skip)
        repeats = sum(1 for e in listens if e.is_repeat)
        self.summary.setText(
            f"last {count(len(listens), 'listen')}: {count(plays, 'play')}, "
            f"{count(skips, 'skip')}, {count(repeats, 'repeat')}" if listens
            else "nothing played yet")

    def _on_activated(self, index) -> None:
        entry = self.model.entry_at(index.row())
        if entry.track_id is not None:
            self.play_track_requested.emit(entry.track_id)


