"""Library workers: a scan that fails for a bug still reports, loading builds the index."""

from __future__ import annotations

from PySide6.QtCore import Qt

from player.qt.scan_worker import LoadTracksWorker, ScanWorker
from tests.factories import add_tracks


def test_a_scan_bug_is_reported_not_left_hanging(qtbot, db, monkeypatch) -> None:
    worker = ScanWorker(db, ["/nowhere"])

    def broken(_folders):
        raise RuntimeError("boom")

    monkeypatch.setattr(worker.scanner, "scan", broken)
    with qtbot.waitSignal(worker.signals.failed) as blocker:
        worker.run()
    assert "boom" in blocker.args[0]


def test_loading_builds_the_views_index(qtbot, db) -> None:
    add_tracks(db, 30)
    worker = LoadTracksWorker(db, (0, Qt.SortOrder.DescendingOrder))
    with qtbot.waitSignal(worker.signals.loaded) as blocker:
        worker.run()
    index = blocker.args[0]
    assert len(index.tracks) == 30 and len(index.prepared.search) == 30
    titles = [index.tracks[i].title.casefold() for i in index.prepared.order]
    assert titles == sorted(titles, reverse=True)
    assert sum(a.count for a in index.artists) == 30 and len(index.albums) == 30


def test_loaded_tracks_share_repeated_values_and_keep_their_types(qtbot, db) -> None:
    from player.core.models import TrackTags
    from player.db.tracks import ScannedFile, TrackRepository

    add_tracks(db, 4)
    # a duration equal to another column's integer must stay a float, and vice versa
    TrackRepository(db).write_scanned([ScannedFile("/music/x.mp3", 5, 1.0, "fpx", TrackTags(
        title="X", artists=("Artist 0",), album="Album 0", year=1999, duration=1999.0,
        bitrate=128, sample_rate=44100, codec="mp3"))], {})
    worker = LoadTracksWorker(db)
    with qtbot.waitSignal(worker.signals.loaded) as blocker:
        worker.run()
    tracks = blocker.args[0].tracks
    by_artist = [t for t in tracks if t.artist == "Artist 0"]
    assert len(by_artist) == 2 and by_artist[0].artist is by_artist[1].artist
    assert by_artist[0].album is by_artist[1].album
    x = next(t for t in tracks if t.title == "X")
    assert type(x.year) is int and type(x.duration) is float and type(x.bitrate) is int
    assert (x.year, x.duration, x.bitrate, x.sample_rate, x.codec) == (1999, 1999.0, 128, 44100, "mp3")
    assert [t.id for t in tracks] == [t.id for t in TrackRepository(db).search()]


def test_a_reload_reuses_the_unchanged_tracks_the_views_hold(qtbot, db) -> None:
    from player.db.tracks import KnownFile, ScannedFile, TrackRepository
    from tests.factories import make_tags

    add_tracks(db, 5)
    repo = TrackRepository(db)
    shown = repo.all()
    changed = shown[2]
    repo.write_scanned([ScannedFile(changed.path, 9, 2.0, "fp-new", make_tags(title="Renamed"))],
                       {changed.path: KnownFile(changed.id, 1, 1.0, "fp", False)})
    worker = LoadTracksWorker(db, None, shown)
    with qtbot.waitSignal(worker.signals.loaded) as blocker:
        worker.run()
    tracks = {t.id: t for t in blocker.args[0].tracks}
    assert tracks[changed.id].title == "Renamed" and tracks[changed.id] is not changed
    assert all(tracks[t.id] is t for t in shown if t.id != changed.id)
    assert worker.shown == ()  # the worker lets go of the old list once read
