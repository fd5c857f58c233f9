"""The listen logger: turns "a track started / paused / resumed / ended" into listen rows.

A listen is written when it starts, updated by a heartbeat every few seconds while it plays,
and closed with its end reason. Time heard is wall time (x playback rate) accumulated while
the engine plays: pauses and buffering are excluded, and a seek adds nothing. After a crash
the next start closes open listens at their last heartbeat (recover()), but only those whose
player process is gone (history/owner.py): a second player leaves a live one's listen alone.

Nothing heard is lost on a busy database (an import swapping its rows in, another program):
a write that finds the database locked stays queued, in order, and is retried on the next
ticks; queued heartbeats of one listen collapse into the latest (they carry running totals).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from player.core import rules as d
from player.core.clock import Clock, SystemClock
from player.core.errors import DatabaseBusy, DatabaseError
from player.core.models import Track
from player.db.history_admin import HistoryAdmin
from player.db.listens import ListenRepository
from player.history.import_recovery import discard_unfinished_imports
from player.history.owner import is_running, this_process

log = logging.getLogger(__name__)
HEARTBEAT_S = 5.0
RETRY_S = 2.0  # a write the database refused (busy) is tried again this often
WRITE_WAIT_MS = 200  # how long one listen write waits for another program's write lock
SHUTDOWN_WAIT_S = 60.0  # how long quitting waits for a busy database to take the last writes


@dataclass(slots=True)
class OpenListen:
    listen_id: int
    track: Track
    started_at: float
    duration_ms: int
    is_repeat: bool
    session_id: int
    heard_ms: float = 0.0
    position_ms: int = 0
    playing: bool = False
    last_mono: float = 0.0
    last_beat_mono: float = 0.0
    source: str = "library"  # where the listen was started from (library, radio, ...)


@dataclass(frozen=True, slots=True)
class ClosedListen:
    listen_id: int
    track_id: int
    ms_played: int
    end_reason: str
    end_position_ms: int
    is_play: bool
    is_skip: bool
    is_early_skip: bool
    is_repeat: bool
    session_id: int


def utc_offset_minutes(at: float) -> int:
    return int(time.localtime(at).tm_gmtoff // 60)


class ListenLogger:
    """One open listen at a time. Call from one thread (the playback service's)."""

    def __init__(self, listens: ListenRepository, clock: Clock | None = None,
                 heartbeat_s: float = HEARTBEAT_S) -> None:
        self.listens = listens
        self.clock = clock or SystemClock()
        self.heartbeat_s = heartbeat_s
        self.rate = 1.0
        self.current: OpenListen | None = None
        self._last_heard: float | None = None
        self._session_id = 0
        self._loaded = False
        self.owner = this_process()
        # Writes not yet accepted by a busy database: (kind, listen, write), oldest first.
        self._pending: list[tuple[str, OpenListen, Callable[[], None]]] = []
        self._retry_mono = 0.0
        self._deferred = False

    def _recording_paused(self) -> bool:
        return HistoryAdmin(self.listens.db).recording_paused()

    def _load(self) -> None:
        if not self._loaded:
            self._last_heard, self._session_id = self.listens.last_heard()
            self._loaded = True

    # -- lifecycle -------------------------------------------------------------------------
    def recover(self) -> int:
        """Close listens left open by players that died, at their last heartbeat; returns how many.

        A listen whose player is still running (another `encore play`, the GUI) is left open.
        Listens of this very process are an earlier logger's (a restart within the process).
        """
        try:  # an import killed half-way left hidden rows: gone, the history as before it
            discard_unfinished_imports(self.listens.db)
        except DatabaseError as exc:  # busy or read-only: the next start tries again
            log.warning("could not remove an unfinished import yet: %s", exc)
        owners = self.listens.open_owners()
        rows = [row for row in self.listens.open_listens()
                if not self._owner_alive(owners.get(row.id))]
        for row in rows:
            heard = int(row.ms_played or 0)
            flags = d.classify("crash_recovered", heard, int(row.duration_ms or 0))
            self.listens.close(row.id, at=row.heartbeat_at or row.started_at, ms_played=heard,
                               end_reason="crash_recovered",
                               end_position_ms=int(row.end_position_ms or 0),
                               is_play=flags.is_play, is_skip=False, is_early_skip=False)
        if rows:
            log.warning("closed %d listen(s) left open by the last run", len(rows))
        self._loaded = False
        return len(rows)

    def _owner_alive(self, owner: str | None) -> bool:
        return owner is not None and owner != self.owner and is_running(owner)

    # -- writes that survive a busy database -------------------------------------------------
    @property
    def pending_writes(self) -> int:
        return len(self._pending)

    def _write(self, kind: str, listen: OpenListen, write: Callable[[], None]) -> None:
        pending = self._pending
        if kind == "beat" and pending and pending[-1][0] == "beat" and pending[-1][1] is listen:
            pending[-1] = (kind, listen, write)  # running totals: the latest says it all
        else:
            pending.append((kind, listen, write))
        if len(pending) == 1:
            self.flush()

    def flush(self, wait_ms: int = WRITE_WAIT_MS) -> bool:
        """Try the queued writes in order; True when none is left.

        Each write waits at most wait_ms for the lock (the player's thread must not freeze
        while an import swaps its rows in); a busy database keeps them queued.
        """
        self._retry_mono = self.clock.monotonic()
        while self._pending:
            try:
                with self.listens.db.busy_wait(wait_ms):
                    self._pending[0][2]()
            except DatabaseBusy as exc:
                if not self._deferred:
                    log.warning("listen writes deferred until the database is free: %s", exc.message)
                self._deferred = True
                return False
            self._pending.pop(0)
        if self._deferred:
            log.warning("deferred listen writes saved")
            self._deferred = False
        return True

    def flush_before_exit(self, wait_s: float = SHUTDOWN_WAIT_S) -> bool:
        """Quitting: keep trying the queued writes for up to wait_s (each try waits too)."""
        deadline = time.monotonic() + wait_s
        while not self.flush(wait_ms=5000):
            if time.monotonic() >= deadline:
                log.error("%d listen write(s) could not be saved: database busy", len(self._pending))
                return False
            time.sleep(RETRY_S)
        return True

    def start(self, track: Track, *, source: str = "library", source_id: str = "",
              shuffle: bool = False, repeat: str = "off", position_ms: int = 0,
              playing: bool = False, duration_ms: int = 0, heard_ms: int = 0,
              resumed: bool = False) -> OpenListen | None:
        """A new listen of track (closing an open one as "chose_another" first).
        resumed: it goes on where the last run stopped, which is not a repeat (PRODUCT.md).

        None while the user paused recording (Settings > History): nothing is written.
        """
        if self.current is not None:
            self.end("chose_another", self.current.position_ms)
        if self._recording_paused():
            return None
        self._load()
        now = self.clock.now()
        if d.is_new_session(now, self._last_heard):
            self._session_id = max(self._session_id, self.listens.max_session_id()) + 1
        length = duration_ms or int(round(track.duration * 1000))
        repeat_ = (not resumed and track.id > 0
                   and d.is_repeat(now, self.listens.last_play_heard_at(track.id)))
        mono = self.clock.monotonic()
        listen = OpenListen(0, track, now, length, repeat_, self._session_id,
                            heard_ms=float(heard_ms), position_ms=position_ms,
                            playing=playing, last_mono=mono, last_beat_mono=mono, source=source)
        session_id, owner = self._session_id, self.owner

        def write_open() -> None:
            listen.listen_id = self.listens.open(
                track_id=track.id if track.id > 0 else None, started_at=now,
                utc_offset_min=utc_offset_minutes(now), duration_ms=length, source=source,
                source_id=source_id, session_id=session_id, shuffle=shuffle,
                repeat_mode=repeat, is_repeat=repeat_, position_ms=position_ms, owner=owner)

        self.current = listen
        self._write("open", listen, write_open)
        self._last_heard = now
        return self.current

    def set_playing(self, playing: bool, position_ms: int | None = None) -> None:
        """The engine started, resumed or paused: heard time counts only while playing."""
        listen = self.current
        if listen is None:
            return
        self._accumulate(listen, position_ms)
        listen.playing = playing

    def tick(self, position_ms: int) -> None:
        """Called often while a listen is open: counts heard time, writes heartbeats."""
        listen = self.current
        if self._pending and self.clock.monotonic() - self._retry_mono >= RETRY_S:
            self.flush()
        if listen is None:
            return
        self._accumulate(listen, position_ms)
        if listen.playing and listen.last_mono - listen.last_beat_mono >= self.heartbeat_s - 1e-6:
            self.heartbeat()

    def heartbeat(self) -> None:
        listen = self.current
        if listen is None:
            return
        self._accumulate(listen, None)
        now = self.clock.now()
        heard, position = int(round(listen.heard_ms)), listen.position_ms
        self._write("beat", listen,
                    lambda: self.listens.heartbeat(listen.listen_id, now, heard, position))
        listen.last_beat_mono = listen.last_mono
        self._last_heard = now

    def end(self, reason: d.EndReason, position_ms: int | None = None,
            unheard_ms: int = 0) -> ClosedListen | None:
        """Close the open listen (no-op without one).

        unheard_ms: time counted since the track really ended (e.g. already into the next).
        """
        listen = self.current
        if listen is None:
            return None
        self._accumulate(listen, position_ms)
        self.current = None
        heard = max(0, int(round(listen.heard_ms - unheard_ms)))
        flags = d.classify(reason, heard, listen.duration_ms)
        now = self.clock.now()
        position = listen.position_ms
        self._write("close", listen, lambda: self.listens.close(
            listen.listen_id, at=now, ms_played=heard, end_reason=reason, end_position_ms=position,
            is_play=flags.is_play, is_skip=flags.is_skip, is_early_skip=flags.is_early_skip))
        self._last_heard = now
        return ClosedListen(listen.listen_id, listen.track.id, heard, reason, listen.position_ms,
                            flags.is_play, flags.is_skip, flags.is_early_skip, listen.is_repeat,
                            listen.session_id)

    def _accumulate(self, listen: OpenListen, position_ms: int | None) -> None:
        mono = self.clock.monotonic()
        if listen.playing:
            listen.heard_ms += max(0.0, mono - listen.last_mono) * 1000.0 * self.rate
        listen.last_mono = mono
        if position_ms is not None:
            listen.position_ms = max(0, int(position_ms))
