"""VlcEngine: playback through libVLC (python-vlc). The ONLY module that imports vlc.

Threads: libVLC calls our event callbacks on its own threads; they only put the event on a
queue (calling libVLC from there deadlocks). A worker thread of ours takes them off, does the
handover to the prepared player, and queues EngineEvents for poll_events().

Handover: three MediaPlayers take turns (current, prepared next, and the one still playing
out its last milliseconds). The prepared player gets its media ahead of time and is started
HANDOVER_LEAD_MS before the current one is due to end (estimated from get_time(), which
libVLC updates only coarsely, so the worker interpolates it), or at the latest on EndReached.
libVLC's start-up time and the error of our end estimate differ by format: when samples pass
through our sink (the dummy output, sample capture) both are measured there at every start and
handover, and the lead follows them per format (handover.HandoverTuner).

Crossfade (set_crossfade): the prepared player starts the fade length (plus that lead) before
the current one's estimated end; the worker then steps both players' volumes along the
equal-power curve until the outgoing one's end (every ~50 ms, more often for short fades).
Volume x ReplayGain x fade is what libVLC gets. pause, seek, load and stop cut a fade short
(the outgoing player stops); a handover on EndReached, or to the same file, never fades.

Formats libVLC 3 cannot decode (DSD) play through a converted copy when the engine is given
`copies` (engine/base.PlayableCopies): a slot whose copy is not made yet is "converting"; a
thread of ours makes it (one file at a time, each once however many slots wait for it, given
up when none does any more) and the worker then gives the copy to the player and starts it
if play() was asked meanwhile. The owner hears "converting", then "playing" (or "error" with
the reason). A prepared track still converting is handed over at the current one's end.
"""

from __future__ import annotations

import array
import ctypes
import glob
import logging
import os
import queue
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from player.core.errors import EngineDecodeError, EngineUnavailable, KnownError
from player.engine.base import EngineEvent, EngineState, Media, PlayableCopies
from player.engine.capture import CAPTURE_RATE, SampleCapture
from player.engine.crossfade import clamp_seconds, fade_gains, fade_length_ms
from player.engine.handover import HandoverTuner, Key
from player.engine.handover import key as format_key

log = logging.getLogger(__name__)

INSTALL_HINT = ("Install libVLC: sudo apt-get install libvlc5 vlc-plugin-base libvlc-bin "
                "(other systems: install VLC 3), or run with --engine null.")
HANDOVER_LEAD_MS = 30.0  # start the next track this long before the current one ends
# libVLC takes longer to get the first samples of some formats out (benchmarks/gap.py):
# the next track starts earlier by this much.
START_UP_EXTRA_MS = {".mp3": 80.0}
_POLL_S = 0.004  # worker's poll period while a handover is armed
_IDLE_S = 0.05
_SETTLE_US = 100_000  # a track's end is final this long after its last sample so far
_GIVE_UP_S = 10.0  # no samples by then: forget that measurement
_FADE_STEP_S = 0.05  # volume steps during a crossfade: at most this far apart...
_FADE_STEPS = 12  # ...and at least this many over the fade
_ALIASES = {"dummy": "adummy"}
_CONVERTED = "Converted"  # our own event: a playable copy was made (or failed)
_EVENTS = ("MediaPlayerPlaying", "MediaPlayerPaused", "MediaPlayerEndReached",
           "MediaPlayerEncounteredError")


def import_vlc() -> Any:
    """The vlc module, or EngineUnavailable when libVLC cannot be loaded."""
    try:
        import vlc
    except (ImportError, OSError, NotImplementedError, AttributeError, SystemExit) as exc:
        # python-vlc raises NotImplementedError (no libvlc), OSError (bad library) or even
        # SystemExit (PYTHON_VLC_LIB_PATH unloadable).
        raise EngineUnavailable(f"libVLC cannot be loaded ({type(exc).__name__}: {exc}).",
                                INSTALL_HINT) from exc
    return vlc


