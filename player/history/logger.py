"""The listen logger: turns "a track started / paused / resumed / ended" into listen rows.

A listen is written when it starts, updated by a heartbeat every few seconds while it plays,
and closed with its end reason. Time heard is wall time (x playback rate) accumulated while
the engine plays: pauses and buffering are excluded, and a seek adds nothing. After a crash
the next start closes open listens at their last heartbeat (recover()).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from player.core import rules as d
from player.core.clock import Clock, SystemClock
from player.core.models import Track
from player.db.history_admin import HistoryAdmin
from player.db.listens import ListenRepository

log = logging.getLogger(__name__)
HEARTBEAT_S = 5.0


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

    def _recording_paused(self) -> bool:
        return HistoryAdmin(self.listens.db).recording_paused()

    def _load(self) -> None:
        if not self._loaded:
            self._last_heard, self._session_id = self.listens.last_heard()
            self._loaded = True

    # -- lifecycle -------------------------------------------------------------------------
    def recover(self) -> int:
        """Close listens left open by a crash at their last heartbeat; returns how many."""
        rows = self.listens.open_listens()
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
        listen_id = self.listens.open(
            track_id=track.id if track.id > 0 else None, started_at=now,
            utc_offset_min=utc_offset_minutes(now), duration_ms=length, source=source,
            source_id=source_id, session_id=self._session_id, shuffle=shuffle,
            repeat_mode=repeat, is_repeat=repeat_, position_ms=position_ms)
        mono = self.clock.monotonic()
        self.current = OpenListen(listen_id, track, now, length, repeat_, self._session_id,
                                  heard_ms=float(heard_ms), position_ms=position_ms,
                                  playing=playing, last_mono=mono, last_beat_mono=mono,
                                  source=source)
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
        self.listens.heartbeat(listen.listen_id, now, int(round(listen.heard_ms)), listen.position_ms)
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
        self.listens.close(listen.listen_id, at=now, ms_played=heard, end_reason=reason,
                           end_position_ms=listen.position_ms, is_play=flags.is_play,
                           is_skip=flags.is_skip, is_early_skip=flags.is_early_skip)
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
