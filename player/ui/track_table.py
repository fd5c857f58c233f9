"""A table of tracks: double-click or Enter plays, right-click opens the track menu."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from player.qt.track_model import TrackTableModel
from player.ui.intents import TrackIntents
from player.ui.track_menu import track_menu


class TrackTable(QTableView):
    def __init__(self, model: TrackTableModel, intents: TrackIntents, source: str = "library",
                 widths=(300, 200, 220, 120, 60, 70), parent=None, sortable: bool = True) -> None:
        super().__init__(parent)
        self.track_model = model
        self.intents = intents
        self.source = source
        self.source_id = ""
        self.setModel(model)
        if sortable:  # else the tracks stay in the order given (an album's)
            self.setSortingEnabled(True)
            self.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row sizing
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(widths):
            self.setColumnWidth(column, width)
        # Title and Album share what is left; Year and Length fit their text; Artist and
        # Genre keep a width the user can drag. No horizontal scroll bar at any width.
        header.setStretchLastSection(False)
        header.setResizeContentsPrecision(200)  # sample rows: 100,000 stay fast
        for column in (0, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for column in (4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_menu)
        self.activated.connect(self._play_row)  # double-click, and Enter on the current row

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.selectionModel().selectedRows()})

    def _play_row(self, index) -> None:
        if index.isValid():
            self.play_row(index.row())

    def play_row(self, row: int) -> None:
        """Plays the visible list from row on (so next follows what the user sees)."""
        tracks = self.track_model.tracks()
        if 0 <= row < len(tracks):
            self.intents.play_requested.emit(tracks, row, self.source, self.source_id)

    def _on_menu(self, pos) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            return
        rows = self.selected_rows()
        if index.row() not in rows:
            rows = [index.row()]
            self.selectRow(index.row())
        tracks = [self.track_model.track_at(r) for r in rows]
        menu = track_menu(self, self.intents, tracks, self.track_model.tracks(), rows[0],
                          self.source, self.source_id)
        menu.popup(self.viewport().mapToGlobal(pos))
