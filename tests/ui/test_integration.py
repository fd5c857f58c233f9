"""The pages and dialogs other parts of Encore provide, reached from the real window."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from player.db.preferences import Preferences
from tests.ui.gestures import answer_next_dialog


def test_home_your_year_and_playlists_are_the_real_views(null_window) -> None:
    from player.ui.home.home_view import HomeView
    from player.ui.playlists.view import PlaylistsView
    from player.ui.recap.view import RecapView

    window = null_window.window
    assert isinstance(window.page("Home"), HomeView)
    assert isinstance(window.page("Your year"), RecapView)
    assert isinstance(window.page("Playlists"), PlaylistsView)
    for name in ("Home", "Your year", "Playlists"):
        window.show_page(name)
        assert window.current_page() == name


def _close_next_dialog(seen: list[str]) -> None:
    answer_next_dialog(lambda dialog: (seen.append(type(dialog).__name__), dialog.reject()))


def test_file_menu_opens_import_and_settings(qtbot, null_window) -> None:
    window = null_window.window
    seen: list[str] = []
    _close_next_dialog(seen)
    window.import_history_requested.emit()
    _close_next_dialog(seen)
    window.settings_requested.emit()
    assert seen == ["ImportDialog", "SettingsDialog"]


def test_start_radio_from_a_track(qtbot, songs_window) -> None:
    service = songs_window.bridge.service
    seed = songs_window.window.library.track_model.track_at(0)
    songs_window.window.intents.radio_requested.emit(seed)
    qtbot.waitUntil(lambda: service.state.current is not None, timeout=20000)
    state = service.state
    assert state.current.id == seed.id
    assert len(state.queue) >= 2 and service.queue.current.source == "radio"


def _set_autoplay(parts, on: bool) -> None:
    preferences = parts.services.preferences  # the app's one preferences object
    prefs = preferences.load()
    prefs.autoplay = on
    preferences.save(prefs)


def _play_one_track_to_its_end(qtbot, parts) -> None:
    service, clock = parts.bridge.service, parts.clock
    last = parts.window.library.track_model.track_at(0)
    service.play_tracks([last], 0, "library", "")
    with qtbot.waitSignal(parts.bridge.queue_finished, timeout=10000):
        clock.advance(last.duration + 1)
        service.tick()


def test_autoplay_continues_with_radio_when_the_queue_ends(qtbot, null_window) -> None:
    _set_autoplay(null_window, True)
    service = null_window.bridge.service
    _play_one_track_to_its_end(qtbot, null_window)
    qtbot.waitUntil(lambda: service.state.playing and service.queue.current.source == "radio",
                    timeout=20000)


def test_a_radio_that_arrives_after_the_listener_chose_is_dropped(qtbot, null_window) -> None:
    service = null_window.bridge.service
    model = null_window.window.library.track_model
    seed, chosen = model.track_at(0), model.track_at(1)
    null_window.radio.start(seed)  # computed in the background...
    service.play_tracks([chosen], 0, "library", "")  # ...while the listener picks a song
    qtbot.wait(3000)
    assert service.state.current.id == chosen.id and len(service.state.queue) == 1


def test_no_autoplay_when_it_is_switched_off(qtbot, null_window) -> None:
    _set_autoplay(null_window, False)
    service = null_window.bridge.service
    _play_one_track_to_its_end(qtbot, null_window)
    qtbot.wait(500)
    assert not service.state.playing


def test_sounds_like_this_lists_analysed_neighbours_and_plays_them(qtbot, null_window) -> None:
    from player.analysis.runner import AnalysisRunner
    from player.ui.radio import SimilarDialog

    db = null_window.services.db
    report = AnalysisRunner(db, workers=1).run()
    assert report is not None
    service = null_window.bridge.service
    seed = null_window.window.library.track_model.track_at(0)
    shown: list[SimilarDialog] = []

    answer_next_dialog(lambda dialog: (shown.append(dialog), dialog.accept()), SimilarDialog)
    null_window.window.intents.similar_requested.emit(seed)
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    qtbot.waitUntil(lambda: service.state.current is not None, timeout=5000)
    assert service.state.current.id == seed.id
    assert {t.id for t in service.state.queue[1:]} == {t.id for t in shown[0].tracks}
    assert service.queue.current.source == "radio"


def test_a_scan_is_followed_by_background_analysis(qtbot, null_window, music) -> None:
    db = null_window.services.db
    qtbot.waitUntil(lambda: null_window.analysis.worker is None, timeout=60000)
    db.execute("DELETE FROM audio_features")
    null_window.library.scan([str(music)])
    qtbot.waitUntil(lambda: db.scalar("SELECT count(*) FROM audio_features") == 3, timeout=60000)
    qtbot.waitUntil(lambda: null_window.analysis.worker is None, timeout=10000)
    assert db.scalar("SELECT count(*) FROM audio_features WHERE error IS NULL") == 3


def test_analysis_can_be_switched_off(qtbot, null_window, music) -> None:
    db = null_window.services.db
    # the library loaded at start already set an analysis going: let it finish, then forget it
    qtbot.waitUntil(lambda: null_window.analysis.worker is None, timeout=60000)
    db.execute("DELETE FROM audio_features")
    prefs = Preferences.load(db)
    prefs.analysis_enabled = False
    prefs.save(db)
    with qtbot.waitSignal(null_window.library.scan_done, timeout=30000):
        null_window.library.scan([str(music)])
    qtbot.wait(300)
    assert null_window.analysis.worker is None
    assert db.scalar("SELECT count(*) FROM audio_features") == 0


def test_workers_for_a_share_of_the_cpu() -> None:
    from player.ui.analysis_controller import workers_for_share

    assert workers_for_share(50, cores=2) == 1
    assert workers_for_share(100, cores=2) == 2
    assert workers_for_share(10, cores=2) == 1
    assert workers_for_share(40, cores=8) == 3


def test_radio_from_an_album_an_artist_and_a_playlist(qtbot, songs_window) -> None:
    from player.db.playlists import PlaylistRepository

    service = songs_window.bridge.service
    window = songs_window.window
    model = window.library.track_model
    first = model.track_at(0)
    seeds = [(f"album:{first.album}", first.album), (f"artist:{first.artist}", first.artist)]
    db = songs_window.services.db
    repo = PlaylistRepository(db)
    playlist = repo.create("Road trip")
    repo.add(playlist.id, [model.track_at(1).id, model.track_at(2).id])
    seeds.append(("playlist:Road trip", "Road trip"))
    for seed, label in seeds:
        service.stop()
        window.intents.radio_seed_requested.emit(seed, label)
        qtbot.waitUntil(lambda seed=seed: service.queue.current is not None
                        and service.queue.current.source_id == seed, timeout=20000)
        assert service.queue.current.source == "radio" and len(service.state.queue) >= 2


def test_the_artist_list_starts_radio_with_a_credited_artist(qtbot, null_window) -> None:
    browser = null_window.window.library.artists
    name = browser.names.item_at(0).name
    assert browser.radio_artist(name) in {t.artist for t in browser._all}


def test_skipping_a_right_now_track_steers_the_rest_of_that_queue(qtbot, songs_window) -> None:
    home = songs_window.window.page("Home")
    qtbot.waitUntil(lambda: home.results is not None and home.results.right_now is not None,
                    timeout=30000)
    service = songs_window.bridge.service
    steered: list[list] = []
    home.right_now_changed.connect(steered.append)
    tracks = list(home.results.right_now.tracks)
    songs_window.window.intents.play_requested.emit(tracks, 0, "context queue", "")
    songs_window.clock.advance(2)
    service.tick()
    service.next()  # straight from the service, as MPRIS or the tray would: still a skip
    qtbot.waitUntil(lambda: bool(steered), timeout=5000)
    state = service.state
    assert [t.id for t in state.queue[state.index + 1:]] == [t.id for t in steered[-1]]


def test_edit_tags_from_the_window_reloads_the_library_view(qtbot, null_window) -> None:
    """The track menu's Edit tags: the real dialog, a real write, and the library view showing
    the new artist through library_changed; then Undo tag edit puts it back."""
    from player.ui.tag_editor import TagEditorDialog

    window = null_window.window
    model = window.library.track_model
    tracks = [model.track_at(row) for row in range(model.rowCount())]
    ids = {t.id for t in tracks}

    def edit_when_open() -> None:
        dialog = QApplication.activeModalWidget() or next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, TagEditorDialog) and w.isVisible()), None)
        if not isinstance(dialog, TagEditorDialog):
            QTimer.singleShot(50, edit_when_open)
            return
        qtbot.keyClicks(dialog.fields["artist"], "x")  # typed: "(various)" -> "x"
        dialog.save()

    QTimer.singleShot(50, edit_when_open)
    window.intents.edit_tags_requested.emit(tracks)
    artists = lambda: {model.track_at(r).artist for r in range(model.rowCount())}  # noqa: E731
    qtbot.waitUntil(lambda: artists() == {"x"}, timeout=10000)
    assert {model.track_at(r).id for r in range(model.rowCount())} == ids
    window.intents.undo_tags_requested.emit()
    qtbot.waitUntil(lambda: artists() == {"Ann", "Ben", "Cat"}, timeout=10000)
