"""A table of tracks: double-click or Enter plays, right-click opens the track menu, rows drag
onto a playlist (their track ids, see qt/playlist_mime.py); columns sized by content
(ui/column_fit.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from player.qt.track_model import TrackTableModel
from player.ui.column_fit import ColumnFitter
from player.ui.intents import TrackIntents
from player.ui.track_menu import track_menu


class TrackTable(QTableView):
    def __init__(self, model: TrackTableModel, intents: TrackIntents, source: str = "library",
                 parent=None, sortable: bool = True) -> None:
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
        self.horizontalHeader().setHighlightSections(False)
        self.columns = ColumnFitter(self, model)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_menu)
        self.activated.connect(self._play_row)  # double-click, and Enter on the current row

    @property
    def redundant(self) -> set[int]:
        """Columns the page hides because its title says them (see ColumnFitter)."""
        return self.columns.redundant

    @redundant.setter
    def redundant(self, columns: set[int]) -> None:
        self.columns.redundant = set(columns)

    @property
    def user_sized(self) -> set[int]:
        return self.columns.user_sized

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
