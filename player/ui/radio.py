"""Radio and "Sounds like this": what the track menu's two discovery entries do.

Both need the recommender or the analysis index, which may take a moment: the work runs in
the thread pool and the result is played (radio) or shown (similar) when it arrives.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from player.qt.task import run_task

RADIO_LENGTH = 40


class RadioStarter:
    """Starts radio from a track, and keeps the queue going when it runs dry (autoplay)."""

    def __init__(self, recommendations: Any, service, show_message) -> None:
        """recommendations: the app's one RecommendationService (shared with Home)."""
        self.recommendations = recommendations
        self.service = service
        self.show_message = show_message

    def recommender(self):
        return self.recommendations

    def start(self, track) -> None:
        """Radio from a track: it plays first, then music like it."""
        self.start_seed(str(track.id), track.title)

    def start_seed(self, seed: str, label: str) -> None:
        """Radio from a track id, "artist:NAME", "album:NAME" or "playlist:NAME"."""
        self.show_message(f"Starting radio from {label}\u2026")
        asked_in = self._moment()

        def work():
            session = self.recommender().radio(seed)
            opening_ids = {t.id for t in session.opening}
            picked = [t for t, _reason in session.next_tracks(RADIO_LENGTH)]
            return session.title, [*session.opening, *(t for t in picked if t.id not in opening_ids)]

        def done(result) -> None:
            title, tracks = result
            if self._moment() != asked_in:
                return  # the listener chose something else while the radio was being made
            if tracks:
                self.service.play_tracks(tracks, 0, "radio", seed)
                self.show_message(title)

        run_task(work, done, self.show_message)

    def _moment(self) -> tuple:
        state = self.service.state
        return (state.current.id if state.current else None, state.index, state.playing)

    def continue_after(self, last_track) -> None:
        """Autoplay: the queue ended; keep going with music like the last track."""
        self.start(last_track)


class SimilarDialog(QDialog):
    """The closest tracks by sound, with a button to play them."""

    def __init__(self, seed, similar: list, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Sounds like {seed.title}")
        self.resize(520, 420)
        self.tracks = [s.track for s in similar]
        listing = QListWidget()
        for item in similar:
            listing.addItem(f"{item.track.artist or 'Unknown artist'} \u2013 {item.track.title}"
                            f"   (distance {item.distance:.2f})")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.play_button = buttons.addButton("Play these", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Tracks that sound like \u201c{seed.title}\u201d, closest first:"))
        layout.addWidget(listing)
        layout.addWidget(buttons)


def show_similar(recommendations: Any, track, parent, play, show_message) -> None:
    """Look up the neighbours off the GUI thread (the app's RecommendationService), then show them."""
    def done(similar) -> None:
        if not similar:
            show_message("No other analysed tracks yet.")
            return
        dialog = SimilarDialog(track, similar, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            play([track, *dialog.tracks], 0, "radio", f"similar:{track.id}")

    run_task(lambda: recommendations.similar(track.id, 20), done, show_message)
