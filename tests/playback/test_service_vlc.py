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
from player.playback.state import PlaybackEvent
from tests.engine.test_formats_play import HeldCache
from tests.engine.test_vlc import dominant_frequency
from tests.factories import make_audio, make_dsf

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


def test_a_dsd_track_plays_through_its_copy_and_its_listen_is_the_tracks(
        db: Database, tmp_path: Path) -> None:
    """The copy is the engine's business: the listen is logged against the DSF track, its
    length is the track's, and the time spent converting is not heard time."""
    folder = tmp_path / "dsd"
    make_dsf(folder / "tone.dsf", seconds=2.0, freq=440.0, title="DSD tone")
    make_audio(folder / "after.ogg", seconds=1.0, freq=880.0,
               metadata={"title": "After", "artist": "Tones", "album": "Test"})
    Scanner(db).scan([str(folder)])
    tracks = sorted(TrackRepository(db).all(), key=lambda t: t.path.endswith(".ogg"))
    assert [t.title for t in tracks] == ["DSD tone", "After"]
    cache = HeldCache(tmp_path / "cache")
    notices: list[PlaybackEvent] = []
    service = PlaybackService(VlcEngine("dummy", capture=SampleCapture(), copies=cache), db)
    service.add_listener(lambda e: notices.append(e) if e.kind == "notice" else None)
    service.set_rate(RATE)
    try:
        service.play_tracks(tracks, 0)
        time.sleep(1.0)  # the conversion is held: nothing is heard meanwhile
        service.tick()
        assert service.state.playing and service.state.position_ms == 0
        cache.go.set()
        play_until_stopped(service)
    finally:
        service.shutdown()
    assert [(n.track.id if n.track else None) for n in notices] == [tracks[0].id]
    assert "libVLC cannot play DSD (DSF) audio" in notices[0].message
    rows = list(reversed(ListenRepository(db).recent(10)))
    assert [r.track_id for r in rows] == [t.id for t in tracks]
    dsd = rows[0]
    assert dsd.end_reason == "finished" and dsd.is_play
    assert dsd.duration_ms == pytest.approx(2000, abs=30)
    assert dsd.end_position_ms == dsd.duration_ms
    assert 1500 <= (dsd.ms_played or 0) <= 2600, dsd  # not the 4 s the held second would add
