"""Settings: music folders, playback, analysis, recommendations, history and theme.

Values live in the setting table (player/db/preferences.py; folders in library_folder) and are
saved when the dialog is accepted. History actions (export, delete a range, delete all) act at
once, after a confirmation, through player/db/history_admin.py.

Wiring (main window / app.py):
    dialog = SettingsDialog(preferences, history, parent=window, output_devices=engine_outputs)
    dialog.preferences_saved.connect(apply_preferences)   # list of changed field names
    dialog.folders_changed.connect(library.scan)           # list[str]: rescan these
    dialog.history_changed.connect(history_page.refresh)   # listens were deleted
    dialog.exec()
"""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
)

from player.core.errors import KnownError
from player.core.paths import display
from player.services.history import HistoryService
from player.services.preferences import Preferences, PreferencesService
from player.ui.file_dialogs import start_folder, start_path

DEFAULT_OUTPUTS = [("", "Automatic"), ("pulse", "PulseAudio / PipeWire"), ("alsa", "ALSA"),
                   ("dummy", "None (silent)")]
REPLAYGAIN_LABELS = [("off", "Off"), ("track", "Track (each song as loud as the next)"),
                     ("album", "Album (keep an album's dynamics)")]
THEME_LABELS = [("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")]


def apply_theme_choice(app: QApplication, theme: str) -> None:
    """system/light/dark. Light and dark set an explicit palette, because without a platform
    theme (plain X11, offscreen) asking Qt for a colour scheme changes nothing."""
    scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(
        theme, Qt.ColorScheme.Unknown)
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(scheme)
    if theme == "dark":
        app.setPalette(dark_palette())
    elif theme == "light":
        app.setPalette(light_palette())
    else:
        app.setPalette(app.style().standardPalette())


def light_palette() -> QPalette:
    return _palette(window="#efefef", base="#ffffff", alt="#f5f5f5", text="#1e1e1e",
                    button="#e6e6e6", mid="#b8b8b8", dim="#8a8a8a", highlight="#5b3fd6")


def dark_palette() -> QPalette:
    return _palette(window="#2b2b2e", base="#1f1f22", alt="#26262a", text="#e8e8ea",
                    button="#36363a", mid="#4a4a50", dim="#8c8c94", highlight="#7a5cf0")


def _palette(window: str, base: str, alt: str, text: str, button: str, mid: str, dim: str,
             highlight: str) -> QPalette:
    role = QPalette.ColorRole
    palette = QPalette()
    colours = {role.Window: window, role.WindowText: text, role.Base: base,
               role.AlternateBase: alt, role.Text: text, role.Button: button,
               role.ButtonText: text, role.Mid: mid, role.Midlight: button, role.Dark: mid,
               role.Shadow: "#000000", role.Highlight: highlight,
               role.HighlightedText: "#ffffff", role.ToolTipBase: base, role.ToolTipText: text,
               role.PlaceholderText: dim, role.Link: highlight, role.BrightText: "#ffffff"}
    for colour_role, colour in colours.items():
        palette.setColor(colour_role, QColor(colour))
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, colour_role, QColor(dim))
    return palette


