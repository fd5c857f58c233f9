"""RecapView: "Your year", paged like a story. Arrow keys, clicks, a year picker, exports.

Build it from a Database (or any object with years() and recap(year)):
    view = RecapView(db)          # or RecapView(source=my_source)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player.core.errors import KnownError
from player.qt.recap_loader import daily_mix_clusters, load_recap, years_with_listens
from player.recap.model import Cluster, Recap
from player.recap.story import Page, story
from player.ui.file_dialogs import start_path
from player.ui.recap.export import LANDSCAPE, PORTRAIT, card_name, save_card, save_html
from player.ui.recap.painter import paint_page


class RecapSource(Protocol):
    def years(self) -> list[int]: ...

    def recap(self, year: int) -> Recap: ...


class DatabaseRecapSource:
    """Recaps straight from the database, with today's Daily Mixes (those Home shows, from the
    cache: never computed here) unless a callable gives the clusters."""

    def __init__(self, db: Any,
                 clusters: Callable[[], Sequence[Cluster] | None] | None = None) -> None:
        self.db = db
        self.clusters: Callable[[], Sequence[Cluster] | None] = (
            clusters if clusters is not None else (lambda: daily_mix_clusters(db)))

    def years(self) -> list[int]:
        return years_with_listens(self.db)

    def recap(self, year: int) -> Recap:
        return load_recap(self.db, year, clusters=self.clusters())


class StoryCanvas(QWidget):
    """Paints the current page; a click on the left third goes back, elsewhere forward."""

    clicked_back = Signal()
    clicked_forward = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page: Page | None = None
        self.index = 0
        self.count = 1
        self.setMinimumSize(480, 360)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def show_page(self, page: Page, index: int, count: int) -> None:
        self.page, self.index, self.count = page, index, count
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.page is None:
            return
        painter = QPainter(self)
        paint_page(painter, QRectF(self.rect()), self.page, self.index, self.count)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if event.position().x() < self.width() / 3:
            self.clicked_back.emit()
        else:
            self.clicked_forward.emit()


class RecapView(QWidget):
    page_changed = Signal(int)
    year_changed = Signal(int)

    def __init__(self, db: Any = None, *, source: RecapSource | None = None,
                 clusters: Callable[[], Sequence[Cluster] | None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if source is None:
            if db is None:
                raise ValueError("RecapView needs a source (or, in tests, a Database)")
            source = DatabaseRecapSource(db, clusters)
        self.source = source
        self.recap: Recap | None = None
        self.pages: list[Page] = []
        self.index = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()
        self.refresh()

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        self.year_box = QComboBox()
        self.year_box.setToolTip("Choose a year")
        self.year_box.currentIndexChanged.connect(self._year_chosen)
        self.back_button = QToolButton()
        self.back_button.setText("◀")
        self.back_button.setToolTip("Previous page (Left arrow)")
        self.forward_button = QToolButton()
        self.forward_button.setText("▶")
        self.forward_button.setToolTip("Next page (Right arrow)")
        self.back_button.clicked.connect(self.previous_page)
        self.forward_button.clicked.connect(self.next_page)
        self.page_label = QLabel()
        self.card_button = QPushButton("Save card…")
        menu = QMenu(self.card_button)
        menu.addAction("Portrait (1080 × 1920)…", lambda: self._ask_card(PORTRAIT))
        menu.addAction("Landscape (1920 × 1080)…", lambda: self._ask_card(LANDSCAPE))
        self.card_button.setMenu(menu)
        self.html_button = QPushButton("Export HTML…")
        self.html_button.clicked.connect(self._ask_html)
        title = QLabel("Your year")
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        bar = QHBoxLayout()
        widgets: list[QWidget] = [title, self.year_box]
        for widget in widgets:
            bar.addWidget(widget)
        bar.addStretch(1)
        widgets = [self.back_button, self.page_label, self.forward_button, self.card_button,
                   self.html_button]
        for widget in widgets:
            bar.addWidget(widget)
        self.canvas = StoryCanvas()
        self.canvas.clicked_back.connect(self.previous_page)
        self.canvas.clicked_forward.connect(self.next_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)

    # -- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the years (history may have grown) and the shown year's recap."""
        current = self.year
        years = self.source.years() or [dt.date.today().year]
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in years:
            self.year_box.addItem(str(year), year)
        self.year_box.blockSignals(False)
        self.set_year(current if current in years else years[0])

    @property
    def year(self) -> int | None:
        return self.recap.year if self.recap else None

    def set_year(self, year: int) -> None:
        position = self.year_box.findData(year)
        if position < 0:
            self.year_box.addItem(str(year), year)
            position = self.year_box.count() - 1
        self.year_box.blockSignals(True)
        self.year_box.setCurrentIndex(position)
        self.year_box.blockSignals(False)
        self.recap = self.source.recap(year)
        self.pages = story(self.recap)
        self.year_changed.emit(year)
        self.go_to(0)

    def _year_chosen(self, position: int) -> None:
        year = self.year_box.itemData(position)
        if year is not None and year != self.year:
            self.set_year(int(year))

    # -- paging ----------------------------------------------------------------------------
    def go_to(self, index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self.canvas.show_page(self.pages[self.index], self.index, len(self.pages))
        self.page_label.setText(f"{self.index + 1} / {len(self.pages)}")
        self.back_button.setEnabled(self.index > 0)
        self.forward_button.setEnabled(self.index < len(self.pages) - 1)
        self.page_changed.emit(self.index)

    def next_page(self) -> None:
        self.go_to(self.index + 1)

    def previous_page(self) -> None:
        self.go_to(self.index - 1)

    @property
    def current_page(self) -> Page:
        return self.pages[self.index]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown):
            self.next_page()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Backspace, Qt.Key.Key_PageUp):
            self.previous_page()
        elif key == Qt.Key.Key_Home:
            self.go_to(0)
        elif key == Qt.Key.Key_End:
            self.go_to(len(self.pages) - 1)
        else:
            super().keyPressEvent(event)

    # -- exports ---------------------------------------------------------------------------
    def export_card(self, path: str, size: tuple[int, int] = PORTRAIT) -> None:
        save_card(self.current_page, self.index, len(self.pages), path, size)

    def export_html(self, path: str) -> None:
        save_html(self.recap.year if self.recap else 0, self.pages, path)

    def _ask_card(self, size: tuple[int, int]) -> None:
        year = self.year or 0
        path, _ = QFileDialog.getSaveFileName(
            self, "Save card", start_path(card_name(year, self.index, self.current_page, size)),
            "PNG images (*.png)")
        if path:
            self._guarded(lambda: self.export_card(path, size))

    def _ask_html(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export your year",
                                              start_path(f"your-{self.year}-in-music.html"),
                                              "Web pages (*.html)")
        if path:
            self._guarded(lambda: self.export_html(path))

    def _guarded(self, action: Callable[[], None]) -> None:
        try:
            action()
        except KnownError as exc:
            QMessageBox.warning(self, "Could not export", str(exc))
