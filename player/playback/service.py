"""PlaybackService: the one object the GUI and the CLI drive.

It owns the queue, drives an Engine, logs listens, and saves the queue and position so a
restart can restore() them. Everything runs on the owner's thread: call tick() every
100-200 ms (a QTimer in the GUI, a loop in the CLI); it drains engine events, advances the
queue, writes heartbeats and tells listeners what changed.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import asdict
from typing import Literal

from player.core.clock import Clock, SystemClock
from player.core.errors import DatabaseBusy
from player.core.events import EventBus, EventName, EventPayload
from player.core.models import Track
from player.core.queue import (
    RESTART_THRESHOLD_MS,
    PlayQueue,
    QueueColumns,
    QueueEntry,
    QueueSnapshot,
    RepeatMode,
    snapshot_of,
)
from player.core.rules import EndReason
from player.db.connection import Database
from player.db.feedback import FeedbackRepository, TrackFeedback
from player.db.listens import ListenRepository
from player.db.settings import SettingsRepository
from player.db.tracks import TrackRepository
from player.engine.base import Engine, EngineEvent, Media, replaygain_factor
from player.history.logger import ListenLogger
from player.playback.queue_saver import QueueSaver
from player.playback.state import PlaybackEvent, PlaybackEventKind, PlaybackState
from player.services.feedback import FeedbackService

log = logging.getLogger(__name__)

ReplayGainMode = Literal["off", "track", "album"]
QUEUE_KEY = "playback.queue"
QUEUE_INDEX_KEY = "playback.queue_index"  # where in the saved queue: written at every track
PLAYER_KEY = "playback.player"  # position, volume, mute: saved often, kept small
SAVE_EVERY_S = 5.0
SAVE_NOW_MAX = 2_000  # a queue up to this long is saved at once (about a millisecond); longer
                      # ones by the background saver, a second after the last change
Listener = Callable[[PlaybackEvent], None]


BUSY_WAIT_MS = 250  # periodic saves never hold the player's thread longer on a locked database

class PlaybackService:
    def __init__(self, engine: Engine, db: Database, clock: Clock | None = None, *,
                 replaygain: ReplayGainMode = "track", queue: PlayQueue | None = None,
                 heartbeat_s: float = 5.0, bus: EventBus | None = None,
                 feedback: FeedbackService | None = None) -> None:
        """bus: the app's event bus (closed listens are announced, bans heard);
        feedback: the app's one FeedbackService (like/ban go through it)."""
        self.engine = engine
        self.db = db
        self.clock = clock or SystemClock()
        self.replaygain: ReplayGainMode = replaygain
        self.queue = queue or PlayQueue()
        self.tracks = TrackRepository(db)
        self.feedback = FeedbackRepository(db)
        self.bus = bus or EventBus()
        self.feedback_service = feedback or FeedbackService(db, self.bus, self.clock)
        self.bus.subscribe("feedback_changed", self._on_feedback)
        self.settings = SettingsRepository(db)
        self.logger = ListenLogger(ListenRepository(db), self.clock, heartbeat_s)
        self.logger.recover()
        self._listeners: list[Listener] = []
        self._token = 0
        self._current_token = -1
        self._prepared: tuple[int, int] | None = None  # (token, entry_id) handed to the engine
        self._playing = False
        self._paused = False
        self._volume = 100
        self._muted = False
        self._rate = 1.0
        self._crossfade_s = 0.0
        self._resume_ms = 0  # where to start the current track (after restore)
        self._restored: QueueEntry | None = None  # the entry restore() brought back, until played
        self._errors_in_row = 0
        self._last_save = self.clock.monotonic()
        self._position_ms = 0
        self._feedback_cache: TrackFeedback | None = None
        # the queue is saved when its version changes, off this thread; each saved queue gets
        # a stamp (this run + version) that the small index record names
        self._run_id = f"{os.getpid()}-{time.time():.0f}"
        self._saved_version = -1
        self._saver = QueueSaver(self._write_queue)

    # -- listeners -------------------------------------------------------------------------
    def add_listener(self, fn: Listener) -> None:
        self._listeners.append(fn)

    def remove_listener(self, fn: Listener) -> None:
        if fn in self._listeners:
            self._listeners.remove(fn)

    def _emit(self, kind: PlaybackEventKind, message: str = "", track: Track | None = None,
              source: str = "") -> None:
        if not self._listeners:
            return
        event = PlaybackEvent(kind, self.state, track, message, source)
        for fn in list(self._listeners):
            try:
                fn(event)
            except Exception:  # a listener's bug must not stop playback
                log.exception("playback listener failed on %s", kind)

    # -- state -----------------------------------------------------------------------------
    @property
    def state(self) -> PlaybackState:
        entry = self.queue.current
        track = entry.track if entry else None
        fb = self._feedback_of(track)
        duration = self.engine.duration() if self._playing else 0
        if not duration and track is not None:
            duration = int(round(track.duration * 1000))
        return PlaybackState(
            current=track, index=self.queue.index, queue=self.queue.tracks,
            queue_version=self.queue.version,
            position_ms=self._position_ms, duration_ms=duration, playing=self._playing,
            paused=self._paused, volume=self._volume, muted=self._muted,
            shuffle=self.queue.shuffle, repeat=self.queue.repeat,
            liked=bool(fb and fb.liked), banned=bool(fb and fb.banned),
        )

    def _feedback_of(self, track: Track | None) -> TrackFeedback | None:
        """The current track's like/ban, read once per track (state is read every tick)."""
        if track is None or track.id <= 0:
            return None
        if self._feedback_cache is None or self._feedback_cache.track_id != track.id:
            self._feedback_cache = self.feedback.get(track.id)
        return self._feedback_cache

    # -- commands: what to play ------------------------------------------------------------
    def play_tracks(self, tracks: Sequence[Track], start: int = 0, source: str = "library",
                    source_id: str = "") -> None:
        """Replace the queue with tracks and play tracks[start]."""
        entry = self.queue.set_tracks(list(tracks), start, source, source_id)
        self._emit("queue_changed")
        self._save_queue()
        if entry is None:
            self.stop()
            return
        self._start(entry, "chose_another")

    def play_index(self, index: int) -> None:
        """Play the queue's entry at index now (the user chose it)."""
        self._start(self.queue.jump(index), "chose_another")

    def play_next(self, tracks: Sequence[Track]) -> None:
        self.queue.play_next(list(tracks))
        self._queue_changed()

    def add_to_queue(self, tracks: Sequence[Track]) -> None:
        self.queue.add(list(tracks))
        self._queue_changed()

    def move_in_queue(self, src: int, dst: int) -> None:
        self.queue.move(src, dst)
        self._queue_changed()

    def remove_from_queue(self, index: int) -> None:
        was_current = self.queue.remove(index)
        self._queue_changed()
        if was_current and self._playing:
            self.next()  # the playing track left the queue: go on as if the user pressed next

    def clear_queue(self) -> None:
        self.queue.clear()
        self._queue_changed()

    # -- commands: transport ---------------------------------------------------------------
    def toggle_pause(self) -> None:
        if self._playing and not self._paused:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        """Resume; or start the current entry (from the restored position) when stopped."""
        if self._playing and self._paused:
            self.engine.play()
            self._paused = False
            self._emit("state_changed")
            self._drain()
            return
        if not self._playing and self.queue.current is not None:
            current = self.queue.current
            resumed = self._restored is not None and current.entry_id == self._restored.entry_id
            self._start(self.queue.current, None, self._resume_ms, resumed=resumed)

    def pause(self) -> None:
        if not self._playing or self._paused:
            return
        self.engine.pause()
        self._paused = True
        self.logger.set_playing(False, self.engine.position())
        self._emit("state_changed")
        self._save_player()

    def stop(self) -> None:
        self._halt("stopped")

    def next(self) -> None:
        entry = self.queue.advance(auto=False)
        if entry is None:
            self._halt("next")
        else:
            self._start(entry, "next")

    def previous(self) -> None:
        """Restart the track when more than 3 s in, else go to the previous one."""
        if self._playing and self.engine.position() > RESTART_THRESHOLD_MS:
            self.seek(0)
            return
        entry = self.queue.back()
        if entry is None:
            if self._playing:
                self.seek(0)
            return
        self._start(entry, "previous")

    def seek(self, ms: int) -> None:
        if not self._playing:
            self._resume_ms = max(0, int(ms))
            return
        self.logger.tick(self.engine.position())  # heard time so far, before the jump
        self.engine.seek(max(0, int(ms)))
        self._position_ms = self.engine.position()
        self.logger.tick(self._position_ms)
        self._emit("position")

    def set_volume(self, volume: int) -> None:
        self._volume = min(max(int(volume), 0), 100)
        self.engine.set_volume(self._volume)
        self._emit("state_changed")
        self._save_player()

    def set_muted(self, muted: bool) -> None:
        self._muted = bool(muted)
        self.engine.set_muted(self._muted)
        self._emit("state_changed")
        self._save_player()

    def set_shuffle(self, on: bool) -> None:
        self.queue.set_shuffle(on)
        self._queue_changed()
        self._emit("state_changed")

    def set_repeat(self, mode: RepeatMode) -> None:
        self.queue.set_repeat(mode)
        self._prepare_following()
        self._save_queue()
        self._emit("state_changed")

    def set_rate(self, rate: float) -> None:
        """Playback speed (tests, --rate); heard time is counted in track time."""
        self.logger.tick(self._position_ms)
        self._rate = rate
        self.logger.rate = rate
        self.engine.set_rate(rate)

    def set_crossfade(self, seconds: float) -> None:
        """Overlap each track with the next by this many seconds at its end (0 = gapless).
        next/previous and choosing another track still cut at once."""
        self._crossfade_s = min(max(float(seconds), 0.0), 12.0)
        self.engine.set_crossfade(self._crossfade_s)

    def set_replaygain(self, mode: ReplayGainMode) -> None:
        """Applies from the next track on."""
        self.replaygain = mode

    def like(self, track_id: int, liked: bool = True) -> None:
        self.feedback_service.like(track_id, liked)

    def ban(self, track_id: int, banned: bool = True) -> None:
        """Don't play this: one path (FeedbackService); _on_feedback drops it from the queue."""
        self.feedback_service.ban(track_id, banned)

    def _on_feedback(self, _name: EventName, payload: EventPayload) -> None:
        """Likes and bans from anywhere: a banned track leaves what is still to come."""
        self._feedback_cache = None
        if payload.get("reason") == "ban":
            dropped = sum(self.queue.drop_upcoming(t) for t in payload.get("track_ids", []))
            if dropped:
                self._queue_changed()
        self._emit("state_changed")

    def replace_upcoming(self, tracks: Sequence[Track], source: str = "queue",
                         source_id: str = "") -> None:
        """What follows the current track becomes tracks (one change, one event)."""
        self.queue.replace_upcoming(list(tracks), source, source_id)
        self._queue_changed()

    def shutdown(self) -> None:
        """The app is quitting: close the open listen ("app_quit"), save, release the engine."""
        if self._playing:
            self._resume_ms = self.engine.position()
            self._position_ms = self._resume_ms
        self.logger.end("app_quit", self._position_ms)
        self.logger.flush_before_exit()  # listen writes a busy database deferred
        self._save_queue()
        self._saver.close()
        self._save_player()
        self.engine.close()
        self._playing = False

    # -- the periodic work -----------------------------------------------------------------
    def tick(self) -> None:
        self._drain()
        if self._playing:
            self._position_ms = self.engine.position()
            self.logger.tick(self._position_ms)
            if not self._paused:
                self._emit("position")
            if self.clock.monotonic() - self._last_save >= SAVE_EVERY_S:
                self._save_player()

    def _drain(self) -> None:
        for event in self.engine.poll_events():
            self._handle(event)

    def _handle(self, event: EngineEvent) -> None:
        if event.token != self._current_token:
            return  # about media we have already left
        if event.kind == "playing":
            self._errors_in_row = 0
            self.logger.set_playing(True, self.engine.position())
            if self._paused:
                self._paused = False
                self._emit("state_changed")
        elif event.kind == "paused":
            self.logger.set_playing(False, self.engine.position())
        elif event.kind == "ended":
            self._ended(event.next_token, event.fade_ms)
        elif event.kind == "error":
            self._failed(event.message)
        elif event.kind == "converting":  # nothing is heard until "playing"
            self.logger.set_playing(False, self.engine.position())
            entry = self.queue.current
            self._emit("notice", event.message, entry.track if entry else None)

    def _ended(self, next_token: int | None, fade_ms: int = 0) -> None:
        listen = self.logger.current
        end_at = listen.duration_ms if listen else self._position_ms
        # Time since the track really ended was not heard: after a handover it is what the
        # engine has played of the next track; else what passed beyond what was left.
        # A crossfade hands over fade_ms before the end: the ended track is still heard
        # (fading) for that long, while the next one plays (heard time credited in advance).
        if next_token is not None:
            into_next = self.engine.position()
            unheard = into_next - fade_ms
        else:
            into_next, unheard = 0, self._time_past_end()
        self.logger.end("finished", end_at, unheard_ms=unheard)
        prepared = self._prepared
        self._prepared = None
        finished = self.queue.current
        entry = self.queue.advance(auto=True)
        if entry is None:
            self._halt("finished")
            # the queue played to its end (not stopped): autoplay may continue from here
            self._emit("queue_finished", track=finished.track if finished else None)
            return
        if next_token is not None and prepared and prepared == (next_token, entry.entry_id):
            self._current_token = next_token  # the engine is already playing it
            self._begin_listen(entry, 0, playing=True, heard_ms=into_next)
            self._announce_track(entry)
        else:
            self._start(entry, None)

    def _time_past_end(self) -> int:
        listen = self.logger.current
        if listen is None or not listen.playing or listen.duration_ms <= 0:
            return 0
        elapsed = (self.clock.monotonic() - listen.last_mono) * 1000.0 * self._rate
        left = max(0, listen.duration_ms - listen.position_ms)
        return int(max(0.0, elapsed - left))

    def _failed(self, message: str) -> None:
        entry = self.queue.current
        path = entry.track.path if entry else "?"
        log.warning("could not play %s: %s", path, message)
        self.logger.end("error", self._position_ms)
        self._emit("error", message, entry.track if entry else None)
        self._errors_in_row += 1
        following = self.queue.advance(auto=False)
        if following is None or self._errors_in_row >= max(1, len(self.queue)):
            self._halt("error")
            return
        self._start(following, None)

    # -- internals -------------------------------------------------------------------------
    def _media(self, entry: QueueEntry) -> Media:
        self._token += 1
        track = entry.track
        return Media(track.path, self._token, int(round(track.duration * 1000)),
                     self._gain(track))

    def _gain(self, track: Track) -> float:
        if self.replaygain == "off":
            return 1.0
        track_rg = (track.rg_track_gain, track.rg_track_peak)
        album_rg = (track.rg_album_gain, track.rg_album_peak)
        first, second = (album_rg, track_rg) if self.replaygain == "album" else (track_rg, album_rg)
        gain, peak = first if first[0] is not None else second
        return replaygain_factor(gain, peak)

    def _start(self, entry: QueueEntry, previous_reason: EndReason | None,
               position_ms: int = 0, resumed: bool = False) -> None:
        """Make entry current and play it, closing the open listen with previous_reason.
        resumed: the entry restore() brought back, played on from where the last run stopped."""
        self._restored = None
        if self.logger.current is not None:
            self._close_listen(previous_reason or "chose_another", self._live_position())
        media = self._media(entry)
        self._current_token = media.token
        self._prepared = None
        self.engine.prepare_next(None)
        self.engine.load(media)
        self.engine.set_volume(self._volume)
        self.engine.set_muted(self._muted)
        self.engine.play()
        if position_ms > 0:
            self.engine.seek(position_ms)
        self._playing, self._paused = True, False
        self._resume_ms = 0
        self._begin_listen(entry, position_ms, playing=False, resumed=resumed)
        self._announce_track(entry)
        self._drain()  # an engine that started at once (or failed) says so now

    def _begin_listen(self, entry: QueueEntry, position_ms: int, playing: bool,
                      heard_ms: int = 0, resumed: bool = False) -> None:
        self._position_ms = position_ms
        if entry.track.id <= 0:
            return  # a file outside the library (unreadable tags): nothing to log it against
        self.logger.start(entry.track, source=entry.source, source_id=entry.source_id,
                          shuffle=self.queue.shuffle, repeat=self.queue.repeat,
                          position_ms=position_ms, playing=playing, heard_ms=heard_ms,
                          resumed=resumed)

    def _announce_track(self, entry: QueueEntry) -> None:
        self._prepare_following()
        self._save_queue()
        self._emit("track_changed", track=entry.track)

    def _close_listen(self, reason: EndReason, position_ms: int) -> None:
        """End the open listen; a skip is announced (Right now and radio steer away)."""
        listen = self.logger.current
        closed = self.logger.end(reason, position_ms)
        if closed is not None and listen is not None:
            self.bus.publish("history_changed", {"track_ids": [listen.track.id], "reason": "listen"})
        if closed is not None and closed.is_skip and listen is not None:
            self._emit("skipped", track=listen.track, source=listen.source)

    def _live_position(self) -> int:
        return self.engine.position() if self._playing else self._position_ms

    def _halt(self, reason: EndReason) -> None:
        """Stop playing; the queue and its current entry stay."""
        self._close_listen(reason, self._live_position())
        was_playing = self._playing
        self.engine.prepare_next(None)
        self.engine.stop()
        self._prepared = None
        self._current_token = -1
        self._playing = self._paused = False
        self._position_ms = self._resume_ms = 0
        self._save_player()
        if was_playing:
            self._emit("state_changed")

    def _prepare_following(self) -> None:
        """Hand the engine what plays after the current track, for a quick handover."""
        if not self._playing:
            return
        following = self.queue.peek_next(auto=True)
        if following is None:
            if self._prepared is not None:
                self.engine.prepare_next(None)
                self._prepared = None
            return
        if self._prepared is not None and self._prepared[1] == following.entry_id:
            return
        media = self._media(following)
        self.engine.prepare_next(media)
        self._prepared = (media.token, following.entry_id)

    def _queue_changed(self) -> None:
        self._prepare_following()
        self._save_queue()
        self._emit("queue_changed")

    # -- saving and restoring --------------------------------------------------------------
    def _save_queue(self) -> None:
        """The queue when it changed (in the background), and where in it we are (small)."""
        queue = self.queue
        if queue.version != self._saved_version:
            self._saved_version = queue.version
            if len(queue) <= SAVE_NOW_MAX:
                self._saver.discard()
                self._write_queue(queue.columns())
            else:
                self._saver.submit(queue.columns())
        # a long write elsewhere (an import): wait briefly, the next save catches up
        with suppress(DatabaseBusy), self.db.busy_wait(BUSY_WAIT_MS):
            self.settings.set(QUEUE_INDEX_KEY, {"stamp": self._stamp(queue.version),
                                                "index": queue.index})

    def _stamp(self, version: int) -> str:
        return f"{self._run_id}:{version}"

    def _write_queue(self, columns: QueueColumns) -> None:
        """On the saver's thread: the snapshot as JSON, with its stamp."""
        saved = asdict(snapshot_of(columns))
        saved["stamp"] = self._stamp(columns.version)
        try:
            self.settings.set(QUEUE_KEY, saved)
        except DatabaseBusy:
            self._saved_version = -1  # a long write elsewhere: the next save tries again

    def flush_saves(self) -> None:
        """Wait for the queue being saved in the background (tests, quitting)."""
        self._saver.flush()

    def _save_player(self) -> None:
        position = self._live_position() if self._playing else self._resume_ms
        self._last_save = self.clock.monotonic()
        with suppress(DatabaseBusy), self.db.busy_wait(BUSY_WAIT_MS):  # the next save catches up
            self.settings.set(PLAYER_KEY, {"position_ms": position, "volume": self._volume,
                                           "muted": self._muted})

    def restore(self) -> bool:
        """Bring back the saved queue, position, volume and mute (paused: play() resumes)."""
        self._saver.flush()
        saved = self.settings.get(QUEUE_KEY)
        player = self.settings.get(PLAYER_KEY) or {}
        where = self.settings.get(QUEUE_INDEX_KEY) or {}
        self._volume = int(player.get("volume", 100))
        self._muted = bool(player.get("muted", False))
        self.engine.set_volume(self._volume)
        self.engine.set_muted(self._muted)
        if not saved:
            return False
        snap = QueueSnapshot(
            track_ids=tuple(saved.get("track_ids", ())),
            sources=tuple(tuple(s) for s in saved.get("sources", ())),  # type: ignore[misc]
            ranks=tuple(saved.get("ranks", ())),
            index=int(where["index"] if where.get("stamp") == saved.get("stamp") and "stamp" in saved
                      else saved.get("index", -1)),
            shuffle=bool(saved.get("shuffle", False)), repeat=saved.get("repeat", "off"))
        self.queue.restore(snap, self.tracks.get)
        self._resume_ms = int(player.get("position_ms", 0))
        self._position_ms = self._resume_ms
        self._restored = self.queue.current
        self._emit("queue_changed")
        current = self.queue.current
        self._emit("track_changed", track=current.track if current else None)
        self._emit("state_changed")
        return len(self.queue) > 0
