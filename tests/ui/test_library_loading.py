"""LibraryController loads the library once at a time, and not again for a scan that changed
nothing (each load holds a whole second copy of the library next to the one shown)."""

from __future__ import annotations

from pathlib import Path

from player.qt import scan_worker


def _count_loads(monkeypatch) -> list[int]:
    runs: list[int] = []
    original = scan_worker.LoadTracksWorker.run

    def counted(self) -> None:
        runs.append(1)
        original(self)

    monkeypatch.setattr(scan_worker.LoadTracksWorker, "run", counted)
    return runs


def test_a_scan_that_changed_nothing_reports_without_reloading(qtbot, null_window, music: Path,
                                                                monkeypatch) -> None:
    library, window = null_window.library, null_window.window
    runs = _count_loads(monkeypatch)
    (music / "broken.mp3").write_bytes(b"this is not audio")  # a new scan issue, no new track
    with qtbot.waitSignal(library.tracks_loaded, timeout=20000) as blocker:
        library.scan([str(music)])
    assert blocker.args == [3]
    assert runs == []
    assert "1 file" in window.issues_button.text()
    assert window.library.track_model.total() == 3


def test_a_scan_that_added_tracks_reloads(qtbot, null_window, music: Path, monkeypatch) -> None:
    from tests.factories import make_audio

    library = null_window.library
    runs = _count_loads(monkeypatch)
    make_audio(music / "d.ogg", 0.5, metadata={"title": "Delta", "artist": "Dan"})
    with qtbot.waitSignal(library.tracks_loaded, timeout=20000) as blocker:
        library.scan([str(music)])
    assert blocker.args == [4] and runs == [1]
    assert null_window.window.library.track_model.total() == 4


def test_loads_asked_for_while_one_runs_become_one_more_load(qtbot, null_window,
                                                            monkeypatch) -> None:
    library = null_window.library
    runs = _count_loads(monkeypatch)
    loaded: list[int] = []
    library.tracks_loaded.connect(loaded.append)
    held: list = []

    class HeldPool:  # runs nothing by itself: the test runs each loader when it wants
        def start(self, worker) -> None:
            held.append(worker)

    monkeypatch.setattr(library, "pool", HeldPool())
    library.load()
    library.load()
    library.load()
    assert len(held) == 1  # one loader at a time
    held.pop().run()
    qtbot.waitUntil(lambda: len(loaded) == 1, timeout=5000)
    assert len(held) == 1  # the loads asked for meanwhile: once more, after the first is in
    held.pop().run()
    qtbot.waitUntil(lambda: len(loaded) == 2, timeout=5000)
    assert held == [] and runs == [1, 1] and loaded == [3, 3]