class SettingsDialog(QDialog):
    preferences_saved = Signal(list)  # names of the Preferences fields that changed
    folders_changed = Signal(list)  # the new list of library folders
    history_changed = Signal()  # listens were deleted

    def __init__(self, preferences, history: HistoryService | None = None, parent=None,
                 output_devices=None) -> None:
        """preferences: the app's PreferencesService, history: its HistoryService (saving and
        deleting announce themselves on the app's bus). Tests may hand a Database instead."""
        super().__init__(parent)
        self.setWindowTitle("Encore Settings")
        if not isinstance(preferences, PreferencesService):
            history = history or HistoryService(preferences)
            preferences = PreferencesService(preferences)
        self.preferences = preferences
        self.admin = history or HistoryService(preferences.db)
        self.prefs = preferences.load()
        self._folders_before = preferences.folders()
        self._outputs = list(output_devices or DEFAULT_OUTPUTS)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        for boxes in ((self._library_box(), self._playback_box(), self._theme_box()),
                      (self._analysis_box(), self._recommend_box(), self._history_box())):
            column = QVBoxLayout()
            column.setSpacing(12)
            for box in boxes:
                column.addWidget(box)
            column.addStretch(1)
            columns.addLayout(column, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.addLayout(columns)
        layout.addWidget(buttons)
        self._load_values()
        self.resize(940, self.sizeHint().height())

    # -- building ------------------------------------------------------------------------------
    def _library_box(self) -> QGroupBox:
        box = QGroupBox("Music folders")
        self.folder_list = QListWidget()
        self.folder_list.setMinimumHeight(90)
        self.folder_list.setMaximumHeight(140)
        for folder in self._folders_before:
            self._add_folder_item(folder)
        add = QPushButton("Add folder\u2026")
        self.remove_folder_button = QPushButton("Remove")
        add.clicked.connect(self._choose_folder)
        self.remove_folder_button.clicked.connect(self._remove_selected_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.remove_folder_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.folder_list)
        layout.addLayout(buttons)
        return box

    def _playback_box(self) -> QGroupBox:
        box = QGroupBox("Playback")
        self.output_combo = QComboBox()
        for name, label in self._outputs:
            self.output_combo.addItem(label, name)
        self.replaygain_combo = _combo(REPLAYGAIN_LABELS)
        self.crossfade_spin = QDoubleSpinBox()
        self.crossfade_spin.setRange(0, 12)
        self.crossfade_spin.setSingleStep(0.5)
        self.crossfade_spin.setDecimals(1)
        self.crossfade_spin.setSuffix(" s")
        self.crossfade_spin.setSpecialValueText("Off")
        self.crossfade_spin.setMaximumWidth(110)
        form = QFormLayout(box)
        form.addRow("Output device", self.output_combo)
        form.addRow("Volume levelling", self.replaygain_combo)
        form.addRow("Crossfade", self.crossfade_spin)
        return box

    def _theme_box(self) -> QGroupBox:
        box = QGroupBox("Appearance")
        self.theme_combo = _combo(THEME_LABELS)
        form = QFormLayout(box)
        form.addRow("Theme", self.theme_combo)
        return box

    def _analysis_box(self) -> QGroupBox:
        box = QGroupBox("Audio analysis")
        self.analysis_check = QCheckBox("Analyse new music in the background (tempo, loudness, "
                                        "timbre) for radio and mixes")
        self.analysis_check.setStyleSheet("QCheckBox { spacing: 8px; }")
        self.cpu_slider = QSlider(Qt.Orientation.Horizontal)
        self.cpu_slider.setRange(10, 100)
        self.cpu_slider.setSingleStep(10)
        self.cpu_slider.setPageStep(10)
        self.cpu_label = QLabel()
        self.cpu_label.setMinimumWidth(44)
        self.cpu_slider.valueChanged.connect(lambda v: self.cpu_label.setText(f"{v} %"))
        self.analysis_check.toggled.connect(self.cpu_slider.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.cpu_slider, 1)
        row.addWidget(self.cpu_label)
        form = QFormLayout(box)
        form.addRow(self.analysis_check)
        form.addRow("CPU share", row)
        return box

    def _recommend_box(self) -> QGroupBox:
        box = QGroupBox("Recommendations")
        self.rediscovery_spin = QSpinBox()
        self.rediscovery_spin.setRange(0, 50)
        self.rediscovery_spin.setSuffix(" %")
        self.rediscovery_spin.setMaximumWidth(110)
        self.rediscovery_spin.setToolTip("How much of each Daily Mix is music of your library "
                                         "you have never or only once played")
        self.autoplay_check = QCheckBox("When the queue ends, keep playing similar music")
        self.non_music_check = QCheckBox("Include speech, sounds and tracks under 30 s in Made for you")
        self.non_music_check.setToolTip("Off: mixes, Right now, radio, Rediscover and Fresh pick "
                                        "only music of song length (as the audio analysis finds it)")
        form = QFormLayout(box)
        form.addRow("Rediscovery in mixes", self.rediscovery_spin)
        form.addRow(self.autoplay_check)
        form.addRow(self.non_music_check)
        return box

    def _history_box(self) -> QGroupBox:
        box = QGroupBox("Listening history")
        self.pause_check = QCheckBox("Pause recording (nothing you play is remembered)")
        self.history_summary = QLabel()
        self.history_summary.setObjectName("dimLabel")
        self.from_date, self.to_date = QDateEdit(), QDateEdit()
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        delete_range = QPushButton("Delete listens in range\u2026")
        delete_range.clicked.connect(self._delete_range)
        range_row = QHBoxLayout()
        for widget in (QLabel("From"), self.from_date, QLabel("to"), self.to_date, delete_range):
            range_row.addWidget(widget)
        range_row.addStretch(1)
        export = QPushButton("Export everything\u2026")
        export.clicked.connect(self._export)
        delete_all = QPushButton("Delete all history\u2026")
        delete_all.clicked.connect(self._delete_all)
        actions = QHBoxLayout()
        actions.addWidget(export)
        actions.addWidget(delete_all)
        actions.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.pause_check)
        layout.addWidget(self.history_summary)
        layout.addLayout(range_row)
        layout.addLayout(actions)
        self._refresh_history()
        return box

    # -- values ---------------------------------------------------------------------------------
    def _load_values(self) -> None:
        p = self.prefs
        _select(self.output_combo, p.audio_output)
        _select(self.replaygain_combo, p.replaygain)
        self.crossfade_spin.setValue(p.crossfade_s)
        self.analysis_check.setChecked(p.analysis_enabled)
        self.cpu_slider.setValue(p.analysis_cpu_share)
        self.cpu_slider.setEnabled(p.analysis_enabled)
        self.cpu_label.setText(f"{p.analysis_cpu_share} %")
        self.rediscovery_spin.setValue(p.rediscovery_share)
        self.autoplay_check.setChecked(p.autoplay)
        self.non_music_check.setChecked(p.include_non_music)
        self.pause_check.setChecked(p.history_paused)
        _select(self.theme_combo, p.theme)

    def values(self) -> Preferences:
        """The preferences as the dialog shows them now."""
        return Preferences(
            audio_output=self.output_combo.currentData() or "",
            replaygain=self.replaygain_combo.currentData(),
            crossfade_s=round(self.crossfade_spin.value(), 1),
            analysis_enabled=self.analysis_check.isChecked(),
            analysis_cpu_share=self.cpu_slider.value(),
            rediscovery_share=self.rediscovery_spin.value(),
            autoplay=self.autoplay_check.isChecked(),
            include_non_music=self.non_music_check.isChecked(),
            history_paused=self.pause_check.isChecked(),
            theme=self.theme_combo.currentData(),
        )

    def folders(self) -> list[str]:
        return [self.folder_list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.folder_list.count())]

    def accept(self) -> None:
        try:
            changed = self.preferences.save(self.values())
            self._save_folders()
        except KnownError as exc:
            QMessageBox.warning(self, "Encore", f"{exc.message}\n\n{exc.hint}".strip())
            return
        if changed:
            self.preferences_saved.emit(changed)
        super().accept()

    def _save_folders(self) -> None:
        now = self.folders()
        if not self.preferences.set_folders(now):
            return
        self._folders_before = now
        self.folders_changed.emit(now)

    # -- folders --------------------------------------------------------------------------------
    def _add_folder_item(self, folder: str) -> None:
        self.folder_list.addItem(display(folder))
        item = self.folder_list.item(self.folder_list.count() - 1)
        item.setData(Qt.ItemDataRole.UserRole, folder)
        item.setToolTip(display(folder))

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a music folder", start_folder())
        if folder:
            self.add_folder(folder)

    def add_folder(self, folder: str) -> None:
        if folder not in self.folders():
            self._add_folder_item(folder)

    def _remove_selected_folder(self) -> None:
        for item in self.folder_list.selectedItems():
            self.folder_list.takeItem(self.folder_list.row(item))

    # -- history --------------------------------------------------------------------------------
    def _refresh_history(self) -> None:
        span = self.admin.span()
        count = self.admin.count()
        if span is None:
            self.history_summary.setText("No listens recorded yet.")
            first = last = QDate.currentDate()
        else:
            first_day, last_day = (datetime.fromtimestamp(t).date() for t in span)
            self.history_summary.setText(
                f"{count:,} listens from {first_day:%d %b %Y} to {last_day:%d %b %Y}.")
            first = QDate(first_day.year, first_day.month, first_day.day)
            last = QDate(last_day.year, last_day.month, last_day.day)
        self.from_date.setDate(first)
        self.to_date.setDate(last)

    def selected_range(self) -> tuple[float, float]:
        """[start of the From day, end of the To day) in epoch seconds, local time."""
        start = self.from_date.date().startOfDay().toSecsSinceEpoch()
        end = self.to_date.date().addDays(1).startOfDay().toSecsSinceEpoch()
        return float(start), float(end)

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def _delete_range(self) -> None:
        start, end = self.selected_range()
        count = self.admin.count(start, end)
        if count == 0:
            QMessageBox.information(self, "Encore", "No listens in that range.")
            return
        if self._confirm("Delete listens", f"Delete {count:,} listens from "
                         f"{self.from_date.date().toString('yyyy-MM-dd')} to "
                         f"{self.to_date.date().toString('yyyy-MM-dd')}? This cannot be undone."):
            self.delete_range(start, end)

    def delete_range(self, start: float, end: float) -> int:
        deleted = self.admin.delete_range(start, end)
        self._refresh_history()
        self.history_changed.emit()
        return deleted

    def _delete_all(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Delete all history",
                          f"Delete all {self.admin.count():,} listens? This cannot be undone.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        likes = QCheckBox("Also forget likes and bans")
        box.setCheckBox(likes)
        if box.exec() == QMessageBox.StandardButton.Yes:
            self.delete_all(likes.isChecked())

    def delete_all(self, include_feedback: bool = False) -> int:
        deleted = self.admin.delete_all(include_feedback)
        self._refresh_history()
        self.history_changed.emit()
        return deleted

    def _export(self) -> None:
        suggested = f"encore-history-{time.strftime('%Y-%m-%d')}.json"
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export listening history", start_path(suggested), "JSON (*.json);;CSV (*.csv)")
        if not path:
            return
        if not path.lower().endswith((".json", ".csv")):
            path += ".csv" if chosen.startswith("CSV") else ".json"
        try:
            count = self.admin.export(path)
        except KnownError as exc:
            QMessageBox.warning(self, "Encore", f"{exc.message}\n\n{exc.hint}".strip())
            return
        QMessageBox.information(self, "Encore", f"Exported {count:,} listens to {display(path)}.")


def _combo(items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    for value, label in items:
        combo.addItem(label, value)
    return combo


def _select(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    if index < 0 and value:  # a stored device this list does not know: keep it selectable
        combo.addItem(value, value)
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))
