"""PlaylistsView: the playlists (Liked Songs, smart, user) on the left, the selected one's
tracks on the right with play / shuffle / queue, drag-and-drop reordering, context menus,
import/export and the smart playlist editor.

Signals follow ui/intents.py: play_requested(tracks, start, "playlist", playlist id),
play_next_requested(tracks) and queue_requested(tracks); status texts go out through
message(str). playlist_menu(playlist) is the one menu of a playlist: this page's list and the
window's sidebar both show it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from player.core.errors import KnownError
from player.playlists.rules import describe, rules_from_json
from player.qt.playlist_models import PlaylistListModel, PlaylistTracksModel
from player.qt.task import run_task
from player.qt.track_model import NUMBER
from player.services.playlists import SORT_KEYS, ImportReport, Playlist, PlaylistsService
from player.ui.column_fit import ColumnFitter
from player.ui.file_dialogs import start_folder, start_path
from player.ui.playlists.smart_editor import SmartPlaylistDialog

FILE_FILTER = "Playlists (*.m3u *.m3u8 *.pls *.xspf);;All files (*)"
# what an empty playlist says, by kind: how it gets tracks, in gestures that exist today
EMPTY_HINTS = {
    "user": "This playlist is empty.\nAdd tracks from the library: drag them onto the playlist "
            "in the sidebar, or right-click them in Tracks, Albums or Artists and choose Add to "
            "playlist.",
    "liked": "No liked songs yet.\nRight-click a track and choose Like.",
    "smart": "No track matches these rules yet.",
}


def _length(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes}:{secs:02d}"


class PlaylistsView(QWidget):
    play_requested = Signal(list, int, str, str)  # tracks, start index, "playlist", playlist id
    queue_requested = Signal(list)  # tracks
    play_next_requested = Signal(list)  # tracks
    message = Signal(str)
    radio_requested = Signal(str, str)  # seed "playlist:NAME", label

    def __init__(self, playlists, parent=None) -> None:
        """playlists: the app's PlaylistsService (a bare Database gets one of its own)."""
        super().__init__(parent)
        self.repo = playlists if isinstance(playlists, PlaylistsService) else PlaylistsService(playlists)
        self._loading: object | None = None  # the smart playlist evaluation running, if any
        # (playlist id, action) asked for while its tracks were still being found
        self._pending: tuple[int, Callable[[], None]] | None = None
        self.playlists = PlaylistListModel()
        self.playlists.tracks_dropped.connect(self.add_tracks)
        self.tracks = PlaylistTracksModel()
        self.tracks.rows_moved.connect(self._move_rows)
        self.tracks.tracks_dropped.connect(self._drop_tracks)
        self._undo_id: int | None = None
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_sidebar())
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 760])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_undo_bar())
        layout.addWidget(splitter, 1)
        self.repo.ensure_defaults()
        self.refresh()

    # -- building --------------------------------------------------------------------------
    def _build_sidebar(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 6, 0, 6)
        title = QLabel("Playlists")
        title.setStyleSheet("font-weight: 600; font-size: 14px")
        layout.addWidget(title)
        self.list = QListView()
        self.list.setModel(self.playlists)
        self.list.setSpacing(2)
        self.list.setAcceptDrops(True)
        self.list.setDropIndicatorShown(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._playlist_menu)
        self.list.selectionModel().currentChanged.connect(lambda *_: self.reload_tracks())
        layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        for text, tip, slot in (("New", "New playlist", self.new_playlist),
                                ("Smart\u2026", "New smart playlist", self.new_smart_playlist),
                                ("Import\u2026", "Import M3U, M3U8, PLS or XSPF files",
                                 self.import_files)):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, s=slot: s())
            buttons.addWidget(button)
        layout.addLayout(buttons)
        return box

    def _build_detail(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 6, 6, 6)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 20px; font-weight: 600")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: palette(placeholder-text)")
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        actions = QHBoxLayout()
        self.play_button = QPushButton("\u25b6 Play")
        self.play_button.clicked.connect(lambda: self.play())
        self.shuffle_button = QPushButton("\u21c4 Shuffle")
        self.shuffle_button.clicked.connect(lambda: self.play(shuffle=True))
        self.queue_button = QPushButton("Add to queue")
        self.queue_button.clicked.connect(self.queue)
        self.edit_button = QPushButton("Edit rules\u2026")
        self.edit_button.clicked.connect(self.edit_smart)
        self.export_button = QPushButton("Export\u2026")
        self.export_button.clicked.connect(lambda: self.export_current())
        for button in (self.play_button, self.shuffle_button, self.queue_button, self.edit_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        layout.addLayout(actions)
        layout.addWidget(self._build_table(), 1)
        return box

    def _build_table(self) -> QTableView:
        table = self.table = QTableView()
        table.setModel(self.tracks)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setDragEnabled(True)
        table.setAcceptDrops(True)
        table.setDropIndicatorShown(True)
        table.setDragDropOverwriteMode(False)
        table.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        table.setDefaultDropAction(Qt.DropAction.MoveAction)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.verticalHeader().setDefaultSectionSize(24)
        table.horizontalHeader().setHighlightSections(False)
        self.columns = ColumnFitter(table, self.tracks)  # sized by content, as in the library
        self.columns.redundant = {NUMBER}  # the row headers number the entries: no second "#"
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._track_menu)
        table.doubleClicked.connect(lambda index: self.play(start=index.row()))
        # centred over the rows; mouse-transparent so drops and clicks still reach the table
        self.empty_hint = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty_hint.setStyleSheet("color: palette(placeholder-text); font-size: 14px")
        self.empty_hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        overlay = QVBoxLayout(table.viewport())
        overlay.setContentsMargins(24, 24, 24, 24)
        overlay.addWidget(self.empty_hint)
        self.empty_hint.hide()
        return table

    def _build_undo_bar(self) -> QFrame:
        bar = self.undo_bar = QFrame()
        bar.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(8, 2, 8, 2)
        self.undo_label = QLabel()
        undo = QPushButton("Undo")
        undo.clicked.connect(self.undo_delete)
        close = QPushButton("\u2715")
        close.setFlat(True)
        close.setFixedWidth(28)
        close.setToolTip("Dismiss")
        close.clicked.connect(bar.hide)
        layout.addWidget(self.undo_label, 1)
        layout.addWidget(undo)
        layout.addWidget(close)
        bar.hide()
        return bar

    # -- state -----------------------------------------------------------------------------
    def refresh(self, select: int | None = None) -> None:
        """Reload the playlists, keeping (or moving) the selection."""
        current = self.current_playlist()
        wanted = select if select is not None else (current.id if current else None)
        self.playlists.set_playlists(self.repo.all(), self._tooltips())
        row = self.playlists.row_of(wanted) if wanted is not None else -1
        self.list.selectionModel().setCurrentIndex(
            self.playlists.index(max(row, 0)), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.reload_tracks()

    def _tooltips(self) -> dict[int, str]:
        tips = {}
        for playlist in self.repo.all():
            if playlist.kind == "smart":
                try:
                    tips[playlist.id] = describe(rules_from_json(playlist.rules))
                except KnownError as exc:
                    tips[playlist.id] = str(exc)
        return tips

    def select_playlist(self, playlist_id: int) -> None:
        self.refresh(select=playlist_id)

    def current_playlist(self) -> Playlist | None:
        index = self.list.currentIndex()
        return self.playlists.playlist_at(index.row()) if index.isValid() else None

    def reload_tracks(self) -> None:
        """The selected playlist's tracks, evaluated now (smart ones follow the history)."""
        playlist = self.current_playlist()
        if self._pending is not None and (playlist is None or playlist.id != self._pending[0]):
            self._pending = None  # asked of another playlist than the one shown now
        if playlist is None:
            self.tracks.set_tracks([])
            self.title.setText("No playlist")
            self.summary.setText("")
            self.empty_hint.hide()
            return
        if playlist.kind == "smart":
            # rules over the whole history and library: SQL that may take a while, so it
            # runs off the GUI thread and the rows arrive when it is done
            self.title.setText(playlist.name)
            self.summary.setText("Finding the tracks\u2026")
            self.empty_hint.hide()
            wanted = playlist.id

            def done(tracks: list) -> None:
                current = self.current_playlist()
                if self._loading is task and current is not None and current.id == wanted:
                    self._loading = None
                    self._show_tracks(current, tracks)
                    self._run_pending(current.id)

            def failed(message: str) -> None:
                if self._loading is task:
                    self._loading = None
                    self._pending = None
                    self.message.emit(message)
                    self._show_tracks(playlist, [])

            task = run_task(lambda: self.repo.tracks(wanted), done, failed)
            self._loading = task
            return
        self._loading = None
        try:
            tracks = self.repo.tracks(playlist.id)
        except KnownError as exc:
            tracks = []
            self.message.emit(str(exc))
        self._show_tracks(playlist, tracks)

    def is_loading(self) -> bool:
        """Whether a smart playlist's tracks are still being found."""
        return self._loading is not None

    def _when_loaded(self, action: Callable[[], None]) -> bool:
        """False when the tracks are shown; else keeps action for when they are (a Play
        chosen from a menu right after a smart playlist was opened plays once it is found)."""
        playlist = self.current_playlist()
        if not self.is_loading() or playlist is None:
            return False
        self._pending = (playlist.id, action)
        return True

    def _run_pending(self, playlist_id: int) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and pending[0] == playlist_id:
            pending[1]()

    def _show_tracks(self, playlist: Playlist, tracks: list) -> None:
        self.tracks.editable = playlist.is_editable
        self.tracks.set_tracks(tracks)
        self.title.setText(playlist.name)
        count = f"{len(tracks)} track{'s' if len(tracks) != 1 else ''}"
        text = f"{count} \u00b7 {_length(sum(t.duration for t in tracks))}"
        if playlist.kind == "smart":
            text += f" \u00b7 smart: {self._tooltips().get(playlist.id, '')}"
        elif playlist.kind == "liked":
            text += " \u00b7 the songs you like"
        self.summary.setText(text)
        self.edit_button.setVisible(playlist.kind == "smart")
        self.empty_hint.setText(EMPTY_HINTS.get(playlist.kind, "") if not tracks else "")
        self.empty_hint.setVisible(not tracks)
        for button in (self.play_button, self.shuffle_button, self.queue_button, self.export_button):
            button.setEnabled(bool(tracks))

    def history_changed(self) -> None:
        """Call when listens or likes change: smart playlists and Liked Songs follow."""
        playlist = self.current_playlist()
        if playlist is not None and playlist.kind in ("smart", "liked"):
            self.reload_tracks()

    # -- playing ---------------------------------------------------------------------------
    def play(self, shuffle: bool = False, start: int = 0) -> None:
        if self._when_loaded(lambda: self.play(shuffle, start)):
            return
        playlist, tracks = self.current_playlist(), self.tracks.tracks()
        if playlist is None or not tracks:
            return
        if shuffle:
            tracks = random.sample(tracks, len(tracks))
            start = 0
        self.play_requested.emit(tracks, start, "playlist", str(playlist.id))

    def queue(self) -> None:
        """The selected tracks, or the whole playlist, at the end of the queue."""
        if not self._when_loaded(self.queue) and (chosen := self._chosen()):
            self.queue_requested.emit(chosen)

    def play_next(self) -> None:
        """The selected tracks, or the whole playlist, after the playing track."""
        if not self._when_loaded(self.play_next) and (chosen := self._chosen()):
            self.play_next_requested.emit(chosen)

    def _chosen(self) -> list:
        selected = self._selected_rows()
        tracks = self.tracks.tracks()
        return [tracks[r] for r in selected] if selected else tracks

    def _selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()})

    # -- editing ---------------------------------------------------------------------------
    def _guard(self, action, *args):
        """Run a repository action; a KnownError becomes a message, not a crash."""
        try:
            return action(*args)
        except KnownError as exc:
            self.message.emit(str(exc))
            if self.isVisible():
                QMessageBox.warning(self, "Playlists", str(exc))
            return None

    def new_playlist(self, name: str | None = None) -> Playlist | None:
        if name is None:
            name, ok = QInputDialog.getText(self, "New playlist", "Name:")
            if not ok:
                return None
        playlist = self._guard(self.repo.create, name)
        if playlist:
            self.select_playlist(playlist.id)
        return playlist

    def new_smart_playlist(self, dialog: SmartPlaylistDialog | None = None) -> Playlist | None:
        dialog = dialog or SmartPlaylistDialog("", None, self)
        if dialog.result_rules() is None and dialog.exec() != SmartPlaylistDialog.DialogCode.Accepted:
            return None
        rules = dialog.result_rules()
        if rules is None:
            return None
        playlist = self._guard(self.repo.create, dialog.name.text(), "smart", rules.to_json())
        if playlist:
            self.select_playlist(playlist.id)
        return playlist

    def edit_smart(self, dialog: SmartPlaylistDialog | None = None) -> None:
        playlist = self.current_playlist()
        if playlist is None or playlist.kind != "smart":
            return
        if dialog is None:
            dialog = SmartPlaylistDialog(playlist.name, rules_from_json(playlist.rules), self)
            if dialog.exec() != SmartPlaylistDialog.DialogCode.Accepted:
                return
        rules = dialog.result_rules()
        if rules is None:
            return
        self._guard(self.repo.set_rules, playlist.id, rules.to_json())
        if dialog.name.text().strip() != playlist.name:
            self._guard(self.repo.rename, playlist.id, dialog.name.text())
        self.refresh(select=playlist.id)

    def rename_current(self, name: str | None = None) -> None:
        playlist = self.current_playlist()
        if playlist is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(self, "Rename playlist", "Name:", text=playlist.name)
            if not ok:
                return
        self._guard(self.repo.rename, playlist.id, name)
        self.refresh(select=playlist.id)

    def duplicate_current(self) -> None:
        playlist = self.current_playlist()
        if playlist is not None and (copy := self._guard(self.repo.duplicate, playlist.id)):
            self.select_playlist(copy.id)

    def delete_current(self) -> None:
        playlist = self.current_playlist()
        if playlist is None or not self._guard(self.repo.delete, playlist.id):
            return
        self._undo_id = playlist.id
        self.undo_label.setText(f"Deleted \u201c{playlist.name}\u201d.")
        self.undo_bar.show()
        self.refresh(select=-1)

    def undo_delete(self) -> None:
        if self._undo_id is None:
            return
        restored = self._guard(self.repo.restore, self._undo_id)
        self._undo_id = None
        self.undo_bar.hide()
        if restored:
            self.select_playlist(restored.id)

    def add_tracks(self, playlist_id: int, track_ids: list, position: int | None = None) -> None:
        """Add tracks (from a drop or another view's 'add to playlist')."""
        added = self._guard(self.repo.add, playlist_id, track_ids, position)
        if added:
            self.message.emit(f"Added {added} track{'s' if added != 1 else ''}.")
        current = self.current_playlist()
        if current is not None and current.id == playlist_id:
            self.reload_tracks()

    def _drop_tracks(self, track_ids: list, destination: int) -> None:
        playlist = self.current_playlist()
        if playlist is not None:
            self.add_tracks(playlist.id, track_ids, destination)

    def _move_rows(self, rows: list, destination: int) -> None:
        playlist = self.current_playlist()
        if playlist is None:
            return
        moved = self._guard(self.repo.move, playlist.id, rows, destination) or []
        self.reload_tracks()
        selection = self.table.selectionModel()
        for row in moved:
            selection.select(self.tracks.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                             | QItemSelectionModel.SelectionFlag.Rows)

    def remove_selected(self) -> None:
        playlist, rows = self.current_playlist(), self._selected_rows()
        if playlist is not None and rows:
            self._guard(self.repo.remove_positions, playlist.id, rows)
            self.reload_tracks()

    def sort_current(self, key: str, descending: bool = False) -> None:
        playlist = self.current_playlist()
        if playlist is not None:
            self._guard(self.repo.sort, playlist.id, key, descending)
            self.reload_tracks()

    # -- files -----------------------------------------------------------------------------
    def import_files(self, paths: list[str] | None = None) -> list[ImportReport]:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(self, "Import playlists", start_folder(),
                                                    FILE_FILTER)
        reports = [r for p in paths if (r := self._guard(self.repo.import_file, p))]
        if reports:
            self.select_playlist(reports[-1].playlist_id)
            text = "\n".join(_report_line(r) for r in reports)
            self.message.emit(text.splitlines()[0])
            if self.isVisible() and any(r.unresolved or r.warnings for r in reports):
                QMessageBox.information(self, "Playlist import", text)
        return reports

    def export_current(self, path: str | None = None, relative_to: str | None = None) -> int:
        playlist = self.current_playlist()
        if playlist is None:
            return 0
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export playlist", start_path(f"{playlist.name}.m3u8"),
                                                  FILE_FILTER)
            if not path:
                return 0
            if QMessageBox.question(self, "Export playlist",
                                    "Write paths relative to the playlist's folder "
                                    "(for portable players)?") == QMessageBox.StandardButton.Yes:
                import os

                relative_to = os.path.dirname(os.path.abspath(path))
        count = self._guard(self.repo.export, playlist, path, relative_to) or 0
        if count:
            self.message.emit(f"Exported {count} tracks to {path}.")
        return count

    # -- menus -----------------------------------------------------------------------------
    def playlist_menu(self, playlist: Playlist) -> QMenu:
        """The menu of playlist, the current one (this page's list and the window's sidebar
        show it): its actions act on the current playlist through this page."""
        menu = QMenu(self)
        menu.addAction("Play", lambda: self.play())
        menu.addAction("Shuffle", lambda: self.play(shuffle=True))
        menu.addAction("Play next", self.play_next)
        menu.addAction("Add to queue", self.queue)
        if playlist.kind == "user":  # its entries are stored, so the recommender can seed on them
            menu.addAction("Start radio", lambda: self.radio_requested.emit(
                f"playlist:{playlist.name}", playlist.name))
        menu.addSeparator()
        if playlist.kind == "smart":
            menu.addAction("Edit rules\u2026", self.edit_smart)
        if playlist.kind != "liked":
            menu.addAction("Rename\u2026", lambda: self.rename_current())
        menu.addAction("Duplicate", self.duplicate_current)
        menu.addAction("Export\u2026", lambda: self.export_current())
        if playlist.kind != "liked":
            menu.addSeparator()
            menu.addAction("Delete", self.delete_current)
        return menu

    def _playlist_menu(self, point) -> None:
        index = self.list.indexAt(point)
        if index.isValid():
            self.list.setCurrentIndex(index)
            self.playlist_menu(self.playlists.playlist_at(index.row())).exec(
                self.list.viewport().mapToGlobal(point))

    def track_menu(self) -> QMenu:
        playlist = self.current_playlist()
        menu = QMenu(self)
        rows = self._selected_rows()
        menu.addAction("Play from here", lambda: self.play(start=rows[0] if rows else 0))
        menu.addAction("Add to queue", self.queue)
        add_to = menu.addMenu("Add to playlist")
        for other in self.repo.all():
            if other.kind in ("user", "liked") and (playlist is None or other.id != playlist.id):
                add_to.addAction(other.name, partial(self._add_selected_to, other.id))
        if playlist is not None and playlist.kind in ("user", "liked"):
            menu.addSeparator()
            menu.addAction("Remove from playlist", self.remove_selected)
        if playlist is not None and playlist.is_editable:
            sort = menu.addMenu("Sort playlist by")
            for key in SORT_KEYS:
                sort.addAction(key, partial(self.sort_current, key))
        return menu

    def _add_selected_to(self, playlist_id: int) -> None:
        self.add_tracks(playlist_id, [self.tracks.track_at(r).id for r in self._selected_rows()])

    def _track_menu(self, point) -> None:
        if self.table.indexAt(point).isValid():
            self.track_menu().exec(self.table.viewport().mapToGlobal(point))


def _report_line(report: ImportReport) -> str:
    line = (f"Imported \u201c{report.name}\u201d: {report.resolved} of {report.entries} entries found"
            f" ({report.by_moved_path} moved, {report.by_tags} by tags).")
    if report.unresolved:
        shown = "\n".join(f"  {u.reason}: {u.location or u.label}" for u in report.unresolved[:15])
        more = len(report.unresolved) - 15
        line += f"\nNot found:\n{shown}" + (f"\n  \u2026 and {more} more" if more > 0 else "")
    return line
