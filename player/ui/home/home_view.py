"""Home: "Made for you". The Right now card and up to 6 Daily Mix cards (plus Rediscover and
Fresh in your library); a card opens its track list. Cached mixes show at once; a background
job refits and refreshes (after scans, imports, once a day: call refresh())."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from player.core.models import Track
from player.qt.home_worker import HomeRefreshJob, HomeResults, right_now_result
from player.ui.home.mix_card import MixCard
from player.ui.home.mix_view import MixView

COLUMNS = 5
EMPTY = ("Nothing here yet. Scan your music (or import your listening history) and your "
         "mixes will appear here.")


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

    def __init__(self, service=None, covers=None, parent=None) -> None:
        super().__init__(parent)
        self.service, self.covers = service, covers
        self.results: HomeResults | None = None
        self.cards: list[MixCard] = []
        self._job: HomeRefreshJob | None = None
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
        self.grid = QGridLayout()
        self.grid.setSpacing(14)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.addWidget(self.heading)
        page_layout.addWidget(self.status)
        page_layout.addLayout(self.grid)
        page_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.stack.addWidget(scroll)
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

    def refresh(self, refit: bool = True) -> None:
        """Refit and rebuild in the background; the cards update when it is done."""
        if self.service is None or self._job is not None:
            return
        self._refreshed_on = self._today()
        self._job = HomeRefreshJob(self.service, refit)
        self._job.signals.ready.connect(self._on_ready)
        self._job.signals.failed.connect(self._on_failed)
        QThreadPool.globalInstance().start(self._job)

    def _on_ready(self, results: HomeResults) -> None:
        self._job = None
        self.set_results(results)

    def _on_failed(self, message: str) -> None:
        self._job = None
        self.status.setText(message)
        self.status.show()

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
        for n, mix in enumerate(entries):
            title = "Right now" if mix.kind == "now" else mix.title
            description = mix.title if mix.kind == "now" else mix.description
            card = MixCard(title, description, _distinct_artists(mix.tracks))
            card.opened.connect(lambda m=mix, t=title: self.open_mix(m, t))
            card.play_clicked.connect(lambda m=mix: self.play_requested.emit(
                list(m.tracks), 0, m.source, m.source_id))
            self.grid.addWidget(card, n // COLUMNS, n % COLUMNS)
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
