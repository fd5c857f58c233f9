"""Every format people keep: stored, or listed with the reason; never passed over in silence."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.core.models import AUDIO_EXTENSIONS, UNSUPPORTED_AUDIO
from player.db.connection import Database
from player.db.scan_issues import ScanIssueRepository
from player.db.tracks import TrackRepository
from player.library.scanner import Scanner
from tests.factories import have_ffmpeg, make_audio, make_dff, make_dsf
from tests.mutagen_corpus import mutagen_test_data

needs_ffmpeg = pytest.mark.skipif(not have_ffmpeg(), reason="ffmpeg makes the audio files")


def _issues(db: Database) -> dict[str, str]:
    return dict(db.query("SELECT path, reason FROM scan_issue"))


def test_every_audio_file_of_mutagens_test_data_is_stored_or_listed(db: Database) -> None:
    corpus = mutagen_test_data()
    if corpus is None:
        pytest.skip("mutagen's source distribution is not available (no cache, no PyPI)")
    audio = {str(p) for p in corpus.iterdir()
             if p.suffix.lower() in AUDIO_EXTENSIONS | UNSUPPORTED_AUDIO.keys()}
    report = Scanner(db, workers=1).scan([str(corpus)])
    stored = {t.path: t for t in TrackRepository(db).all()}
    issues = _issues(db)
    assert set(stored) | set(issues) == audio
    assert not set(stored) & set(issues)
    assert report.added == len(stored) and report.issues == len(issues)
    assert all(reason.strip() for reason in issues.values())
    codecs = {t.codec for t in stored.values()}
    assert codecs >= {"mp3", "flac", "vorbis", "opus", "speex", "aac", "alac", "pcm", "wma",
                      "ape", "wavpack", "musepack", "tta", "tak", "ac3", "dsd"}
    by_name = {Path(p).name: r for p, r in issues.items()}
    assert "OptimFROG" in by_name["silence-2s-44100-16.ofr"]
    assert by_name["2822400-1ch-0s-silence.dsf"] == "no audio stream (duration is zero)"
    assert "MIDI" in by_name["sample.mid"]
    assert by_name["emptyfile.mp3"] == "empty file"
    # Multi-valued and odd tags come through: an ID3 artist list, a WMA title.
    assert stored[str(corpus / "issue_29.wma")].artist == "Kaizers Orchestra"


@needs_ffmpeg
@pytest.mark.parametrize("name, codec", [
    ("tone.spx", "speex"), ("tone.tta", "tta"), ("tone.ac3", "ac3"), ("tone.wv", "wavpack"),
    ("tone.wma", "wma"), ("tone.aiff", "pcm"), ("tone.opus", "opus"), ("tone.alac.m4a", "alac"),
])
def test_formats_ffmpeg_writes_are_stored(db: Database, tmp_path: Path, name: str, codec: str) -> None:
    make_audio(tmp_path / "Music" / name, seconds=1.5, metadata={"title": "Tone", "artist": "Synth"})
    report = Scanner(db, workers=1).scan([str(tmp_path / "Music")])
    assert report.added == 1, _issues(db)
    track = TrackRepository(db).all()[0]
    assert track.codec == codec
    assert 1.3 < track.duration < 1.7


def test_dsd_is_stored_and_midi_listed_with_the_reason(db: Database, tmp_path: Path) -> None:
    """DSD plays through a converted copy (tests/engine/test_formats_play.py), so it is stored."""
    music = tmp_path / "Music"
    make_dsf(music / "tone.dsf", seconds=0.5, title="DSD tone")
    make_dff(music / "tone.dff", seconds=1.5, title="DFF tone")
    (music / "score.mid").write_bytes(b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x60")
    report = Scanner(db, workers=1).scan([str(music)])
    issues = {Path(p).name: r for p, r in _issues(db).items()}
    assert report.added == 2 and report.issues == 1
    assert "MIDI" in issues["score.mid"]
    assert len(ScanIssueRepository(db).all()) == 1
    stored = {Path(t.path).name: t for t in TrackRepository(db).all()}
    assert {name: (t.title, t.codec, round(t.duration, 2)) for name, t in stored.items()} == {
        "tone.dsf": ("DSD tone", "dsd", 0.5), "tone.dff": ("DFF tone", "dsd", 1.5)}
