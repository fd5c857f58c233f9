"""The listen logger on a database another connection keeps locked (an import's swap):
writes are queued, never lost, and the player's thread is never held for long."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from player.db.listens import ListenRepository
from tests.playback.harness import add_library, new_harness


def test_writes_wait_while_locked_and_every_second_is_saved_after(tmp_path: Path) -> None:
    h = new_harness(tmp_path)
    tracks = add_library(h.db, [180.0, 180.0])
    h.service.play_tracks(tracks)
    h.run(6)
    first = h.last()
    assert first.ms_played == 5000
    other = sqlite3.connect(h.db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # someone else's long write
    started = time.monotonic()
    h.run(20)  # heartbeats due at 10, 15, 20, 25 s: all refused
    h.service.next()  # closes the first listen and opens the second: queued too
    h.run(7)
    assert time.monotonic() - started < 30  # each try waits 0.2 s at most, retried every 2 s
    assert h.service.logger.pending_writes >= 2
    assert ListenRepository(h.db).get(first.id).ms_played == 5000  # nothing written yet
    other.execute("COMMIT")
    other.close()
    h.run(2)  # the next tick writes the queue, in order
    assert h.service.logger.pending_writes == 0
    a, b = h.rows()
    assert a.end_reason == "next" and a.ms_played == 26_000
    assert b.end_reason is None and b.ms_played == 5000
    h.service.shutdown()
    assert h.last().end_reason == "app_quit" and h.last().ms_played == 9000
    h.db.close()
