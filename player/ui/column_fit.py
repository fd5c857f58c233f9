"""Track columns sized by content, for any QTableView over a TrackTableModel (the library's
track tables, the album and artist pages, a playlist's tracks).

"#" (the track number, the model's last fixed column) is shown first; #, Year, Length (and
Plays) fit their text; Artist and Genre fit their text up to SHARE of the
width (never less than their header); Title and Album share what is left, each getting its
text when it fits (the spare room split between them), Title first when not (at least 60%);
a column no track has a value in is hidden, so it takes no room from Title; a page may hide
columns its title already says (`redundant`); a column the user resizes by dragging the
header keeps that width. No horizontal scroll bar at any width.

Widths come from each column's longest sampled texts measured with QFontMetrics once per
track list (TrackTableModel.generation): Qt's ResizeToContents asks the model about hundreds
of rows per column on every reset, and a filter keystroke is a reset.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

from player.qt.track_model import NUMBER, TrackTableModel

TITLE, ALBUM = 0, 2  # share what the others leave (Title stretches, Album is fitted)
SHARED = (1, 3)  # Artist, Genre: their text, up to SHARE of the width
SHARE = 0.2
ALBUM_SHARE = 0.4  # of what is left, when Title and Album cannot both show their text


class ColumnFitter(QObject):
    def __init__(self, table: QTableView, model: TrackTableModel) -> None:
        super().__init__(table)
        self.table = table
        self.model = model
        self.redundant: set[int] = set()  # columns a page hides (an album page's Album)
        self.user_sized: set[int] = set()  # columns the user dragged: their width is kept
        self._widths: dict[int, int] = {}
        self._widths_of = -1  # the model generation _widths were measured for
        self._fitting = False
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        if model.columnCount() > NUMBER:  # "#" leads, as on an album's track list
            header.moveSection(header.visualIndex(NUMBER), 0)
        header.sectionResized.connect(self._on_section_resized)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # the header resets its sections with the model: not the user's doing either
        model.modelAboutToBeReset.connect(lambda: setattr(self, "_fitting", True))
        model.modelReset.connect(self.hide_empty_columns)
        # the viewport's own size (the table's scroll bars come and go): a Resize arrives
        # with the new geometry already set
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self.fit_columns()
        return False

    def hide_empty_columns(self) -> None:
        """Hides the columns no track fills and the redundant ones (Title always shows),
        then fits the rest."""
        self._fitting = True  # hiding a section reports it resized: not the user's doing
        try:
            for column in range(1, self.model.columnCount()):
                self.table.setColumnHidden(column, column in self.redundant
                                           or self.model.column_is_empty(column))
        finally:
            self._fitting = False
        self.fit_columns()

    def needs(self, column: int) -> int:
        """The width of column's longest text (sampled tracks, measured once per list) or of
        its header, whichever is wider."""
        if self._widths_of != self.model.generation:
            self._widths, self._widths_of = {}, self.model.generation
        width = self._widths.get(column)
        if width is None:
            bold = QFont(self.table.font())
            bold.setBold(True)  # the playing track is shown in bold
            metrics = QFontMetrics(bold)
            texts = self.model.longest_texts(column)
            text = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            margin = self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin,
                                                    None, self.table)
            width = self._widths[column] = text + 2 * margin + 6 if text else 0
        return max(width, self.table.horizontalHeader().sectionSizeHint(column))

    def _on_section_resized(self, column: int, old: int, new: int) -> None:
        # a drag on the header; not fit_columns, a model reset, or a section hidden or shown
        # (the header reports those later, from its own layout pass)
        if not self._fitting and column != TITLE and old and new:
            self.user_sized.add(column)

    def _set_width(self, column: int, width: int) -> None:
        if column not in self.user_sized and self.table.horizontalHeader().sectionSize(column) != width:
            self._fitting = True
            try:
                self.table.setColumnWidth(column, width)
            finally:
                self._fitting = False

    def fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        available = self.table.viewport().width()
        used = 0
        for column in range(self.model.columnCount()):
            if column in (TITLE, ALBUM) or self.table.isColumnHidden(column):
                continue
            if column in self.user_sized:
                used += header.sectionSize(column)
                continue
            needs = self.needs(column)
            if column in SHARED:
                needs = min(needs, max(header.sectionSizeHint(column), int(available * SHARE)))
            self._set_width(column, needs)
            used += needs
        if self.table.isColumnHidden(ALBUM):
            return
        left = max(0, available - used)
        title, album = self.needs(TITLE), self.needs(ALBUM)
        if title + album <= left:  # both fit: the room to spare is split
            width = album + (left - title - album) // 2
        else:  # Album its text if Title keeps 60%, else what Title leaves, else 40%
            width = min(album, max(int(left * ALBUM_SHARE), left - title))
        self._set_width(ALBUM, width)
