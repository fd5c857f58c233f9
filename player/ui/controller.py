"""Wires what the user asks for (window and view signals) to the playback service, and what
playback reports (bridge signals) back to the views. The only object that sees both sides.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPixmap

from player.qt.cover_loader import CoverLoader
from player.qt.playback_bridge import PlaybackBridge
from player.ui.main_window import MainWindow
from player.ui.track_info import TrackInfoDialog

HISTORY_LIMIT = 300
NOW_PLAYING_COVER = 112


def open_folder(path: str) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(os.path.dirname(path)))


class PlaybackController(QObject):
    def __init__(self, window: MainWindow, bridge: PlaybackBridge, history, library,
                 covers: CoverLoader | None = None, open_folder_fn=open_folder) -> None:
        """history: the app's HistoryService; library: its LibraryService."""
        super().__init__(window)
        self.window = window
        self.bridge = bridge
        self.service = bridge.service
        self.history = history
        self.library = library
        self.covers = covers
        self.open_folder = open_folder_fn
        self._cover_key = ""
        self._queue_shown = -1  # the queue_version the queue page shows
        self._notice, self._notice_at = "", 0  # a notice shown until the track moves on
        self._connect_intents()
        self._connect_window()
        self._connect_bridge()

    def _connect_intents(self) -> None:
        intents, service = self.window.intents, self.service
        intents.play_requested.connect(
            lambda tracks, start, source, source_id: service.play_tracks(tracks, start, source, source_id))
        intents.play_next_requested.connect(service.play_next)
        intents.add_to_queue_requested.connect(service.add_to_queue)
        intents.like_requested.connect(lambda track, on: service.like(track.id, on))
        intents.ban_requested.connect(self._ban)
        intents.show_in_folder_requested.connect(lambda track: self.open_folder(track.path))
        intents.info_requested.connect(self._show_info)

    def _connect_window(self) -> None:
        w, s = self.window, self.service
        for source in (w, w.now_playing):
            source.play_pause_requested.connect(s.toggle_pause)
            source.next_requested.connect(s.next)
            source.previous_requested.connect(s.previous)
        w.stop_requested.connect(s.stop)
        w.seek_by_requested.connect(lambda delta: s.seek(max(0, s.state.position_ms + delta)))
        w.volume_by_requested.connect(lambda delta: s.set_volume(s.state.volume + delta))
        bar = w.now_playing
        bar.seek_requested.connect(s.seek)
        bar.volume_requested.connect(s.set_volume)
        bar.shuffle_requested.connect(s.set_shuffle)
        bar.repeat_requested.connect(s.set_repeat)
        bar.like_requested.connect(self._like_current)
        queue = w.queue_page
        queue.jump_requested.connect(s.play_index)
        queue.move_requested.connect(s.move_in_queue)
        queue.remove_requested.connect(s.remove_from_queue)
        queue.clear_requested.connect(s.clear_queue)
        history = w.history_page
        history.refresh_requested.connect(self.refresh_history)
        history.play_track_requested.connect(self._play_from_history)
        w.page_shown.connect(lambda name: self.refresh_history() if name == "History" else None)

    def _connect_bridge(self) -> None:
        b = self.bridge
        b.track_changed.connect(self._on_track_changed)
        b.state_changed.connect(self.window.now_playing.show_state)
        b.queue_changed.connect(self._show_queue)
        b.position_changed.connect(self.window.now_playing.show_position)
        b.error.connect(self.window.show_message)
        b.notice.connect(self._on_notice)
        b.position_changed.connect(self._end_notice_once_heard)
        b.error.connect(lambda _message: self._end_notice())  # e.g. the conversion failed
        if self.covers is not None:
            self.covers.loaded.connect(self._on_cover)
        self.show_state(b.state)

    def _on_notice(self, text: str) -> None:
        """E.g. "Converting …": in the player bar until the track is heard (a conversion can
        take longer than a status message's 8 s)."""
        self._notice, self._notice_at = text, self.bridge.state.position_ms
        self.window.show_message(text)
        self.window.now_playing.show_notice(text)  # the status bar is shared with other jobs

    def _end_notice_once_heard(self, position_ms: int, _duration_ms: int) -> None:
        if self._notice and position_ms > self._notice_at:
            self._end_notice()

    def _end_notice(self) -> None:
        if self._notice:
            self.window.clear_message(self._notice)
            self._notice = ""
        self.window.now_playing.clear_notice()

    def show_state(self, state) -> None:
        self.window.now_playing.show_state(state)
        self._show_queue(state)
        self._show_cover_of(state.current)

    def _show_queue(self, state) -> None:
        """Redraw the queue only when its version changed; else move the current mark."""
        if state.queue_version != self._queue_shown:
            self._queue_shown = state.queue_version
            self.window.queue_page.set_queue(state.queue, state.index)
        else:
            self.window.queue_page.show_current(state.index)

    # -- reactions -------------------------------------------------------------------------
    def _on_track_changed(self, state) -> None:
        self._end_notice()
        self.window.now_playing.show_state(state)
        self._show_queue(state)
        self.window.library.set_current_track(state.current.id if state.current else None)
        self._show_cover_of(state.current)
        title = f"{state.current.title} \u2014 Encore" if state.current else "Encore"
        self.window.setWindowTitle(title)
        if self.window.current_page() == "History":
            self.refresh_history()

    def _show_cover_of(self, track) -> None:
        self.window.now_playing.show_cover(None)
        if track is None or self.covers is None:
            self._cover_key = ""
            return
        self._cover_key = f"now:{track.path}"
        self.covers.request(self._cover_key, track.path, NOW_PLAYING_COVER)

    def _on_cover(self, key: str, size: int, image: QImage) -> None:
        if key == self._cover_key and size == NOW_PLAYING_COVER and not image.isNull():
            self.window.now_playing.show_cover(QPixmap.fromImage(image))

    def _like_current(self, liked: bool) -> None:
        current = self.service.state.current
        if current is not None:
            self.service.like(current.id, liked)

    def _ban(self, track, banned: bool) -> None:
        self.service.ban(track.id, banned)
        self.window.show_message(f"\u201c{track.title}\u201d marked as don't play this.")

    def _show_info(self, track) -> None:
        TrackInfoDialog(track, self.window, facts=self.window.intents.track_facts(track.id),
                        on_edit=lambda: self.window.intents.edit_tags_requested.emit([track])).open()

    def _play_from_history(self, track_id: int) -> None:
        track = self.library.track(track_id)
        if track is not None:
            self.service.play_tracks([track], 0, "history")

    def refresh_history(self) -> None:
        self.window.history_page.set_listens(self.history.recent(HISTORY_LIMIT))
