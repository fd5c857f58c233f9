"""Home with real widgets over a real database: cards, opening a mix, playing, "Don't recommend"."""

from __future__ import annotations

from player.core.clock import FakeClock
from player.qt.home_worker import build_home
from player.services.recommendations import RecommendationService
from player.ui.home import HomeView
from tests.recommend.home_fixture import home_on_synthetic_log


def test_cards_open_mixes_that_play_with_their_source(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    view, service = home_on_synthetic_log(qtbot, db)
    view.set_results(build_home(service))
    titles = [c.title.text() for c in view.cards]
    assert titles[0] == "Right now" and any(t.startswith("Daily Mix 1") for t in titles)
    daily = next(c for c in view.cards if c.title.text().startswith("Daily Mix 1"))
    with qtbot.waitSignal(view.play_requested) as played:
        daily.play.click()
    tracks, start, source, source_id = played.args
    assert len(tracks) >= 30 and start == 0 and source == "daily mix 1" and source_id
    daily.opened.emit()
    assert view.stack.currentIndex() == 1
    assert view.mix_view.table.rowCount() == len(tracks)
    assert view.mix_view.table.item(0, 4).text()  # a reason for every pick
    first = view.mix_view.tracks[0]
    with qtbot.waitSignal(view.dont_recommend_requested):
        view.mix_view.dont_recommend(0)
    assert first.id not in [t.id for m in service.daily_mixes() for t in m.tracks]


def test_refresh_runs_in_the_background_and_skips_move_right_now(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    view, _ = home_on_synthetic_log(qtbot, db)
    assert not view.cards
    view.refresh()
    qtbot.waitUntil(lambda: bool(view.cards), timeout=60_000)
    before = list(view.results.right_now.tracks)
    with qtbot.waitSignal(view.right_now_changed) as changed:
        view.right_now_skipped(before[0])
    assert before[0].id not in [t.id for t in changed.args[0]]


def test_empty_library_shows_a_plain_message(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    view = HomeView(RecommendationService(db, FakeClock(1_750_000_000.0)))
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: view._job is None, timeout=30_000)
    assert "empty" in view.status.text().lower() or "scan" in view.status.text().lower()


def test_a_daily_mix_played_from_home_logs_listens_with_its_source(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from player.engine.null import NullEngine
    from player.playback.service import PlaybackService

    view, service = home_on_synthetic_log(qtbot, db)
    view.set_results(build_home(service))
    clock = FakeClock(service.clock.now())
    playback = PlaybackService(NullEngine(clock, check_files=False), db, clock)
    view.play_requested.connect(
        lambda tracks, start, source, source_id: playback.play_tracks(tracks, start, source, source_id))
    card = next(c for c in view.cards if c.title.text().startswith("Daily Mix 2"))
    card.play.click()
    playback.tick()
    clock.advance(40)
    playback.tick()
    playback.next()
    playback.tick()
    rows = db.query("SELECT source, source_id FROM listen WHERE origin = 'encore' "
                    "AND source != 'library' ORDER BY id")
    assert rows and all(r[0] == "daily mix 2" for r in rows)
    assert rows[0][1].endswith(":2")
    playback.shutdown()


def test_daily_refresh_refits_once_per_local_day(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    view, service = home_on_synthetic_log(qtbot, db)
    view.start_daily_refresh()
    qtbot.waitUntil(lambda: bool(view.cards), timeout=60_000)
    first = view.results
    view._check_new_day()  # same day: nothing to do
    assert view._job is None and view.results is first
    service.clock.advance(86400)
    view._check_new_day()
    qtbot.waitUntil(lambda: view.results is not first, timeout=60_000)
