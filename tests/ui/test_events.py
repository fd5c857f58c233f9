"""Views that hear about changes: the real window, real services, a real SQLite file.

Each test changes something the way a person does (imports a history in the import dialog,
picks the dark theme in Settings, says "Don't play this") while the window is open, and
checks every view that shows it changed without a restart.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from player.ui.import_dialog import ImportDialog
from player.ui.settings_dialog import SettingsDialog, _select
from tests.history.fixtures.exports import iso

DAY = 86400
def _spotify_history(path: Path, now: float, plays: int) -> Path:
    """`plays` full listens of Alpha by Ann (a library track), one a day before now."""
    records = [{
        "ts": iso(now - (k + 1) * DAY + 31), "username": "me", "ms_played": 31_000,
        "master_metadata_track_name": "Alpha", "master_metadata_album_artist_name": "Ann",
        "master_metadata_album_album_name": "First", "episode_name": None,
        "spotify_track_uri": "spotify:track:0000000000000000000001",
        "reason_start": "trackdone", "reason_end": "trackdone", "skipped": None}
        for k in range(plays)]
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def _home_reasons(home) -> list[str]:
    results = home.results
    if results is None:
        return []
    mixes = ([results.right_now] if results.right_now else []) + results.mixes + results.extras
    return [reason for mix in mixes for reason in mix.reasons]


def test_an_import_shows_in_home_history_and_your_year_without_a_restart(
        qtbot, songs_window, tmp_path: Path) -> None:
    parts, window = songs_window, songs_window.window
    for page in ("Home", "Your year", "History"):
        window.show_page(page)
    home, recap = parts.pages["Home"], parts.pages["Your year"]
    qtbot.waitUntil(lambda: home._job is None, timeout=30_000)
    assert window.history_page.model.rowCount() == 0
    assert recap.recap is not None and recap.recap.plays == 0
    shown_before, reasons_before = home.results, _home_reasons(home)
    recommender = parts.services.recommendations  # the one Home, radio and the recap share
    assert len(recommender.fitted().data.listens) == 0

    pool = QThreadPool()
    dialog = ImportDialog(parts.services.history, pool, parent=window)  # as File > Import does
    qtbot.addWidget(dialog)
    dialog.add_paths([str(_spotify_history(tmp_path / "Streaming_History_Audio_2023.json",
                                           parts.clock.now(), 12))])
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as signal:
        dialog.import_button.click()
    assert signal.args[0].imported == 12
    pool.waitForDone()

    # History: the twelve listens, as plays
    qtbot.waitUntil(lambda: window.history_page.model.rowCount() == 12, timeout=10_000)
    assert window.history_page.summary.text().startswith("last 12 listens: 12 plays")
    # Your year: 2023 (the fake clock's year) now counts them
    qtbot.waitUntil(lambda: recap.recap is not None and recap.recap.plays == 12, timeout=10_000)
    assert recap.recap.year == 2023 and recap.recap.top_tracks[0].name.startswith("Alpha")
    # Home: refitted on the new history and shown again, with other reasons
    qtbot.waitUntil(lambda: home._job is None and home.results is not shown_before, timeout=60_000)
    assert len(recommender.fitted().data.listens) == 12
    assert _home_reasons(home) != reasons_before


def test_the_dark_theme_applies_as_soon_as_settings_are_saved(qtbot, null_window) -> None:
    parts, window = null_window, null_window.window
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = window.palette().color(QPalette.ColorRole.Window).lightness()
    dialog = SettingsDialog(parts.services.preferences, parts.services.history, parent=window)
    qtbot.addWidget(dialog)
    _select(dialog.theme_combo, "dark")
    dialog.accept()
    # the saved preference is announced; the window repaints dark at once, no restart
    qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window).lightness() < 80,
                    timeout=5_000)
    assert before > 128  # it started light
    assert parts.services.preferences.current.theme == "dark"
    assert window.now_playing.palette().color(QPalette.ColorRole.Window).lightness() < 80
    dialog = SettingsDialog(parts.services.preferences, parts.services.history, parent=window)
    qtbot.addWidget(dialog)
    _select(dialog.theme_combo, "light")
    dialog.accept()
    qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window).lightness() > 200,
                    timeout=5_000)


def _mix_track_ids(home) -> set[int]:
    results = home.results
    mixes = ([results.right_now] if results.right_now else []) + results.mixes + results.extras
    return {t.id for mix in mixes for t in mix.tracks}


@pytest.mark.parametrize("where", ["track menu", "Home"])
def test_dont_play_this_from_anywhere_leaves_every_mix_radio_and_queue(
        qtbot, songs_window, where: str) -> None:
    parts, window = songs_window, songs_window.window
    service, recommender = parts.services.playback, parts.services.recommendations
    window.show_page("Home")
    home = parts.pages["Home"]
    qtbot.waitUntil(lambda: home._job is None and home.results is not None, timeout=30_000)
    model = window.library.track_model
    tracks = [model.track_at(i) for i in range(model.rowCount())]
    banned = next(t for t in tracks if t.id in _mix_track_ids(home))
    seed = next(t for t in tracks if t.id != banned.id)
    # a radio is playing, with the track to ban still to come
    window.intents.radio_requested.emit(seed)
    qtbot.waitUntil(lambda: service.queue.current is not None
                    and service.queue.current.source == "radio", timeout=20_000)
    assert banned.id in [t.id for t in service.state.queue[service.state.index + 1:]]
    radio = recommender.radio(str(seed.id))
    assert banned.id in {t.id for t, _ in recommender.radio(str(seed.id)).next_tracks(20)}

    shown = home.results
    if where == "Home":
        home._dont_recommend(banned)  # the mix page's "Don't recommend this"
    else:
        window.intents.ban_requested.emit(banned, True)  # the track menu's "Don't play this"

    # the queue: gone from what is still to come, at once
    assert banned.id not in [t.id for t in service.state.queue[service.state.index + 1:]]
    # today's mixes on Home: shown again without it (from the cache, no refit)
    qtbot.waitUntil(lambda: home._job is None and home.results is not shown, timeout=30_000)
    assert banned.id not in _mix_track_ids(home)
    assert all(banned.id not in {t.id for t in m.tracks} for m in recommender.daily_mixes())
    # a radio already running, a new radio and Right now never bring it back
    for source in (radio, recommender.radio(str(seed.id)), recommender.right_now()):
        picked = {t.id for t, _ in source.next_tracks(20)}
        assert picked and banned.id not in picked
