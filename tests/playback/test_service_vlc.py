"""PlaybackService on real libVLC (dummy output, 4x) over real files and a real SQLite file."""

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

RATE = 4.0


@pytest.fixture
def library(tmp_path: Path, db: Database) -> list[Track]:
    folder = tmp_path / "music"
    for name, freq in (("a", 440), ("b", 880), ("c", 1320)):
        make_audio(folder / f"{name}.ogg", seconds=1.5, freq=freq,
                   metadata={"title": name.upper(), "artist": "Tones", "album": "Test"})
    Scanner(db).scan([str(folder)])
    return sorted(TrackRepository(db).all(), key=lambda t: t.title)


def play_until_stopped(service: PlaybackService, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    service.tick()
    while service.state.playing:
        assert time.monotonic() < deadline, "playback did not end"
        time.sleep(0.02)
        service.tick()


def test_real_playback_writes_listens_and_plays_a_b_c_in_order(db: Database, library: list[Track]) -> None:
    capture = SampleCapture()
    service = PlaybackService(VlcEngine("dummy", capture=capture), db)
    service.set_rate(RATE)
    try:
        service.play_tracks(library, 0, source="album", source_id="Test")
        play_until_stopped(service)
    finally:
        service.shutdown()
    rows = list(reversed(ListenRepository(db).recent(10)))
    assert [r.track_id for r in rows] == [t.id for t in library]
    for row in rows:
        assert row.end_reason == "finished"
        assert row.duration_ms == pytest.approx(1500, abs=30)
        assert row.end_position_ms == row.duration_ms
        assert 1000 <= row.ms_played <= 2000, row  # wall time x rate while playing
        assert row.is_play and not row.is_skip and not row.is_repeat
        assert (row.source, row.source_id, row.origin) == ("album", "Test", "encore")
        assert row.session_id == rows[0].session_id
    segments = capture.segments()
    assert len(segments) == 3
    heard = [dominant_frequency(np.frombuffer(s.samples, dtype=np.int16)) for s in segments]
    assert [round(f / 440) for f in heard] == [1, 2, 3], heard


def test_next_before_half_way_on_real_playback_is_a_skip(db: Database, library: list[Track]) -> None:
    service = PlaybackService(VlcEngine("dummy", capture=SampleCapture()), db)
    try:
        service.play_tracks(library[:2])
        deadline = time.monotonic() + 5
        while not (service.logger.current and service.logger.current.playing):
            assert time.monotonic() < deadline
            time.sleep(0.01)
            service.tick()
        time.sleep(0.2)
        service.tick()
        service.next()
    finally:
        service.shutdown()
    first = list(reversed(ListenRepository(db).recent(10)))[0]
    assert first.end_reason == "next" and first.is_skip and first.is_early_skip
    assert 100 <= first.ms_played <= 600
