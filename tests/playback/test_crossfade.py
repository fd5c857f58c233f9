"""PlaybackService with a crossfade: the handover comes early, listens stay right."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from player.core.models import Track
from player.db.connection import Database
from player.db.listens import ListenRepository
from player.db.tracks import TrackRepository
from player.engine.capture import SampleCapture
from player.engine.vlc import VlcEngine
from player.library.scanner import Scanner
from player.playback.service import PlaybackService
from tests.engine.test_vlc import dominant_frequency
from tests.factories import make_audio
from tests.playback.harness import Harness, add_library, new_harness


@pytest.fixture
def h(tmp_path: Path) -> Harness:
    harness = new_harness(tmp_path)
    yield harness
    harness.db.close()


def test_crossfade_hands_over_early_and_each_listen_is_heard_in_full(h: Harness) -> None:
    tracks = add_library(h.db, [10, 10, 10])
    h.service.set_crossfade(3)
    h.service.play_tracks(tracks)
    h.run(6.9)
    assert h.service.state.current == tracks[0]
    h.run(0.2)  # 3 s before the end of the first: the second takes over
    assert h.service.state.current == tracks[1]
    assert set(h.engine.audible()) == {h.service._current_token - 1, h.service._current_token}
    h.run(17.0)  # 7 s of the second (then the third), 10 s of the third: the queue ends
    assert not h.service.state.playing
    rows = h.rows()
    assert [r.track_id for r in rows] == [t.id for t in tracks]
    for row in rows:
        assert row.end_reason == "finished"
        assert row.ms_played == 10_000, row  # the fade-out counts as heard
        assert row.end_position_ms == row.duration_ms == 10_000
        assert row.is_play and not row.is_skip


def test_crossfade_off_is_the_gapless_handover(h: Harness) -> None:
    tracks = add_library(h.db, [10, 10])
    h.service.set_crossfade(3)
    h.service.set_crossfade(0)
    h.service.play_tracks(tracks)
    h.run(9.9)
    assert h.service.state.current == tracks[0]
    h.run(0.2)
    assert h.service.state.current == tracks[1]
    first, second = h.rows()
    assert first.ms_played == 10_000 and first.end_reason == "finished"
    assert second.track_id == tracks[1].id and second.end_reason is None


def test_next_during_a_crossfade_cuts_it(h: Harness) -> None:
    tracks = add_library(h.db, [10, 10, 10])
    h.service.set_crossfade(3)
    h.service.play_tracks(tracks)
    h.run(8.0)  # 1 s into the fade from the first to the second
    h.service.next()
    assert h.service.state.current == tracks[2]
    assert list(h.engine.audible()) == [h.service._current_token]
    first, second, third = h.rows()
    assert (first.end_reason, first.ms_played) == ("finished", 10_000)
    assert (second.end_reason, second.ms_played) == ("next", 1000)
    assert second.is_skip and third.end_reason is None


def test_repeat_one_follows_itself_gaplessly(h: Harness) -> None:
    tracks = add_library(h.db, [10])
    h.service.set_crossfade(3)
    h.service.set_repeat("one")
    h.service.play_tracks(tracks)
    h.run(9.9)
    assert len(h.rows()) == 1
    h.run(0.2)
    first, second = h.rows()
    assert first.ms_played == 10_000 and first.end_reason == "finished"
    assert second.track_id == first.track_id and second.end_reason is None


# -- real libVLC, 4x, real files ----------------------------------------------------------

RATE = 4.0


@pytest.fixture
def library(tmp_path: Path, db: Database) -> list[Track]:
    folder = tmp_path / "music"
    for name, freq in (("a", 440), ("b", 880), ("c", 1320)):
        make_audio(folder / f"{name}.ogg", seconds=6.0, freq=freq,
                   metadata={"title": name.upper(), "artist": "Tones", "album": "Test"})
    Scanner(db).scan([str(folder)])
    return sorted(TrackRepository(db).all(), key=lambda t: t.title)


def test_real_crossfade_overlaps_the_samples_and_writes_full_listens(
        db: Database, library: list[Track]) -> None:
    capture = SampleCapture()
    service = PlaybackService(VlcEngine("dummy", capture=capture), db)
    service.set_rate(RATE)
    service.set_crossfade(2.0)  # 0.5 s of wall time at 4x
    try:
        service.play_tracks(library, 0, source="album", source_id="Test")
        deadline = time.monotonic() + 20
        service.tick()
        while service.state.playing:
            assert time.monotonic() < deadline, "playback did not end"
            time.sleep(0.02)
            service.tick()
    finally:
        service.shutdown()
    segments = capture.segments()
    assert [round(dominant_frequency(np.frombuffer(s.samples, dtype=np.int16)) / 440)
            for s in segments] == [1, 2, 3]
    for before, after in zip(segments, segments[1:], strict=False):
        overlap_ms = (before.end_pts - after.first_pts) / 1000 * RATE  # in track time
        assert 1400 <= overlap_ms <= 2300, overlap_ms
    rows = list(reversed(ListenRepository(db).recent(10)))
    assert [r.track_id for r in rows] == [t.id for t in library]
    for row in rows:
        assert row.end_reason == "finished"
        assert row.end_position_ms == row.duration_ms
        assert row.duration_ms == pytest.approx(6000, abs=30)
        assert 5200 <= row.ms_played <= 6800, row  # wall time x rate, the fade-out included
        assert row.is_play and not row.is_skip
    # the two later listens began while the one before was still fading out
    assert rows[1].started_at < rows[0].started_at + 6.0 / RATE
