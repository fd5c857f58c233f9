"""Decode errors, storage, incremental runs, ReplayGain fill, runner control, similarity, CLI."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from player.analysis.decode import DecodeError, decode
from player.analysis.features import FEATURE_VERSION, VECTOR_NAMES
from player.analysis.runner import AnalysisRunner
from player.analysis.similarity import NotAnalysed, nearest, similar_tracks
from player.cli import main
from player.db.connection import Database
from player.db.features import FeatureRepository
from player.db.tracks import TrackRepository
from player.library.scanner import Scanner
from tests.factories import make_audio


def _library(db: Database, folder: Path, broken: bool = True) -> None:
    for i, freq in enumerate((220, 330, 440, 660)):
        make_audio(folder / f"t{i}.{['mp3', 'flac', 'ogg', 'm4a'][i]}", seconds=2.0, freq=freq,
                   metadata={"artist": "Tone", "title": f"Tone {freq}"})
    if broken:
        make_audio(folder / "broken.mp3", seconds=1.0)
    Scanner(db, workers=1).scan([str(folder)])
    if broken:  # damaged after the scan: the track exists, its audio does not decode
        (folder / "broken.mp3").write_bytes(b"not audio" * 100)


def test_decode_resamples_to_22k_mono_and_caps_length(tmp_path: Path) -> None:
    path = make_audio(tmp_path / "a.flac", seconds=3.0, sample_rate=44100)
    full = decode(str(path))
    assert full.rate == 22050 and full.samples.shape[0] == 1
    assert full.seconds == pytest.approx(3.0, abs=0.05) and not full.truncated
    capped = decode(str(path), max_seconds=1.0)
    assert capped.truncated and capped.seconds == pytest.approx(1.0, abs=0.01)


def test_decode_errors_are_plain(tmp_path: Path) -> None:
    bad = tmp_path / "x.ogg"
    bad.write_text("hello")
    with pytest.raises(DecodeError, match="not a readable audio file"):
        decode(str(bad))
    with pytest.raises(DecodeError, match="not found"):
        decode(str(tmp_path / "missing.mp3"))


def test_analyse_stores_features_and_reasons_incrementally(db: Database, tmp_path: Path) -> None:
    _library(db, tmp_path / "music")
    report = AnalysisRunner(db, workers=0).run()
    assert (report.total, report.analysed, report.failed) == (5, 4, 1)
    repo = FeatureRepository(db)
    errors = repo.errors(FEATURE_VERSION)
    assert [Path(p).name for _, p, _ in errors] == ["broken.mp3"] and errors[0][2]
    ids, matrix = repo.vectors(FEATURE_VERSION)
    assert matrix.shape == (4, len(VECTOR_NAMES)) and np.isfinite(matrix).all()
    assert AnalysisRunner(db, workers=0).run().total == 0  # nothing left at this version
    assert len(repo.pending(FEATURE_VERSION + 1)) == 5  # a new version re-analyses all


def test_computed_replaygain_fills_tracks_without_tags(db: Database, tmp_path: Path) -> None:
    _library(db, tmp_path / "music", broken=False)
    tracks = TrackRepository(db)
    assert all(t.rg_track_gain is None for t in tracks.all())
    assert AnalysisRunner(db, workers=0).run().replaygain_filled == 4
    for track in tracks.all():
        stored = FeatureRepository(db).get(track.id)
        assert stored is not None
        assert track.rg_track_gain == pytest.approx(stored["features"]["replaygain_track_gain"])
        assert stored["features"]["replaygain_applied"] is True


def test_worker_processes_pause_resume_and_cancel(db: Database, tmp_path: Path) -> None:
    _library(db, tmp_path / "music", broken=False)
    runner = AnalysisRunner(db, workers=2)
    runner.pause()
    threading.Timer(0.5, runner.resume).start()
    report = runner.run()
    assert report.workers == 2 and report.analysed == 4 and report.max_worker_rss_mb > 0
    FeatureRepository(db).db.execute("DELETE FROM audio_features")
    cancelled = AnalysisRunner(db, workers=2)
    cancelled.cancel()
    report = cancelled.run()
    assert report.cancelled and report.analysed == 0


def test_nearest_neighbours_on_z_scores() -> None:
    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(20, len(VECTOR_NAMES))).astype(np.float32)
    matrix[7] = matrix[3] + 0.01
    assert nearest(list(range(20)), matrix, 3, count=1)[0][0] == 7


def test_similar_tracks_and_cli(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _library(db, tmp_path / "music")
    target = TrackRepository(db).search("Tone 220")[0]
    with pytest.raises(NotAnalysed):
        similar_tracks(db, target.id)
    assert main(["--db", db.path, "analyze", "--json", "--workers", "0"]) == 1  # one file failed
    out = json.loads(capsys.readouterr().out)
    assert out["library"]["analysed"] == 4 and out["failed"][0]["reason"]
    assert len(similar_tracks(db, target.id, count=2)) == 2
    assert main(["--db", db.path, "similar", "Tone - Tone 220", "--json", "--count", "3"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["track"]["id"] == target.id and len(result["similar"]) == 3
    assert main(["--db", db.path, "similar", str(target.id)]) == 0
    assert "Sounds like Tone - Tone 220" in capsys.readouterr().out
    assert main(["--db", db.path, "similar", "nothing like this"]) == 2
