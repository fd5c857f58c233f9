"""Fits the recommender and builds Home's mixes off the GUI thread (a QRunnable); the result
comes back as a queued signal. The service opens its own per-thread database connection."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from player.core.errors import KnownError
from player.services.recommendations import MixResult, RecommendationService, RightNowSession

log = logging.getLogger(__name__)
RIGHT_NOW_LENGTH = 50


class HomeResults:
    """What Home shows: the Daily Mixes, the Right now queue (with its live session), extras,
    and notes on what limits them (imported history that matches nothing, analysis pending)."""

    def __init__(self, mixes: list[MixResult], right_now: MixResult | None,
                 session: RightNowSession | None, extras: list[MixResult],
                 notes: list[str] | None = None) -> None:
        self.mixes, self.right_now, self.session, self.extras = mixes, right_now, session, extras
        self.notes = list(notes or [])


def failure_message() -> str:
    from player.logfile import log_path

    return f"Recommendations could not be built. The details are in {log_path()}."


def right_now_result(session: RightNowSession, count: int = RIGHT_NOW_LENGTH) -> MixResult:
    picks = session.next_tracks(count)
    return MixResult(session.title, "For this hour and weekday", "now", [t for t, _ in picks],
                     [r for _, r in picks], "context queue", session.source_id)


def build_home(service: RecommendationService, refit: bool = True) -> HomeResults:
    """Every output on its own: one that fails is logged and left out, the others still show.
    Raises only when nothing at all could be built (or the library is empty: KnownError)."""
    if refit:
        service.fit()
    failed: list[str] = []

    def attempt(name: str, make: Any) -> Any:
        try:
            return make()
        except KnownError:
            raise
        except Exception:
            log.exception("building %s failed", name)
            failed.append(name)
            return None

    mixes = attempt("Daily Mixes", service.daily_mixes) or []
    session = attempt("Right now", service.right_now)
    right_now = attempt("Right now", lambda: right_now_result(session)) if session else None
    extras = [e for e in (attempt("Rediscover", service.rediscover),
                          attempt("Fresh in your library", service.fresh)) if e is not None and e.tracks]
    notes = attempt("notes", service.notes) or []
    if failed and not mixes and right_now is None and not extras:
        raise RuntimeError("no output could be built: " + ", ".join(failed))
    if failed:
        notes.append(f"Could not build {', '.join(sorted(set(failed)))}; the details are in the log.")
    return HomeResults(mixes, right_now, session, extras, notes)


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
            self.signals.failed.emit(failure_message())
            return
        self.signals.ready.emit(results)
