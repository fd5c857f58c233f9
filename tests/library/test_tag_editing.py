"""Tag editing on real files and a real database: ids and listens kept, undo, safe writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from player.core.errors import TagWriteError
from player.core.events import EventBus
from player.db.connection import Database
from player.db.listens import ListenRepository
from player.db.tracks import TrackRepository
from player.library.scanner import Scanner
from player.library.tag_editing import VARIOUS, TagEditingService
from player.tags import read_tags
from player.tags.writer import current_values, write_tags
from tests.factories import have_ffmpeg, make_audio, make_dff, make_dsf

pytestmark = pytest.mark.skipif(not have_ffmpeg(), reason="ffmpeg makes the audio files")
ROOT = Path(__file__).resolve().parents[2]


def _library(db: Database, folder: Path, count: int, ext: str = "mp3", seconds: float = 0.5) -> list[int]:
    for i in range(count):
        make_audio(folder / f"{i:02d} Song.{ext}", seconds=seconds, freq=300 + i * 7,
                   metadata={"title": f"Song {i}", "artist": "Old Artist", "album": "Album",
                             "track": f"{i + 1}/{count}", "date": "1999-04-01"})
    Scanner(db, workers=1).scan([str(folder)])
    return [t.id for t in TrackRepository(db).all()]


def _listen(db: Database, track_id: int) -> None:
    ListenRepository(db).open(track_id=track_id, started_at=1_700_000_000.0, utc_offset_min=0,
                              duration_ms=500, source="library", source_id="", session_id=1,
                              shuffle=False, repeat_mode="off", is_repeat=False)


def _listens(db: Database) -> dict[int, int]:
    return dict(db.query("SELECT track_id, count(*) FROM listen GROUP BY track_id"))


@pytest.mark.parametrize("ext", ["mp3", "flac", "ogg", "m4a", "wma", "wv", "opus", "aiff"])
def test_each_format_edits_and_keeps_its_conventions(tmp_path: Path, ext: str) -> None:
    path = make_audio(tmp_path / f"a.{ext}", metadata={"title": "Old", "artist": "X",
                                                      "track": "3/12", "date": "2001-05-03"})
    write_tags(str(path), {"artist": "A; B", "title": "New", "tracknumber": "4", "year": "2001"})
    tags = read_tags(str(path))
    assert tags.title == "New" and tags.artists == ("A", "B")
    assert (tags.track_number, tags.track_total) == (4, 12)  # the total kept
    assert tags.date == "2001-05-03"  # same year: month and day kept
    assert current_values(str(path))["artist"] == "A; B"
    assert [p.name for p in tmp_path.iterdir()] == [f"a.{ext}"]  # no copy left behind


def test_a_read_only_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = make_audio(tmp_path / "a.mp3", metadata={"title": "Old"})
    before = path.read_bytes()
    path.chmod(0o444)  # refused even for root, who could write it
    with pytest.raises(TagWriteError, match="read-only"):
        write_tags(str(path), {"title": "New"})
    assert path.read_bytes() == before


def test_a_missing_file_and_an_unknown_field_get_clear_messages(tmp_path: Path) -> None:
    with pytest.raises(TagWriteError, match="missing"):
        write_tags(str(tmp_path / "gone.mp3"), {"title": "New"})
    path = make_audio(tmp_path / "a.mp3")
    with pytest.raises(TagWriteError, match="unknown field"):
        write_tags(str(path), {"composer": "Bach"})


def test_a_file_that_is_not_audio_stays_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "fake.mp3"
    path.write_bytes(b"not audio at all" * 100)
    with pytest.raises(TagWriteError):
        write_tags(str(path), {"title": "New"})
    assert path.read_bytes() == b"not audio at all" * 100
    assert [p.name for p in tmp_path.iterdir()] == ["fake.mp3"]


def test_editing_many_keeps_ids_and_listens_announces_and_undoes(db: Database, tmp_path: Path) -> None:
    ids = _library(db, tmp_path / "Music", 6)
    for track_id in ids:
        _listen(db, track_id)
    bus = EventBus()
    heard: list[dict] = []
    bus.subscribe("library_changed", lambda _name, payload: heard.append(dict(payload)))
    service = TagEditingService(db, bus)
    values, problems = service.values(ids)
    assert values["artist"] == "Old Artist" and values["title"] is VARIOUS and not problems

    report = service.edit(ids, {"artist": "New Artist; Guest", "genre": "Jazz"})
    assert sorted(report.edited) == sorted(ids) and not report.failed
    tracks = {t.id: t for t in TrackRepository(db).all()}
    assert set(tracks) == set(ids)
    assert {t.artist for t in tracks.values()} == {read_tags(tracks[ids[0]].path).artist}
    assert all(t.genre == "Jazz" for t in tracks.values())
    assert _listens(db) == {i: 1 for i in ids}
    assert heard == [{"track_ids": report.edited, "reason": "tags"}]
    # The next scan sees nothing new: the row already has the file's stat and fingerprint.
    rescan = Scanner(db, workers=1).scan([str(tmp_path / "Music")])
    assert rescan.added == 0 and rescan.updated == 0 and rescan.unchanged == 6

    undone = service.undo()
    assert sorted(undone.edited) == sorted(ids)
    assert {t.artist for t in TrackRepository(db).all()} == {"Old Artist"}
    assert all(read_tags(t.path).genres == () for t in TrackRepository(db).all())
    assert not service.can_undo()


def _genre_links(db: Database) -> dict[int, set[str]]:
    links: dict[int, set[str]] = {}
    for track_id, name in db.query("SELECT tg.track_id, g.name FROM track_genre tg "
                                   "JOIN genre g ON g.id = tg.genre_id"):
        links.setdefault(track_id, set()).add(name)
    return links


def test_a_cleared_genre_leaves_no_link_for_any_view_or_the_recommender(
        db: Database, tmp_path: Path) -> None:
    from player.db.recommend_queries import load_tracks
    from player.qt.name_model import genre_counts

    ids = _library(db, tmp_path / "Music", 3)
    service = TagEditingService(db)
    service.edit(ids, {"genre": "Jazz; Blues"})
    assert _genre_links(db) == {i: {"Jazz", "Blues"} for i in ids}
    service.edit(ids[:2], {"genre": ""})
    assert _genre_links(db) == {ids[2]: {"Jazz", "Blues"}}
    rows = load_tracks(db)
    assert dict(zip(rows.ids, rows.genres, strict=True)) == {
        ids[0]: (), ids[1]: (), ids[2]: ("Jazz", "Blues")}
    counts = {c.name: c.count for c in genre_counts(TrackRepository(db).all())}
    assert counts == {"Blues": 1, "Jazz": 1, "No genre": 2}  # the Genres view
    service.undo()  # the genre comes back, and its links
    assert _genre_links(db) == {i: {"Jazz", "Blues"} for i in ids}
    # Cleared outside Encore: the rescan drops the link too.
    write_tags(TrackRepository(db).get(ids[2]).path, {"genre": ""})  # type: ignore[union-attr]
    Scanner(db, workers=1).scan([str(tmp_path / "Music")])
    assert set(_genre_links(db)) == {ids[0], ids[1]}


def test_an_edited_file_that_is_then_moved_keeps_its_id(db: Database, tmp_path: Path) -> None:
    ids = _library(db, tmp_path / "Music", 2)
    _listen(db, ids[0])
    TagEditingService(db).edit([ids[0]], {"title": "Renamed"})
    track = TrackRepository(db).get(ids[0])
    assert track is not None
    moved = tmp_path / "Music" / "sub" / "moved.mp3"
    moved.parent.mkdir()
    os.rename(track.path, moved)
    report = Scanner(db, workers=1).scan([str(tmp_path / "Music")])
    assert report.moved == 1 and report.added == 0
    assert TrackRepository(db).by_path(str(moved)).id == ids[0]  # type: ignore[union-attr]
    assert _listens(db) == {ids[0]: 1}


def test_fifty_tracks_survive_a_kill_in_the_middle(db: Database, tmp_path: Path) -> None:
    """A real `encore tag` process killed with SIGKILL while it writes: every file is the old
    one or the new one, none broken, and undo puts the edited ones back; the edit run again
    completes with every id and listen kept; undo restores again."""
    music = tmp_path / "Music"
    ids = _library(db, music, 50, ext="flac", seconds=6.0)
    for track_id in ids:
        _listen(db, track_id)
    db_path = db.path
    base = [sys.executable, "-m", "player", "--db", str(db_path), "tag"]
    cmd = [*base, *[str(i) for i in ids], "--set", "artist=Killed Midway"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    files = sorted(music.glob("*.flac"))
    _kill_while_editing(cmd, files)
    artists = [read_tags(str(p)).artist for p in files]  # each file reads as audio
    assert set(artists) <= {"Old Artist", "Killed Midway"}
    changed = artists.count("Killed Midway")
    assert 0 < changed < 50, f"the kill came at {changed} of 50 files"

    # The killed edit is undoable: its record was saved after each file.
    undo = subprocess.run([*base, "--undo"], env=env, capture_output=True, text=True, timeout=120)
    assert undo.returncode == 0, undo.stderr
    assert {read_tags(str(p)).artist for p in files} == {"Old Artist"}

    finished = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert {read_tags(str(p)).artist for p in files} == {"Killed Midway"}
    assert sorted(t.id for t in TrackRepository(db).all()) == sorted(ids)
    assert {t.artist for t in TrackRepository(db).all()} == {"Killed Midway"}
    assert _listens(db) == {i: 1 for i in ids}
    assert not [p for p in music.iterdir() if p.name.startswith(".")]  # stale copies gone

    undo = subprocess.run([*base, "--undo"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert undo.returncode == 0, undo.stderr
    assert {read_tags(str(p)).artist for p in files} == {"Old Artist"}
    assert {t.artist for t in TrackRepository(db).all()} == {"Old Artist"}


def _kill_while_editing(cmd: list[str], files: list[Path]) -> None:
    """Start the edit and SIGKILL it as soon as the first file has changed."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    stamps = {p: p.stat().st_mtime_ns for p in files}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.stat().st_mtime_ns != stamps[p] for p in files):
            break
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


