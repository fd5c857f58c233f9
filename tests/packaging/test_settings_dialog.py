"""The settings dialog on a real database: values load, save, and history actions act."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from player.db.history_admin import HistoryAdmin
from player.db.preferences import KEYS, Preferences
from player.db.settings import SettingsRepository
from player.ui.settings_dialog import SettingsDialog, apply_theme_choice, dark_palette

T0 = 1_700_000_000.0


@pytest.fixture
def dialog(qtbot, db):
    SettingsRepository(db).add_folder("/music/old")
    widget = SettingsDialog(db)
    qtbot.addWidget(widget)
    return widget


def test_defaults_when_nothing_is_stored(db) -> None:
    assert Preferences.load(db) == Preferences()


def test_bad_stored_values_fall_back_or_clamp(db) -> None:
    settings = SettingsRepository(db)
    settings.set(KEYS["replaygain"], "loud")
    settings.set(KEYS["crossfade_s"], 99)
    settings.set(KEYS["analysis_cpu_share"], "lots")
    settings.set(KEYS["autoplay"], 1)
    prefs = Preferences.load(db)
    assert prefs.replaygain == "track" and prefs.crossfade_s == 12.0
    assert prefs.analysis_cpu_share == 50 and prefs.autoplay is True


def test_dialog_shows_stored_values_and_saves_changes(qtbot, db) -> None:
    Preferences(replaygain="album", crossfade_s=3.0, theme="dark", autoplay=False).save(db)
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.values() == Preferences(replaygain="album", crossfade_s=3.0, theme="dark",
                                          autoplay=False)
    dialog.replaygain_combo.setCurrentIndex(dialog.replaygain_combo.findData("off"))
    dialog.cpu_slider.setValue(30)
    dialog.pause_check.setChecked(True)
    with qtbot.waitSignal(dialog.preferences_saved) as saved:
        dialog.accept()
    assert sorted(saved.args[0]) == ["analysis_cpu_share", "history_paused", "replaygain"]
    prefs = Preferences.load(db)
    assert (prefs.replaygain, prefs.analysis_cpu_share, prefs.theme) == ("off", 30, "dark")
    assert HistoryAdmin(db).recording_paused() is True


def test_cancel_saves_nothing(dialog, db) -> None:
    dialog.crossfade_spin.setValue(5)
    dialog.add_folder("/music/new")
    dialog.reject()
    assert Preferences.load(db).crossfade_s == 0.0
    assert SettingsRepository(db).folders() == ["/music/old"]


def test_folders_are_saved_on_accept(qtbot, dialog, db) -> None:
    dialog.add_folder("/music/new")
    dialog.add_folder("/music/new")  # twice: listed once
    dialog.folder_list.item(0).setSelected(True)
    dialog._remove_selected_folder()
    with qtbot.waitSignal(dialog.folders_changed) as changed:
        dialog.accept()
    assert changed.args[0] == ["/music/new"]
    assert SettingsRepository(db).folders() == ["/music/new"]


def test_unknown_stored_output_device_stays_selected(qtbot, db) -> None:
    Preferences(audio_output="jack").save(db)
    dialog = SettingsDialog(db, output_devices=[("", "Automatic"), ("pulse", "Pulse")])
    qtbot.addWidget(dialog)
    assert dialog.values().audio_output == "jack"


def test_delete_range_and_delete_all(qtbot, dialog, db) -> None:
    for day in range(3):
        db.execute("INSERT INTO listen (started_at) VALUES (?)", (T0 + day * 86_400,))
    dialog._refresh_history()
    assert "3 listens" in dialog.history_summary.text()
    start, end = dialog.selected_range()
    assert start <= T0 and end > T0 + 2 * 86_400
    with qtbot.waitSignal(dialog.history_changed):
        assert dialog.delete_range(T0 + 86_400, T0 + 2 * 86_400) == 1
    assert "2 listens" in dialog.history_summary.text()
    with qtbot.waitSignal(dialog.history_changed):
        assert dialog.delete_all() == 2
    assert dialog.history_summary.text() == "No listens recorded yet."


def test_dark_theme_changes_the_palette(qtbot) -> None:
    app = QApplication.instance()
    before = app.palette()
    try:
        apply_theme_choice(app, "dark")
        assert app.palette().window().color() == dark_palette().window().color()
        assert app.palette().window().color().lightness() < 128
    finally:
        apply_theme_choice(app, "system")
        app.setPalette(before)
