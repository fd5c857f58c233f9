"""A table of tracks: double-click or Enter plays, right-click opens the track menu, rows drag
onto a playlist (their track ids, see qt/playlist_mime.py).

Columns size by content: Year, Length (and Plays) fit their text; Artist and Genre fit their
text up to a share of the width; Title and Album share what is left, each getting its text
when it fits (the rest split between them), Title first when not (at least 60%); a column no
track has a value in is hidden, so it takes no room from Title."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView

from player.qt.track_model import TrackTableModel
from player.ui.intents import TrackIntents
from player.ui.track_menu import track_menu

TITLE, ALBUM = 0, 2  # share what the others leave (Title stretches, Album is fitted)
SHARED = (1, 3)  # Artist, Genre: their text, up to SHARE of the width
SHARE = 0.2
ALBUM_SHARE = 0.4  # of what is left, when Title and Album cannot both show their text


class TrackTable(QTableView):
    def __init__(self, model: TrackTableModel, intents: TrackIntents, source: str = "library",
                 parent=None, sortable: bool = True) -> None:
        super().__init__(parent)
        self.track_model = model
        self.intents = intents
        self.source = source
        self.source_id = ""
        self.redundant: set[int] = set()  # columns a page hides (an album page's Album)
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
        # No horizontal scroll bar at any width: stretch and fitted columns fill the view.
        header.setStretchLastSection(False)
        # Title stretches; fit_columns sizes the others from widths measured once per list
        # (Qt's ResizeToContents would ask the model about hundreds of rows per keystroke)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        self._widths: dict[int, int] = {}
        self._widths_of = -1  # the model generation _widths were measured for
        self._fitting = False
        self.user_sized: set[int] = set()  # columns the user dragged: their width is kept
        header.sectionResized.connect(self._on_section_resized)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # the header resets its sections with the model: not the user's doing either
        model.modelAboutToBeReset.connect(lambda: setattr(self, "_fitting", True))
        model.modelReset.connect(self.hide_empty_columns)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_menu)
        self.activated.connect(self._play_row)  # double-click, and Enter on the current row

    def hide_empty_columns(self) -> None:
        """Hides the columns no track fills and the redundant ones (Title always shows),
        then fits the rest."""
        self._fitting = True  # hiding a section reports it resized: not the user's doing
        try:
            for column in range(1, self.track_model.columnCount()):
                self.setColumnHidden(column, column in self.redundant
                                     or self.track_model.column_is_empty(column))
        finally:
            self._fitting = False
        self.fit_columns()

    def _needs(self, column: int) -> int:
        """The width of column's longest text (sampled tracks, measured once per list) or of
        its header, whichever is wider."""
        if self._widths_of != self.track_model.generation:
            self._widths, self._widths_of = {}, self.track_model.generation
        width = self._widths.get(column)
        if width is None:
            bold = QFont(self.font())
            bold.setBold(True)  # the playing track is shown in bold
            metrics = QFontMetrics(bold)
            texts = self.track_model.longest_texts(column)
            text = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
            width = self._widths[column] = text + 2 * margin + 6 if text else 0
        return max(width, self.horizontalHeader().sectionSizeHint(column))

    def _on_section_resized(self, column: int, old: int, new: int) -> None:
        # a drag on the header; not fit_columns, a model reset, or a section hidden or shown
        # (the header reports those later, from its own layout pass)
        if not self._fitting and column != TITLE and old and new:
            self.user_sized.add(column)

    def _set_width(self, column: int, width: int) -> None:
        if column not in self.user_sized and self.horizontalHeader().sectionSize(column) != width:
            self._fitting = True
            try:
                self.setColumnWidth(column, width)
            finally:
                self._fitting = False

    def fit_columns(self) -> None:
        """Artist and Genre fit their text, at most SHARE of the width each (never less
        than their header); Album gets its text when Title's still fits, else at most half
        of what is left; Title stretches over the rest; the others fit their contents. A
        column the user resized keeps the width they gave it."""
        header = self.horizontalHeader()
        available = self.viewport().width()
        used = 0
        for column in range(self.track_model.columnCount()):
            if column in (TITLE, ALBUM) or self.isColumnHidden(column):
                continue
            if column in self.user_sized:
                used += header.sectionSize(column)
                continue
            needs = self._needs(column)
            if column in SHARED:
                needs = min(needs, max(header.sectionSizeHint(column), int(available * SHARE)))
            self._set_width(column, needs)
            used += needs
        if self.isColumnHidden(ALBUM):
            return
        left = max(0, available - used)
        title, album = self._needs(TITLE), self._needs(ALBUM)
        if title + album <= left:  # both fit: the room to spare is split
            width = album + (left - title - album) // 2
        else:  # Album its text if Title keeps 60%, else what Title leaves, else 40%
            width = min(album, max(int(left * ALBUM_SHARE), left - title))
        self._set_width(ALBUM, width)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()

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
