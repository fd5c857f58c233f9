"""Fits the recommender and builds Home's mixes off the GUI thread (a QRunnable); the result
comes back as a queued signal. The service opens its own per-thread database connection."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, Signal

from player.core.errors import KnownError
from player.services.recommendations import MixResult, RecommendationService, RightNowSession

log = logging.getLogger(__name__)
RIGHT_NOW_LENGTH = 50


class HomeResults:
    """What Home shows: the Daily Mixes, the Right now queue (with its live session) and extras."""

    def __init__(self, mixes: list[MixResult], right_now: MixResult | None,
                 session: RightNowSession | None, extras: list[MixResult]) -> None:
        self.mixes, self.right_now, self.session, self.extras = mixes, right_now, session, extras


def right_now_result(session: RightNowSession, count: int = RIGHT_NOW_LENGTH) -> MixResult:
    picks = session.next_tracks(count)
    return MixResult(session.title, "For this hour and weekday", "now", [t for t, _ in picks],
                     [r for _, r in picks], "context queue", session.source_id)


def build_home(service: RecommendationService, refit: bool = True) -> HomeResults:
    if refit:
        service.fit()
    mixes = service.daily_mixes()
    session = service.right_now()
    extras = [service.rediscover(), service.fresh()]
    return HomeResults(mixes, right_now_result(session), session, [e for e in extras if e.tracks])


class HomeSignals(QObject):
    ready = Signal(object)  # HomeResults
    failed = Signal(str)


class HomeRefreshJob(QRunnable):
    def __init__(self, service: RecommendationService, refit: bool = True) -> None:
        super().__init__()
        self.service, self.refit = service, refit
        self.signals = HomeSignals()

    def run(self) -> None:
        try:
            results = build_home(self.service, self.refit)
        except KnownError as exc:
            self.signals.failed.emit(exc.message)
            return
        except Exception:  # a bug must not kill the worker thread silently
            log.exception("building Home failed")
            self.signals.failed.emit("Recommendations could not be built (see the log).")
            return
        self.signals.ready.emit(results)
