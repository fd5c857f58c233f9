"""File > Import listening history...: choose exports, import them off the GUI thread, show the report."""

from __future__ import annotations

import time
import zoneinfo
from datetime import datetime

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from player.history.import_service import ImportReport, report_lines, report_summary
from player.history.importers import FORMATS
from player.qt.import_worker import ImportWorker
from player.ui.file_dialogs import start_folder

FORMAT_NAMES = {
    "auto": "Recognise automatically",
    "spotify_extended": "Spotify extended streaming history",
    "spotify_account": "Spotify account data (StreamingHistory)",
    "lastfm_csv": "Last.fm CSV",
    "lastexport": "Last.fm lastexport.py TSV",
    "lastfm1k": "Last.fm-1K research dataset",
    "listenbrainz": "ListenBrainz export",
    "scrobbler_log": "Rockbox .scrobbler.log",
}
FILE_FILTER = ("Listening history (*.zip *.json *.jsonl *.csv *.tsv *.txt *.log);;All files (*)")
LOCAL_ZONE = "This computer's time zone"


class ImportDialog(QDialog):
    """Pick files, import, read the report. `imported` fires after a successful import."""

    imported = Signal(object)  # ImportReport

    def __init__(self, history, pool: QThreadPool | None = None, parent=None) -> None:
        """history: the app's HistoryService (tests may hand a Database: it gets its own)."""
        super().__init__(parent)
        self.setWindowTitle("Import listening history")
        self.setMinimumWidth(620)
        self.history = history
        self.pool = pool or QThreadPool.globalInstance()
        self.worker: ImportWorker | None = None
        self.report: ImportReport | None = None
        self._started = 0.0
        self._build()
        self._set_state("choose")

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        intro = QLabel(
            "Bring your past listening with you: Spotify (the downloaded zip or its JSON files), "
            "Last.fm CSV or TSV exports, ListenBrainz exports and .scrobbler.log files. "
            "Everything is read on this computer; importing the same file again adds nothing.")
        intro.setWordWrap(True)
        self.files = QListWidget()
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.files.setMinimumHeight(110)
        self.add_button = QPushButton("Add files\u2026")
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self._remove_selected)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(self.add_button)
        file_buttons.addWidget(self.remove_button)
        file_buttons.addStretch(1)
        self.format_box = QComboBox()
        for name in ("auto", *FORMATS):
            self.format_box.addItem(FORMAT_NAMES.get(name, name), name)
        self.zone_box = QComboBox()
        self.zone_box.setEditable(True)
        self.zone_box.addItem(f"{LOCAL_ZONE} ({_local_zone_label()})", None)
        for zone in sorted(zoneinfo.available_timezones()):
            self.zone_box.addItem(zone, zone)
        self.zone_box.setToolTip("Where you lived then: used for the time of day of past listens")
        form = QFormLayout()
        form.addRow("Format:", self.format_box)
        form.addRow("Time zone:", self.zone_box)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.report_view = QPlainTextEdit()
        self.report_view.setReadOnly(True)
        self.report_view.setMinimumHeight(190)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.files)
        layout.addLayout(file_buttons)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.report_view)
        layout.addWidget(self.buttons)

    def _set_state(self, state: str) -> None:
        """choose | running | done"""
        running = state == "running"
        for widget in (self.files, self.add_button, self.remove_button, self.format_box, self.zone_box):
            widget.setEnabled(not running)
        self.import_button.setVisible(state == "choose")  # done: add or remove files to import again
        self.import_button.setEnabled(self.files.count() > 0)
        self.cancel_button.setVisible(running)
        self.close_button.setVisible(not running)
        self.progress.setVisible(running)
        self.report_view.setVisible(state == "done")
        self.status.setVisible(running or state == "done" or bool(self.status.text()))

    # -- choosing --------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Choose listening history exports",
                                                start_folder(), FILE_FILTER)
        self.add_paths(paths)

    def add_paths(self, paths: list[str]) -> None:
        known = set(self.paths())
        for path in paths:
            if path and path not in known:
                self.files.addItem(path)
                known.add(path)
        self._set_state("choose")

    def paths(self) -> list[str]:
        return [self.files.item(i).text() for i in range(self.files.count())]

    def _remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self._set_state("choose")

    def selected_zone(self) -> str | None:
        index = self.zone_box.currentIndex()
        text = self.zone_box.currentText().strip()
        if index >= 0 and self.zone_box.itemText(index) == text:
            return self.zone_box.itemData(index)
        return text or None  # typed by hand; a wrong name is reported by the import

    # -- running ---------------------------------------------------------------------------
    def start(self) -> None:
        if not self.paths() or self.worker is not None:
            return
        self.worker = ImportWorker(self.history, self.paths(), self.format_box.currentData(), self.selected_zone())
        self.worker.signals.progress.connect(self._on_progress)
        self.worker.signals.writing.connect(self._on_writing)
        self.worker.signals.finished.connect(self._on_finished)
        self.worker.signals.failed.connect(self._on_failed)
        self.worker.signals.cancelled.connect(self._on_cancelled)
        self._started = time.monotonic()
        self.progress.setRange(0, 0)  # busy until every row is read
        self.status.setText("Reading\u2026")
        self._set_state("running")
        self.pool.start(self.worker)

    def cancel(self) -> None:
        if self.worker is not None:
            self.status.setText("Cancelling\u2026")
            self.worker.cancel()

    def _on_progress(self, rows: int, file_number: int, files: int, name: str) -> None:
        if self.worker is not None and self.worker.cancelled:
            return
        self.status.setText(f"{rows:,} rows read \u2014 file {file_number} of {files}: {name}")

    def _on_writing(self, written: int, to_write: int) -> None:
        """Every row is read; they go into the history in short steps (playback, likes and
        scans keep writing meanwhile) and appear together at the end."""
        if self.worker is not None and self.worker.cancelled:
            return  # "Cancelling…" stays until it has stopped
        self.progress.setRange(0, max(to_write, 1))
        self.progress.setValue(min(written, to_write))
        self.status.setText(f"Adding to your history: {written:,} of {to_write:,} rows\u2026")

    def _on_finished(self, report: ImportReport) -> None:
        self.worker = None
        self.report = report
        self.status.setText(report_summary(report))
        self.report_view.setPlainText("\n".join(report_lines(report)))
        self._set_state("done")
        self.imported.emit(report)

    def _on_failed(self, message: str) -> None:
        self.worker = None
        self.status.setText(f"Nothing was imported.\n{message}")
        self._set_state("choose")

    def _on_cancelled(self) -> None:
        self.worker = None
        self.status.setText("Cancelled: nothing was imported.")
        self._set_state("choose")

    def reject(self) -> None:
        if self.worker is not None:  # closing while running cancels; nothing is half-written
            self.worker.cancel()
        super().reject()


def _local_zone_label() -> str:
    now = datetime.now().astimezone()
    return now.tzname() or now.strftime("%z")