def _pulse_present() -> bool:
    if os.environ.get("PULSE_SERVER"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    return bool(runtime) and any(os.path.exists(os.path.join(runtime, n))
                                 for n in ("pulse/native", "pipewire-0"))


def _alsa_present() -> bool:
    return bool(glob.glob("/dev/snd/pcmC*D*p"))


def sound_device_present() -> bool:
    """A sound server socket or an ALSA playback device: something to play to."""
    return _pulse_present() or _alsa_present()


# Outputs we can check for a device before libVLC tries (it would play silently, too fast,
# and print ALSA errors).
_DEVICE_CHECKS = {"pulse": _pulse_present, "alsa": _alsa_present}


def choose_output(requested: str | None) -> tuple[str, str]:
    """(libVLC aout name or "" for libVLC's choice, warning or "")."""
    name = (requested or os.environ.get("ENCORE_AUDIO_OUTPUT") or "").strip()
    if name:
        check = _DEVICE_CHECKS.get(name)
        if check is not None and not check():
            return "dummy", (f"No {name} audio device found: playing silently through "
                             "libVLC's dummy output.")
        return name, ""
    if sound_device_present():
        return "", ""
    return "dummy", "No audio device found: playing silently through libVLC's dummy output."


def _output_names(vlc: Any, instance: Any) -> set[str]:
    names: set[str] = set()
    try:
        head = instance.audio_output_list_get()
        node = head
        while node:
            names.add(node.contents.name.decode("utf-8", "replace"))
            node = node.contents.next
        if head:
            vlc.libvlc_audio_output_list_release(head)
    except Exception:  # an odd binding: do not refuse to play over a list we cannot read
        log.debug("cannot list libVLC audio outputs", exc_info=True)
    return names


@dataclass(slots=True)
class _Fade:
    """A crossfade under way: slot indexes and tokens, start and length (monotonic s)."""

    out_index: int
    in_index: int
    out_token: int
    in_token: int
    start: float
    length_s: float
    stepped_at: float = 0.0


class _Wanted:
    """Whether a conversion is still wanted; remembers when it was not (then its failure is
    "given up", not an error to report)."""

    def __init__(self, check: Callable[[], bool]) -> None:
        self.check = check
        self.gave_up = False

    def __call__(self) -> bool:
        self.gave_up = self.gave_up or not self.check()
        return not self.gave_up


@dataclass(slots=True)
class _Slot:
    """One MediaPlayer and the media it holds."""

    player: Any
    token: int = -1
    path: str = ""
    hint_ms: int = 0
    gain: float = 1.0
    started: bool = False
    pending_seek: int = -1
    playing: bool = False
    output_pending: bool = False
    fade: float = 1.0  # crossfade volume factor
    converting: bool = False  # its playable copy is being made: no media in the player yet
    want_play: bool = False  # play() was asked (and not paused since): start once converted
    copy_error: str = ""  # why its playable copy could not be made
    # interpolated position (see _position)
    seen_time: int = -1
    anchor_ms: float = 0.0
    anchor_at: float = 0.0
    settle_until: float = 0.0


class VlcEngine:
    name = "vlc"

    def __init__(self, audio_output: str | None = None, *, capture: SampleCapture | None = None,
                 handover_lead_ms: float = HANDOVER_LEAD_MS, extra_args: tuple[str, ...] = (),
                 copies: PlayableCopies | None = None) -> None:
        self._vlc = vlc = import_vlc()
        aout, warning = choose_output(audio_output)
        self.instance = self._new_instance(aout, extra_args)
        if aout and _ALIASES.get(aout, aout) not in (names := _output_names(vlc, self.instance)) and names:
            warning = f"libVLC has no audio output {aout!r}: playing silently through the dummy output."
            self.instance.release()
            aout = "dummy"
            self.instance = self._new_instance(aout, extra_args)
        if warning:
            log.warning(warning)
        self.audio_output = aout or "auto"
        self.warning = warning
        self.capture = capture
        # libVLC's dummy output throws samples away as fast as they are decoded, so a track
        # "ends" up to a second early. Our own sink paces the end like a sound card would.
        self._sink = capture or (SampleCapture(keep_samples=False) if aout == "dummy" else None)
        self.handover_lead_ms = handover_lead_ms
        self.tuner = HandoverTuner()
        # measurements waiting for samples, by token: (format key, when play() was called or
        # when we estimated the end to be, in µs of the monotonic clock; when recorded, s)
        self._starts: dict[int, tuple[Key, float, float]] = {}
        self._ends: dict[int, tuple[Key, float, float]] = {}
        self._lock = threading.RLock()
        self._raw: queue.Queue[tuple[int, str, int] | None] = queue.Queue()
        self._out: list[EngineEvent] = []
        self._out_lock = threading.Lock()
        self._callbacks: list[Any] = []  # ctypes callbacks must outlive the players
        self._slots = [self._new_slot(i) for i in range(3)]
        self._cur = 0
        self._next: int | None = None  # slot index holding the prepared media
        self._volume = 100
        self._muted = False
        self._rate = 1.0
        self._crossfade_ms = 0.0
        self._fade: _Fade | None = None
        self._closed = False
        self._copies = copies
        self._conversions: queue.Queue[str | None] = queue.Queue()  # paths to convert
        self._converting: set[str] = set()  # paths queued or being converted
        self._converted: dict[str, tuple[str | None, str]] = {}  # path -> (copy, error)
        self._converter: threading.Thread | None = None
        self._worker = threading.Thread(target=self._work, name="encore-vlc-events", daemon=True)
        self._worker.start()

    # -- set-up ----------------------------------------------------------------------------
    def _new_instance(self, aout: str, extra_args: tuple[str, ...]) -> Any:
        args = ["--no-video", "--quiet", "--no-stats", *extra_args]
        if aout:
            args.append(f"--aout={aout}")
        try:
            instance = self._vlc.Instance(args)
        except Exception as exc:  # ctypes errors from a broken install
            raise EngineUnavailable(f"libVLC failed to start ({exc}).", INSTALL_HINT) from exc
        if instance is None:
            raise EngineUnavailable("libVLC is installed but failed to start (its plugins are "
                                    "missing?).", INSTALL_HINT)
        return instance

    def _new_slot(self, index: int) -> _Slot:
        player = self.instance.media_player_new()
        slot = _Slot(player)
        manager = player.event_manager()
        for name in _EVENTS:
            manager.event_attach(getattr(self._vlc.EventType, name), self._forward, index, name)
        if self._sink is not None:
            self._attach_capture(slot)
        return slot

    def _forward(self, _event: Any, index: int, name: str) -> None:
        """libVLC's thread: forward only. Never call libVLC here."""
        self._raw.put((index, name, self._slots[index].token))

    def _attach_capture(self, slot: _Slot) -> None:
        vlc, capture = self._vlc, self._sink
        assert capture is not None
        copy = capture.keep_samples

        def on_play(_data: Any, samples: Any, count: int, pts: int) -> None:
            if copy:
                capture.add_block(slot.token, int(pts), ctypes.string_at(samples, count * 2))
            else:
                capture.add_count(slot.token, int(pts), int(count))

        def on_drain(_data: Any) -> None:
            token = slot.token
            capture.wait_played(token, lambda: slot.token == token and not self._closed)

        def on_volume(_data: Any, volume: float, mute: bool) -> None:
            capture.add_volume(slot.token, float(volume), bool(mute))

        def on_pause(_data: Any, _pts: int) -> None:
            capture.paused(int(time.monotonic() * 1e6))

        def on_resume(_data: Any, _pts: int) -> None:
            capture.resumed(int(time.monotonic() * 1e6))

        def on_flush(_data: Any, _pts: int) -> None:
            capture.flushed()

        play_cb = vlc.CallbackDecorators.AudioPlayCb(on_play)
        drain_cb = vlc.CallbackDecorators.AudioDrainCb(on_drain)
        volume_cb = vlc.CallbackDecorators.AudioSetVolumeCb(on_volume)
        pause_cb = vlc.CallbackDecorators.AudioPauseCb(on_pause)
        resume_cb = vlc.CallbackDecorators.AudioResumeCb(on_resume)
        flush_cb = vlc.CallbackDecorators.AudioFlushCb(on_flush)
        self._callbacks += [play_cb, drain_cb, volume_cb, pause_cb, resume_cb, flush_cb]
        slot.player.audio_set_callbacks(play_cb, pause_cb, resume_cb, flush_cb, drain_cb, None)
        slot.player.audio_set_volume_callback(volume_cb)
        slot.player.audio_set_format("S16N", CAPTURE_RATE, 1)

    # -- commands --------------------------------------------------------------------------
    def load(self, media: Media) -> None:
        with self._lock:
            self._forget_measurements()
            self._cut_fade()
            self._release_next()
            for i, slot in enumerate(self._slots):  # silence whatever else was playing
                if i != self._cur and slot.started:
                    self._reset(slot)
            slot = self._slots[self._cur]
            self._reset(slot)
            self._assign(slot, media)

    def prepare_next(self, media: Media | None) -> None:
        with self._lock:
            self._release_next()
            if media is None:
                return
            index = self._free_slot()
            self._assign(self._slots[index], media)
            self._next = index

    def play(self) -> None:
        with self._lock:
            slot = self._slots[self._cur]
            if slot.token < 0:
                return
            slot.want_play = True
            if slot.copy_error:
                slot.started = False
                self._emit(EngineEvent("error", slot.token, message=slot.copy_error))
                return
            if not slot.started:
                slot.started = True
                if slot.converting:
                    self._announce_conversion(slot)
                    return
                self._apply_output(slot)
                self._measure_start(slot)
            if not slot.converting:
                slot.player.play()

    def pause(self) -> None:
        with self._lock:
            self._forget_measurements()
            self._cut_fade()
            slot = self._slots[self._cur]
            slot.want_play = False
            if slot.started and not slot.converting:
                slot.player.set_pause(1)
                self._anchor(slot)
                slot.playing = False

    def stop(self) -> None:
        with self._lock:
            self._forget_measurements()
            self._cut_fade()
            self._release_next()
            for slot in self._slots:
                slot.want_play = False
                if slot.started:
                    self._stop_player(slot)
                    slot.started = slot.playing = False
                    slot.seen_time, slot.anchor_ms = -1, 0.0

    def seek(self, ms: int) -> None:
        with self._lock:
            slot = self._slots[self._cur]
            if slot.converting and slot.token >= 0:  # applied once the copy plays
                slot.pending_seek = max(0, int(ms))
                slot.anchor_ms = float(slot.pending_seek)
                return
            if not slot.started:
                return
            ms = max(0, int(ms))
            self._forget_measurements()
            self._cut_fade()
            if slot.player.is_playing() or self._state_of(slot) == "paused":
                slot.player.set_time(ms)
                self._anchor(slot, ms)
            else:
                slot.pending_seek = ms  # applied when libVLC says it is playing

    def set_volume(self, volume: int) -> None:
        with self._lock:
            self._volume = min(max(int(volume), 0), 100)
            self._apply_output(self._slots[self._cur])
            for slot in self._slots:  # one still playing out (fading) follows too
                if slot is not self._slots[self._cur] and slot.started and slot.token >= 0:
                    self._apply_volume(slot)

    def set_muted(self, muted: bool) -> None:
        with self._lock:
            self._muted = bool(muted)
            for slot in self._slots:
                slot.player.audio_set_mute(self._muted)

    def set_rate(self, rate: float) -> None:
        with self._lock:
            self._rate = max(0.01, float(rate))
            self._forget_measurements()
            for slot in self._slots:
                slot.player.set_rate(self._rate)

    def set_crossfade(self, seconds: float) -> None:
        with self._lock:
            self._crossfade_ms = clamp_seconds(seconds) * 1000.0

    def effective_volume(self) -> float:
        with self._lock:
            return 0.0 if self._muted else self._vlc_volume(self._slots[self._cur]) / 100.0

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._raw.put(None)
        self._conversions.put(None)
        self._worker.join(timeout=5)
        if self._converter is not None:
            self._converter.join(timeout=5)  # a conversion under way stops at its next frame
        with self._lock:
            for slot in self._slots:
                slot.player.stop()
                slot.player.release()
            self.instance.release()

    # -- reading ---------------------------------------------------------------------------
    def position(self) -> int:
        with self._lock:
            return self._position(self._slots[self._cur])

    def duration(self) -> int:
        with self._lock:
            slot = self._slots[self._cur]
            if slot.token < 0:
                return 0
            length = int(slot.player.get_length() or 0) if slot.started else 0
            return length if length > 0 else slot.hint_ms

    def state(self) -> EngineState:
        with self._lock:
            return self._state_of(self._slots[self._cur])

    def poll_events(self) -> list[EngineEvent]:
        with self._out_lock:
            events, self._out = self._out, []
        return events

    # -- internals (caller holds self._lock) -----------------------------------------------
    def _assign(self, slot: _Slot, media: Media) -> None:
        source, slot.converting, slot.copy_error, slot.want_play = media.path, False, "", False
        if self._copies is not None and self._copies.needs_copy(media.path):
            ready = self._copies.ready_copy(media.path)
            slot.converting = ready is None
            source = ready or source
        slot.player.set_media(None if slot.converting else self.instance.media_new_path(source))
        slot.player.set_rate(self._rate)
        slot.player.audio_set_mute(self._muted)
        slot.token, slot.path, slot.hint_ms, slot.gain = media.token, media.path, media.duration_ms, media.gain
        slot.started = slot.playing = False
        slot.pending_seek, slot.seen_time, slot.anchor_ms = -1, -1, 0.0
        slot.fade = 1.0
        if slot.converting:  # after the token is the slot's: the converter checks it is wanted
            self._convert(media.path)

    @staticmethod
    def _stop_player(slot: _Slot) -> None:
        """Stop without waiting out a drain: the sink's drain gives up once the token changes,
        and events fired while stopping carry no token. A slot still converting has no media:
        nothing to stop (and its token must stay: the converter checks it)."""
        if slot.converting:
            return
        token, slot.token = slot.token, -1
        slot.player.stop()
        slot.token = token

    def _reset(self, slot: _Slot) -> None:
        if slot.started:
            self._stop_player(slot)
        slot.token, slot.started, slot.playing, slot.seen_time = -1, False, False, -1
        slot.anchor_ms, slot.fade = 0.0, 1.0
        slot.converting, slot.want_play, slot.copy_error = False, False, ""

    def _release_next(self) -> None:
        if self._next is not None:
            self._reset(self._slots[self._next])
            self._next = None

    def _free_slot(self) -> int:
        """A slot that is neither current nor still playing out (prefer never started)."""
        others = [i for i in range(len(self._slots)) if i != self._cur]
        idle = [i for i in others if not self._slots[i].started]
        if idle:
            return idle[0]
        index = others[0]
        self._reset(self._slots[index])
        return index

    def _vlc_volume(self, slot: _Slot) -> int:
        return int(round(min(200.0, self._volume * slot.gain * slot.fade)))

    def _apply_volume(self, slot: _Slot) -> None:
        if slot.player.audio_set_volume(self._vlc_volume(slot)) != 0:
            slot.output_pending = True

    def _apply_output(self, slot: _Slot) -> None:
        """Volume (x ReplayGain), mute and rate. libVLC refuses a volume until the player's
        audio output exists, so the worker retries until it takes (output_pending)."""
        slot.output_pending = slot.player.audio_set_volume(self._vlc_volume(slot)) != 0
        slot.player.audio_set_mute(self._muted)
        slot.player.set_rate(self._rate)

    def _state_of(self, slot: _Slot) -> EngineState:
        if not slot.started or slot.token < 0:
            return "stopped"
        if slot.converting:
            return "playing" if slot.want_play else "paused"
        state = slot.player.get_state()
        states = self._vlc.State
        if state in (states.Playing, states.Opening, states.Buffering):
            return "playing"
        if state == states.Paused:
            return "paused"
        return "stopped"

    def _position(self, slot: _Slot, clamp: bool = True) -> int:
        """Interpolated: libVLC's get_time() moves in steps (a second or more for Ogg).

        clamp=False: not limited to the length (the handover may be due after the estimated end).
        """
        if not slot.started or slot.token < 0:
            return 0
        now = time.monotonic()
        reported = int(slot.player.get_time())
        estimate = slot.anchor_ms
        if slot.playing:
            estimate += (now - slot.anchor_at) * 1000.0 * self._rate
        if reported >= 0 and reported != slot.seen_time:
            slot.seen_time = reported
            settling = now < slot.settle_until and abs(reported - estimate) > 250 * self._rate
            if not settling:  # a fresh value from libVLC: re-anchor on it
                slot.anchor_ms, slot.anchor_at, estimate = float(reported), now, float(reported)
        if not slot.playing or not clamp:
            return int(estimate)
        length = int(slot.player.get_length() or 0) or slot.hint_ms
        return int(min(estimate, length) if length > 0 else estimate)

    def _anchor(self, slot: _Slot, ms: float | None = None) -> None:
        """Restart the interpolation at ms (default: where it is now).

        Only a later *change* of get_time() re-anchors it on libVLC's figure again.
        """
        position = float(self._position(slot)) if ms is None else float(ms)
        slot.seen_time = int(slot.player.get_time())
        slot.anchor_ms, slot.anchor_at = position, time.monotonic()
        if ms is not None:  # a seek: libVLC reports stale times for a moment
            slot.settle_until = slot.anchor_at + 0.5

    def _emit(self, event: EngineEvent) -> None:
        with self._out_lock:
            self._out.append(event)

    # -- the worker thread -----------------------------------------------------------------
    def _work(self) -> None:
        while True:
            armed = (self._next is not None or bool(self._starts) or bool(self._ends)
                     or self._fade is not None or any(s.output_pending for s in self._slots))
            try:
                item = self._raw.get(timeout=_POLL_S if armed else _IDLE_S)
            except queue.Empty:
                item = ()  # type: ignore[assignment]
            if item is None:
                return
            try:
                with self._lock:
                    if self._closed:
                        return
                    if item:
                        self._on_event(*item)
                    for slot in self._slots:
                        if slot.output_pending and slot.started and not slot.converting:
                            self._apply_output(slot)
                    self._maybe_hand_over()
                    self._step_fade()
                    self._take_measurements()
            except Exception:  # keep the worker alive whatever one event does
                log.exception("libVLC event handling failed")

    def _on_event(self, index: int, name: str, token: int) -> None:
        if name == _CONVERTED:
            self._on_converted()
            return
        slot = self._slots[index]
        if token != slot.token or token < 0:
            return  # about media this player no longer holds
        current = index == self._cur
        if name == "MediaPlayerPlaying":
            if slot.pending_seek >= 0:
                slot.player.set_time(slot.pending_seek)
                self._anchor(slot, slot.pending_seek)
                slot.pending_seek = -1
            elif not slot.playing:
                self._anchor(slot)  # from here the clock runs
            slot.playing = True
            if current:
                self._emit(EngineEvent("playing", token))
        elif name == "MediaPlayerPaused":
            if slot.playing:
                self._anchor(slot)
            slot.playing = False
            if current:
                self._emit(EngineEvent("paused", token))
        elif name == "MediaPlayerEndReached":
            slot.playing = False
            if current and int(slot.player.get_length() or 0) <= 0 and slot.seen_time <= 0:
                slot.started = False  # opened, but nothing in it could be played
                self._emit(EngineEvent("error", token, message=f"no playable audio in {slot.path}"))
            elif current:
                self._hand_over(reached_end=True)
            else:
                slot.started = False  # a previous track finished playing out
        elif name == "MediaPlayerEncounteredError" and current:
            slot.playing = slot.started = False
            self._emit(EngineEvent("error", token, message=self._why(slot.path)))

    def _maybe_hand_over(self) -> None:
        """Start the prepared media when the current one is within the lead of its end."""
        if self._next is None:
            return
        slot = self._slots[self._cur]
        if not slot.playing:
            return
        length = int(slot.player.get_length() or 0)
        if length <= 0:
            return
        remaining_ms = (length - self._position(slot, clamp=False)) / self._rate
        following = self._slots[self._next]
        if following.converting or following.copy_error:
            return  # handed over at the current one's end (EndReached)
        fade_ms = 0.0
        if self._crossfade_ms > 0 and following.path != slot.path:  # repeat one: gapless
            fade_ms = fade_length_ms(self._crossfade_ms, length, following.hint_ms)
        if remaining_ms <= self._lead_ms(slot.path, following.path) + fade_ms / self._rate:
            if self._sink is not None and self.handover_lead_ms > 0:
                estimated_end = (time.monotonic() * 1000.0 + remaining_ms) * 1000.0
                self._ends[slot.token] = (format_key(slot.path, self._rate), estimated_end,
                                          time.monotonic())
            # the fade runs until the outgoing track's estimated end
            self._hand_over(reached_end=False,
                            fade_ms=min(fade_ms, max(0.0, remaining_ms) * self._rate))

    def _lead_ms(self, current_path: str, next_path: str) -> float:
        """How long (ms of wall time) before the current track's estimated end to start the next
        (negative: after it; EndReached still starts it at the latest)."""
        lead = self.handover_lead_ms
        if lead <= 0:  # only on EndReached (the reference in benchmarks/gap.py)
            return 0.0
        lead += START_UP_EXTRA_MS.get(os.path.splitext(next_path)[1].lower(), 0.0)
        default = lead / self._rate  # libVLC's start-up buffering is in track time
        return self.tuner.lead_ms(format_key(current_path, self._rate),
                                  format_key(next_path, self._rate), default)

    # -- learning the lead (worker thread or a command, under self._lock) ------------------
    def _measure_start(self, slot: _Slot) -> None:
        """slot is about to be played from its beginning: time its first sample."""
        if self._sink is not None and self.handover_lead_ms > 0 and slot.token >= 0:
            now = time.monotonic()
            self._starts[slot.token] = (format_key(slot.path, self._rate), now * 1e6, now)

    def _forget_measurements(self) -> None:
        """A user action (seek, pause, rate, load, stop) would skew what is being timed."""
        self._starts.clear()
        self._ends.clear()

    def _take_measurements(self) -> None:
        sink = self._sink
        if sink is None or not (self._starts or self._ends):
            return
        now = time.monotonic()
        for token, (fmt, played_at, since) in list(self._starts.items()):
            span = sink.span(token)
            if span is not None:
                del self._starts[token]
                self.tuner.observe_start(fmt, (span[0] - played_at) / 1000.0)
            elif now - since > _GIVE_UP_S:
                del self._starts[token]
        for token, (fmt, estimated_end, since) in list(self._ends.items()):
            span = sink.span(token)
            if span is not None and now * 1e6 > span[1] + _SETTLE_US:
                del self._ends[token]
                self.tuner.observe_end(fmt, (span[1] - estimated_end) / 1000.0)
            elif now - since > _GIVE_UP_S:
                del self._ends[token]

    def _hand_over(self, reached_end: bool, fade_ms: float = 0.0) -> None:
        ended = self._slots[self._cur]
        if self._next is None:
            ended.started = False
            self._emit(EngineEvent("ended", ended.token))
            return
        self._cut_fade()  # a fade still under way (very short tracks) ends here
        following = self._slots[self._next]
        if following.converting or following.copy_error:
            self._hand_over_unconverted(ended, following)
            return
        fading = fade_ms >= 1.0 and not reached_end
        following.fade = fade_gains(0.0)[1] if fading else 1.0
        self._apply_output(following)
        following.started = True
        self._measure_start(following)
        following.player.play()
        if reached_end:
            ended.started = False
        ended.playing = False  # left to play out its last milliseconds (or the fade)
        if fading:
            self._fade = _Fade(self._cur, self._next, ended.token, following.token,
                               time.monotonic(), fade_ms / 1000.0 / self._rate)
        self._cur, self._next = self._next, None
        self._emit(EngineEvent("ended", ended.token, next_token=following.token,
                               fade_ms=int(round(fade_ms)) if fading else 0))

    def _hand_over_unconverted(self, ended: _Slot, following: _Slot) -> None:
        """The current track ended while the next one's copy is still being made (it starts
        when the copy is ready) or could not be made (an error, as for any unplayable file)."""
        ended.started = ended.playing = False
        self._cur, self._next = self._slots.index(following), None
        following.started = following.want_play = True
        self._emit(EngineEvent("ended", ended.token, next_token=following.token))
        if following.copy_error:
            following.started = False
            self._emit(EngineEvent("error", following.token, message=following.copy_error))
        else:
            self._announce_conversion(following)

    # -- playable copies (formats libVLC cannot decode) -----------------------------------
    def _announce_conversion(self, slot: _Slot) -> None:
        assert self._copies is not None
        self._emit(EngineEvent("converting", slot.token, message=self._copies.describe(slot.path)))

    def _convert(self, path: str) -> None:
        """Queue path's conversion unless it is queued already (caller holds self._lock)."""
        if path in self._converting:
            return  # the slot gets the copy that job makes (repeat one, a re-prepared track)
        self._converting.add(path)
        if self._converter is None:
            self._converter = threading.Thread(target=self._convert_loop, daemon=True,
                                               name="encore-vlc-convert")
            self._converter.start()
        self._conversions.put(path)

    def _wanted(self, path: str) -> bool:
        """Some slot still waits for path's copy (no lock: a stale answer costs one frame)."""
        return not self._closed and any(slot.converting and slot.path == path and slot.token >= 0
                                        for slot in self._slots)

    def _convert_loop(self) -> None:
        """The converter thread: one copy at a time, never under self._lock (it is slow)."""
        copies = self._copies
        assert copies is not None
        while (path := self._conversions.get()) is not None:
            watch = _Wanted(partial(self._wanted, path))
            result: tuple[str | None, str] = (None, "")  # (None, ""): nobody waited any more
            if watch():
                try:
                    result = (copies.ready_copy(path) or copies.make_copy(path, watch), "")
                except KnownError as exc:
                    result = (None, "" if watch.gave_up else exc.message)
                except Exception as exc:  # noqa: BLE001 - a bug must not kill the thread silently
                    log.exception("making a playable copy of %s failed", path)
                    result = (None, f"cannot convert {os.path.basename(path)}: {exc}")
            with self._lock:
                self._converted[path] = result
            self._raw.put((-1, _CONVERTED, 0))

    def _on_converted(self) -> None:
        """(worker thread, under self._lock) copies made, failed or abandoned: hand them to the
        slots waiting for them."""
        done, self._converted = self._converted, {}
        for path, (copy, error) in done.items():
            self._converting.discard(path)
            waiting = [i for i, s in enumerate(self._slots)
                       if s.converting and s.path == path and s.token >= 0]
            if copy is None and not error:  # abandoned just as a slot asked for it again
                if waiting:
                    self._convert(path)
                continue
            for index in waiting:
                self._give_copy(index, copy, error)

    def _give_copy(self, index: int, copy: str | None, error: str) -> None:
        slot = self._slots[index]
        slot.converting = False
        if copy is None:
            slot.copy_error = error
            if index == self._cur and slot.started:
                slot.started = slot.playing = False
                self._emit(EngineEvent("error", slot.token, message=error))
            return
        slot.player.set_media(self.instance.media_new_path(copy))
        slot.player.set_rate(self._rate)
        slot.player.audio_set_mute(self._muted)
        if slot.started and slot.want_play:
            self._apply_output(slot)
            self._measure_start(slot)
            slot.player.play()

    # -- crossfade (worker thread or a command, under self._lock) --------------------------
    def _step_fade(self) -> None:
        fade = self._fade
        if fade is None:
            return
        out, inc = self._slots[fade.out_index], self._slots[fade.in_index]
        if out.token != fade.out_token or inc.token != fade.in_token or fade.in_index != self._cur:
            self._end_fade()  # a slot was reused or reset meanwhile
            return
        now = time.monotonic()
        progress = (now - fade.start) / fade.length_s if fade.length_s > 0 else 1.0
        if progress >= 1.0:
            self._end_fade()
            return
        if now - fade.stepped_at < min(_FADE_STEP_S, fade.length_s / _FADE_STEPS):
            return
        fade.stepped_at = now
        out.fade, inc.fade = fade_gains(progress)
        if out.started:
            self._apply_volume(out)
        self._apply_volume(inc)

    def _end_fade(self) -> None:
        """The fade is over: the outgoing player at 0 (it is ending), the incoming at full."""
        fade, self._fade = self._fade, None
        if fade is None:
            return
        out, inc = self._slots[fade.out_index], self._slots[fade.in_index]
        if out.token == fade.out_token and out.started:
            out.fade = 0.0
            self._apply_volume(out)
        if inc.token == fade.in_token:
            inc.fade = 1.0
            self._apply_volume(inc)

    def _cut_fade(self) -> None:
        """A user action during a fade: the outgoing player stops, the incoming is at full."""
        fade = self._fade
        if fade is None:
            return
        out = self._slots[fade.out_index]
        if out.token == fade.out_token and fade.out_index != self._cur:
            self._reset(out)
        self._end_fade()

    @staticmethod
    def _why(path: str) -> str:
        if not os.path.exists(path):
            return f"file not found: {path}"
        if not os.access(path, os.R_OK):
            return f"file not readable: {path}"
        return f"libVLC could not open or decode {path}"


def decode_to_pcm(path: str, rate: int, max_seconds: float) -> array.array:
    """Decode path to mono 16-bit samples at `rate` through libVLC, as fast as it can.

    For analysis, when FFmpeg (PyAV) cannot read a file that libVLC plays. libVLC's
    transcoder writes a WAV file (its stream output runs unpaced, unlike amem, which plays
    in real time): ~0.4 s for a minute of Vorbis. Raises EngineDecodeError with a plain reason.
    """
    vlc = import_vlc()
    with tempfile.TemporaryDirectory(prefix="encore-decode-") as folder:
        out = os.path.join(folder, "decoded.wav")
        instance = vlc.Instance("--no-video", "--quiet", "--aout=dummy", "--no-sout-video")
        if instance is None:
            raise EngineDecodeError("libVLC has no plugins: cannot decode")
        try:
            media = instance.media_new_path(path)
            media.add_option(f":sout=#transcode{{acodec=s16l,channels=1,samplerate={rate}}}"
                             f":std{{access=file,mux=wav,dst={out}}}")
            media.add_option(f":stop-time={max_seconds:.3f}")
            player = instance.media_player_new()
            player.set_media(media)
            player.play()
            _wait_done(vlc, player, deadline=time.monotonic() + 30 + max_seconds / 4)
            player.stop()
            player.release()
            media.release()
        finally:
            instance.release()
        samples = _read_wav(out, path)
    del samples[int(rate * max_seconds):]
    return samples


def _wait_done(vlc: Any, player: Any, deadline: float) -> None:
    finished = (vlc.State.Ended, vlc.State.Error, vlc.State.Stopped)
    while player.get_state() not in finished:
        if time.monotonic() > deadline:
            raise EngineDecodeError("libVLC took too long to decode the file")
        time.sleep(0.01)


def _read_wav(out: str, path: str) -> array.array:
    samples = array.array("h")
    try:
        with wave.open(out, "rb") as decoded:
            samples.frombytes(decoded.readframes(decoded.getnframes()))
    except (OSError, EOFError, wave.Error) as exc:
        raise EngineDecodeError(f"libVLC could not decode {os.path.basename(path)}") from exc
    if sys.byteorder == "big":
        samples.byteswap()  # WAV is little-endian
    return samples