# Every format Encore writes tags to (AC-3 holds none: refused with a message).
WRITABLE = ["mp3", "ogg", "opus", "m4a", "alac.m4a", "wma", "wv", "aiff", "wav", "spx", "tta",
            "dsf", "dff"]


@pytest.mark.parametrize("ext", WRITABLE)
def test_a_kill_mid_edit_leaves_each_file_old_or_new_in_every_format(
        db: Database, tmp_path: Path, ext: str) -> None:
    """(FLAC: the fifty-track test above.) Each file reads back as audio with its old tags or
    the new ones, and undo brings back the old ones."""
    music = tmp_path / "Music"
    for i in range(12):
        path = music / f"{i:02d} Song.{ext}"
        if ext in ("dsf", "dff"):
            (make_dsf if ext == "dsf" else make_dff)(path, seconds=1.0, title=f"Song {i}")
        else:
            make_audio(path, seconds=4.0, freq=300 + i * 7, fmt=ext,
                       metadata={"title": f"Song {i}", "artist": "Old Artist"})
    Scanner(db, workers=1).scan([str(music)])
    ids = [t.id for t in TrackRepository(db).all()]
    files = sorted(music.glob(f"*.{ext}"))
    assert len(ids) == len(files) == 12
    before = {p: (read_tags(str(p)).title, read_tags(str(p)).artist) for p in files}
    base = [sys.executable, "-m", "player", "--db", str(db.path), "tag"]
    _kill_while_editing([*base, *map(str, ids), "--set", "artist=Killed Midway"], files)
    after = {p: (read_tags(str(p)).title, read_tags(str(p)).artist) for p in files}
    assert all(after[p] in (before[p], (before[p][0], "Killed Midway")) for p in files), after
    changed = sum(after[p] != before[p] for p in files)
    assert 0 < changed < 12, f"the kill came at {changed} of 12 files"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    undo = subprocess.run([*base, "--undo"], env=env, capture_output=True, text=True, timeout=120)
    assert undo.returncode == 0, undo.stderr
    assert {p: (read_tags(str(p)).title, read_tags(str(p)).artist) for p in files} == before
    assert sorted(t.id for t in TrackRepository(db).all()) == sorted(ids)


def test_cli_names_the_file_it_could_not_edit_and_exits_1(db: Database, tmp_path: Path, capsys) -> None:
    from player.cli import main

    ids = _library(db, tmp_path / "Music", 2)
    locked = TrackRepository(db).get(ids[0])
    assert locked is not None
    Path(locked.path).chmod(0o444)
    code = main(["--db", db.path, "tag", *map(str, ids), "--set", "album=New"])
    out = capsys.readouterr().out
    assert code == 1
    assert "1 track edited, 1 not edited" in out and "read-only" in out
    assert read_tags(locked.path).album == "Album"
    assert main(["--db", db.path, "tag", str(ids[0]), "--set", "colour=red"]) == 2
    assert "expected FIELD=VALUE" in capsys.readouterr().err
