"""Home: "Made for you". The Right now card and up to 6 Daily Mix cards (plus Rediscover and
Fresh in your library); a card opens its track list. Cached mixes show at once; a background
job refits and refreshes: once a day, and whenever the library, the history, the analysis or
the preferences change (subscribe() to the domain EventBus), with Retry when it fails."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from player.core.models import Track
from player.qt.home_worker import HomeRefreshJob, HomeResults, right_now_result
from player.ui.home.flow_layout import FlowLayout
from player.ui.home.mix_card import MixCard
from player.ui.home.mix_view import MixView

EMPTY = ("Nothing here yet. Scan your music (or import your listening history) and your "
         "mixes will appear here.")
REBUILD_ON = ("library_changed", "history_changed", "feedback_changed", "preferences_changed",
              "analysis_progress")
DEBOUNCE_MS = 3000  # a scan or an analysis sends many events: rebuild once they settle


def _distinct_artists(tracks: list) -> list[str]:
    out: list[str] = []
    for track in tracks:
        if track.artist and track.artist not in out:
            out.append(track.artist)
    return out[:4]


class HomeView(QWidget):
    play_requested = Signal(list, int, str, str)  # tracks, start, source ("daily mix N"...), id
    dont_recommend_requested = Signal(object)  # Track
    right_now_changed = Signal(list)  # the Right now queue after a skip (tracks)
    _event_arrived = Signal(str, object)  # from any thread; handled on the GUI thread

    def __init__(self, service=None, covers=None, parent=None) -> None:
        super().__init__(parent)
        self.service, self.covers = service, covers
        self.results: HomeResults | None = None
        self.cards: list[MixCard] = []
        self._job: HomeRefreshJob | None = None
        self._pending = False  # a change arrived while a rebuild ran: rebuild again after it
        self._unsubscribe: list[Any] = []
        self._event_arrived.connect(self.on_event, Qt.ConnectionType.QueuedConnection)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(lambda: self.refresh())
        self._cover_slots: dict[str, tuple[MixCard, int]] = {}
        self._refreshed_on = ""
        self._day_timer = QTimer(self)
        self._day_timer.setInterval(10 * 60 * 1000)
        self._day_timer.timeout.connect(self._check_new_day)
        if covers is not None:
            covers.loaded.connect(self._on_cover)
        self.stack = QStackedWidget()
        self.mix_view = MixView()
        self.mix_view.back_requested.connect(lambda: self.stack.setCurrentIndex(0))
        self.mix_view.play_requested.connect(self.play_requested)
        self.mix_view.dont_recommend_requested.connect(self._dont_recommend)
        self.heading = QLabel("Made for you")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.heading.setFont(font)
        self.status = QLabel("Loading your mixes…")
        self.status.setWordWrap(True)
        self.retry = QPushButton("Retry")
        self.retry.clicked.connect(lambda: self.refresh())
        self.retry.hide()
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignTop)
        self.notes = QLabel()
        self.notes.setObjectName("dimLabel")
        self.notes.setWordWrap(True)
        self.notes.hide()
        self.grid = FlowLayout(spacing=14)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.addWidget(self.heading)
        page_layout.addLayout(status_row)
        page_layout.addWidget(self.notes)
        page_layout.addLayout(self.grid)
        page_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        # the cards wrap to the width: there is never anything to scroll sideways to
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(page)
        self.stack.addWidget(self.scroll_area)
        self.stack.addWidget(self.mix_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # -- data ------------------------------------------------------------------------------
    def load_cached(self) -> None:
        """Show today's cached Daily Mixes at once (no fitting), if any."""
        if self.service is None:
            return
        cached = self.service.cached_daily_mixes()
        if cached:
            self.set_results(HomeResults(cached, None, None, []))

    def start_daily_refresh(self) -> None:
        """Refit in the background now and whenever the local date changes (checked every
        10 minutes). Call refresh() too after scans and imports."""
        self._day_timer.start()
        self._check_new_day()

    def _check_new_day(self) -> None:
        today = self._today()
        if today != self._refreshed_on:
            self.refresh()

    def _today(self) -> str:
        from player.services.recommendations import local_date

        now = self.service.clock.now()
        return local_date(now, self.service.offset(now))

    def subscribe(self, bus: Any) -> None:
        """Rebuild when the library, history, feedback, preferences or analysis change. `bus`
        is player.core.events.EventBus; its callbacks may come from any thread."""
        for name in REBUILD_ON:
            self._unsubscribe.append(bus.subscribe(
                name, lambda event, payload: self._event_arrived.emit(event, payload)))

    def unsubscribe(self) -> None:
        for undo in self._unsubscribe:
            undo()
        self._unsubscribe.clear()

    def on_event(self, name: str, payload: Any = None) -> None:
        """A domain event (GUI thread): schedule one rebuild once the changes settle. Analysis
        progress counts only when a batch of results was stored (or the run finished)."""
        if name not in REBUILD_ON:
            return
        if name == "analysis_progress" and isinstance(payload, dict):
            done, total = payload.get("done", 0), payload.get("total", 0)
            if total and done < total and done % 25:
                return
        self._debounce.start()

    def refresh(self, refit: bool = True) -> None:
        """Refit and rebuild in the background; the cards update when it is done. A call while
        a rebuild runs is remembered and runs after it (nothing that changed is missed)."""
        if self.service is None:
            return
        if self._job is not None:
            self._pending = True
            return
        self._pending = False
        self._refreshed_on = self._today()
        self.retry.hide()
        self._job = HomeRefreshJob(self.service, refit)
        self._job.signals.ready.connect(self._on_ready)
        self._job.signals.failed.connect(self._on_failed)
        QThreadPool.globalInstance().start(self._job)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def _on_ready(self, results: HomeResults) -> None:
        self._job = None
        self.set_results(results)
        if self._pending:
            self.refresh()

    def _on_failed(self, message: str) -> None:
        self._job = None
        self.status.setText(message)
        self.status.show()
        self.retry.show()
        if self._pending:
            self.refresh()

    def set_results(self, results: HomeResults) -> None:
        self.results = results
        self._cover_slots.clear()
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        self.cards = []
        entries = ([results.right_now] if results.right_now else []) + results.mixes + results.extras
        entries = [e for e in entries if e.tracks]
        self.status.setVisible(not entries)
        self.status.setText(EMPTY)
        self.retry.hide()
        notes = list(getattr(results, "notes", []))
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        for mix in entries:
            title = "Right now" if mix.kind == "now" else mix.title
            description = mix.title if mix.kind == "now" else mix.description
            card = MixCard(title, description, _distinct_artists(mix.tracks))
            card.opened.connect(lambda m=mix, t=title: self.open_mix(m, t))
            card.play_clicked.connect(lambda m=mix: self.play_requested.emit(
                list(m.tracks), 0, m.source, m.source_id))
            self.grid.addWidget(card)
            self.cards.append(card)
            self._request_covers(card, mix.tracks)

    def _request_covers(self, card: MixCard, tracks: list) -> None:
        if self.covers is None:
            return
        firsts: dict[str, Track] = {}
        for track in tracks:
            if track.has_cover and track.album not in firsts:
                firsts[track.album] = track
        for slot, track in enumerate(list(firsts.values())[:4]):
            key = f"home:{len(self._cover_slots)}"
            self._cover_slots[key] = (card, slot)
            self.covers.request(key, track.path, 180)

    def _on_cover(self, key: str, size: int, image) -> None:
        target = self._cover_slots.pop(key, None)
        if target is not None and target[0] in self.cards and not image.isNull():
            target[0].set_cover(target[1], image)

    # -- actions ---------------------------------------------------------------------------
    def open_mix(self, mix, title: str | None = None) -> None:
        self.mix_view.show_mix(title or mix.title, mix.description if mix.kind != "now" else mix.title,
                               mix.tracks, mix.reasons, mix.source, mix.source_id)
        self.stack.setCurrentIndex(1)

    def right_now_skipped(self, track) -> None:
        """A track of the Right now queue was skipped: steer the rest of the queue away."""
        results = self.results
        if results is None or results.session is None:
            return
        results.session.skipped(track.id)
        results.right_now = right_now_result(results.session)
        self.right_now_changed.emit(list(results.right_now.tracks))

    def _dont_recommend(self, track) -> None:
        if self.service is not None:
            self.service.dont_recommend(track.id)
        self.dont_recommend_requested.emit(track)
