"""The play queue as a list; drag and drop asks for a move instead of moving rows itself.

The queue belongs to PlaybackService: a drop emits move_requested(src, dst) and the model
changes when the service reports queue_changed, so the panel never disagrees with playback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QIcon, QPixmap

from player.core.models import Track
from player.qt.track_model import format_length

Index = QModelIndex | QPersistentModelIndex
MIME_TYPE = "application/x-encore-queue-rows"


def drop_target(src: int, row: int, count: int) -> int:
    """The final index of the moved entry when dropped before `row` (-1: at the end)."""
    if row < 0 or row > count:
        row = count
    return row - 1 if row > src else row


class QueueModel(QAbstractListModel):
    """UserRole returns the Track; the current entry is bold."""

    move_requested = Signal(int, int)  # from index, to index

    def __init__(self) -> None:
        super().__init__()
        self._tracks: Sequence[Track] = ()  # read only: the playback state's shared tuple
        self._current = -1
        self._icons: tuple[QIcon, QIcon] | None = None

    def set_queue(self, tracks: Sequence[Track], current: int) -> None:
        self.beginResetModel()
        self._tracks = tracks if isinstance(tracks, tuple) else tuple(tracks)
        self._current = current
        self.endResetModel()

    def set_current(self, current: int) -> None:
        """Only the current entry moved (the queue is the same): repaint two rows."""
        before, self._current = self._current, current
        for row in (before, current):
            if 0 <= row < len(self._tracks):
                index = self.index(row, 0)
                self.dataChanged.emit(index, index)

    def track_at(self, row: int) -> Track:
        return self._tracks[row]

    def _marks(self) -> tuple[QIcon, QIcon]:
        """(other rows, current row): a blank and a play icon of the same size, so titles align."""
        if self._icons is None:
            from PySide6.QtWidgets import QApplication, QStyle

            blank = QPixmap(16, 16)
            blank.fill(Qt.GlobalColor.transparent)
            play = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
            self._icons = (QIcon(blank), play)
        return self._icons

    @property
    def current(self) -> int:
        return self._current

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tracks)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tracks):
            return None
        track = self._tracks[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            artist = f" \u2014 {track.artist}" if track.artist else ""
            return f"{track.title}{artist}   ({format_length(track.duration)})"
        if role == Qt.ItemDataRole.UserRole:
            return track
        if role == Qt.ItemDataRole.ToolTipRole:
            return track.path
        if role == Qt.ItemDataRole.DecorationRole:
            return self._marks()[index.row() == self._current]
        if role == Qt.ItemDataRole.FontRole and index.row() == self._current:
            font = QFont()
            font.setBold(True)
            return font
        return None

    # -- drag and drop ---------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data.setData(MIME_TYPE, QByteArray(",".join(map(str, rows)).encode()))
        return data

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        if action != Qt.DropAction.MoveAction or not data.hasFormat(MIME_TYPE):
            return False
        text = bytes(data.data(MIME_TYPE).data()).decode()
        rows = [int(r) for r in text.split(",") if r.strip().isdigit()]
        if len(rows) != 1:
            return False
        if row < 0 and parent.isValid():
            row = parent.row()
        src = rows[0]
        dst = drop_target(src, row, len(self._tracks))
        if dst != src and 0 <= src < len(self._tracks):
            self.move_requested.emit(src, dst)
        return False  # the service moves it; the view must not remove the source row
