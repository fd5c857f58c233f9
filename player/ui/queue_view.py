"""The queue panel: what plays next, reordered by drag and drop."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from player.qt.queue_model import QueueModel
from player.ui.intents import TrackIntents


class QueuePage(QWidget):
    jump_requested = Signal(int)  # play the entry at this index now
    move_requested = Signal(int, int)
    remove_requested = Signal(int)
    clear_requested = Signal()

    def __init__(self, intents: TrackIntents, parent=None) -> None:
        super().__init__(parent)
        self.intents = intents
        self.model = QueueModel()
        self.model.move_requested.connect(self.move_requested)
        title = QLabel("Queue")
        title.setObjectName("pageTitle")
        self.count_label = QLabel()
        self.count_label.setObjectName("dimLabel")
        self.list = _QueueList()
        self.list.setObjectName("queueList")
        self.list.setModel(self.model)
        self.list.setIconSize(QSize(14, 14))
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setDragEnabled(True)
        self.list.setAcceptDrops(True)
        self.list.setDropIndicatorShown(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.activated.connect(lambda index: self.jump_requested.emit(index.row()))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_menu)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._remove_selected)
        self.clear_button = QPushButton("Clear queue")
        self.clear_button.clicked.connect(self.clear_requested)
        hint = QLabel("Drag to reorder. Enter or double-click plays.")
        hint.setObjectName("dimLabel")
        header = QHBoxLayout()
        header.addWidget(title)
        header.addSpacing(12)
        header.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addWidget(self.remove_button)
        header.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(header)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)
        self.set_queue([], -1)

    def show_current(self, current: int) -> None:
        """The queue did not change, only which entry plays."""
        self.model.set_current(current)
        if 0 <= current < self.model.rowCount():
            self.list.scrollTo(self.model.index(current, 0))

    def set_queue(self, tracks, current: int) -> None:
        self.model.set_queue(tracks, current)
        total = sum(t.duration for t in tracks)
        minutes = int(total // 60)
        self.count_label.setText(f"{len(tracks)} tracks, {minutes} min" if tracks else "empty")
        if 0 <= current < len(tracks):
            self.list.scrollTo(self.model.index(current, 0))

    def _remove_selected(self) -> None:
        index = self.list.currentIndex()
        if index.isValid():
            self.remove_requested.emit(index.row())

    def _on_menu(self, pos) -> None:
        index = self.list.indexAt(pos)
        if not index.isValid():
            return
        row, track = index.row(), self.model.track_at(index.row())
        menu = QMenu(self)
        menu.addAction("Play now", lambda: self.jump_requested.emit(row))
        menu.addAction("Remove from queue", lambda: self.remove_requested.emit(row))
        menu.addSeparator()
        menu.addAction("Like", lambda: self.intents.like_requested.emit(track, True))
        menu.addAction("Don't play this", lambda: self.intents.ban_requested.emit(track, True))
        menu.addAction("Show in folder", lambda: self.intents.show_in_folder_requested.emit(track))
        menu.addAction("Track info", lambda: self.intents.info_requested.emit(track))
        menu.popup(self.list.viewport().mapToGlobal(pos))


class _QueueList(QTableView):
    """A one-column table that looks like a list. Unlike QListView (which asks the Python
    model about every row to lay them out), its rows are header sections of one fixed height,
    so showing or scrolling to the current entry of a 100,000-track queue costs nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.horizontalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setDragDropOverwriteMode(False)  # drop between entries, as in a list
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
