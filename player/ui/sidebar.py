"""The window's sidebar: the pages, then the playlists, which take tracks dragged onto them.

Items carry (page, section, playlist id) in UserRole: a page item has playlist id 0, a
playlist item has page "Playlists". Dropping the track ids of a library view
(qt/playlist_mime.py) on a user playlist or Liked Songs emits tracks_dropped(playlist id,
track ids); a smart playlist refuses the drag while it hovers (its rules choose its tracks)
and says why through drop_refused. A right-click on a playlist emits
playlist_menu_requested(playlist id, global position): the window shows the Playlists page's
menu of that playlist.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QPalette,
)
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

from player.qt.playlist_mime import TRACK_IDS_MIME, decode_track_ids

TAKES_TRACKS = ("user", "liked")
_MARK = {"liked": "\u2665 ", "smart": "\u2726 ", "user": "\u266b "}


@dataclass(frozen=True, slots=True)
class SidebarPlaylist:
    id: int
    name: str
    kind: str  # user, smart, liked


class Sidebar(QListWidget):
    tracks_dropped = Signal(int, list)  # playlist id, track ids
    drop_refused = Signal(str)  # why this playlist does not take the tracks
    playlist_menu_requested = Signal(int, QPoint)  # playlist id, where (global)

    def __init__(self, entries: list[tuple[str, str, str]], parent=None) -> None:
        """entries: (text, page, section); an empty page makes a heading."""
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_menu)
        self._refused: int | None = None  # the smart playlist last said no, said once per hover
        self._target: QListWidgetItem | None = None  # highlighted while tracks hover over it
        for text, page, section in entries:
            self._add(text, (page, section, 0), heading=not page)
        self._playlists: dict[int, SidebarPlaylist] = {}

    def _add(self, text: str, data: tuple[str, str, int], heading: bool = False) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, data)
        if heading:  # enabled (so it keeps the text colour) but not selectable
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = QFont()
            font.setBold(True)
            item.setFont(font)
        self.addItem(item)
        return item

    def set_playlists(self, playlists: list[SidebarPlaylist]) -> None:
        """Replaces the playlist entries (under a "Playlists" heading) with these."""
        current = self.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self.blockSignals(True)
        for row in reversed(range(self.count())):
            page, _section, playlist_id = self.item(row).data(Qt.ItemDataRole.UserRole)
            if playlist_id or (not page and self.item(row).text() == "Your playlists"):
                self.takeItem(row)
        self._playlists = {p.id: p for p in playlists}
        if playlists:
            self._add("Your playlists", ("", "", 0), heading=True)
        for playlist in playlists:
            item = self._add(f"    {_MARK.get(playlist.kind, '')}{playlist.name}",
                             ("Playlists", "", playlist.id))
            item.setToolTip(_tip(playlist))
            if keep == ("Playlists", "", playlist.id):
                self.setCurrentItem(item)
        self.blockSignals(False)

    def playlist_rows(self) -> dict[int, int]:
        """{playlist id: row} of the playlist entries."""
        rows = {}
        for row in range(self.count()):
            playlist_id = self.item(row).data(Qt.ItemDataRole.UserRole)[2]
            if playlist_id:
                rows[playlist_id] = row
        return rows

    def playlist_at(self, pos) -> SidebarPlaylist | None:
        item = self.itemAt(pos)
        if item is None:
            return None
        return self._playlists.get(item.data(Qt.ItemDataRole.UserRole)[2])

    def _on_menu(self, pos: QPoint) -> None:
        playlist = self.playlist_at(pos)
        if playlist is not None:  # the pages and headings have no menu
            self.playlist_menu_requested.emit(playlist.id, self.viewport().mapToGlobal(pos))

    # -- drops -----------------------------------------------------------------------------
    def drop_target(self) -> QListWidgetItem | None:
        """The playlist entry tracks would be dropped on now (highlighted), if any."""
        return self._target

    def _highlight(self, item: QListWidgetItem | None) -> None:
        if item is self._target:
            return
        if self._target is not None:
            self._target.setBackground(QBrush())
        self._target = item
        if item is not None:
            item.setBackground(self.palette().brush(QPalette.ColorRole.Highlight).color().lighter(150))

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        super().dragLeaveEvent(event)  # stops scrolling
        self._highlight(None)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(TRACK_IDS_MIME):
            self._refused = None
            event.acceptProposedAction()  # judged per item as it moves
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        super().dragMoveEvent(event)  # scrolls when the drag nears an edge; decided below
        playlist = self.playlist_at(event.position().toPoint())
        if not event.mimeData().hasFormat(TRACK_IDS_MIME) or playlist is None:
            self._highlight(None)
            event.ignore()
            return
        if playlist.kind not in TAKES_TRACKS:
            self._highlight(None)
            event.ignore()  # the no-entry cursor, and the reason in the status bar
            if self._refused != playlist.id:
                self._refused = playlist.id
                self.drop_refused.emit(refusal(playlist))
            return
        self._highlight(self.itemAt(event.position().toPoint()))
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self._highlight(None)
        playlist = self.playlist_at(event.position().toPoint())
        ids = decode_track_ids(event.mimeData())
        if playlist is None or not ids:
            event.ignore()
            return
        if playlist.kind not in TAKES_TRACKS:
            event.ignore()
            self.drop_refused.emit(refusal(playlist))
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.tracks_dropped.emit(playlist.id, ids)


def refusal(playlist: SidebarPlaylist) -> str:
    return (f"\u201c{playlist.name}\u201d is a smart playlist: its rules choose its tracks, "
            "so tracks cannot be dropped on it. Edit its rules, or drop them on one of your "
            "playlists.")


def _tip(playlist: SidebarPlaylist) -> str:
    if playlist.kind == "smart":
        return f"{playlist.name}: a smart playlist (its rules choose its tracks)"
    if playlist.kind == "liked":
        return "Liked Songs: drop tracks here to like them"
    return f"{playlist.name}: drop tracks here to add them"
