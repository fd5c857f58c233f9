"""Home over a real database filled with 60 days of the synthetic listener, at a given size."""

from __future__ import annotations

from player.core.clock import FakeClock
from player.services.recommendations import RecommendationService
from player.ui.home import HomeView
from tests.factories_listens import fill_database, synthetic_log


def home_on_synthetic_log(qtbot, db, width: int = 1280, height: int = 800):  # type: ignore[no-untyped-def]
    log = synthetic_log(days=60)
    fill_database(db, log)
    at = log[-1].started_at + 3600
    service = RecommendationService(db, FakeClock(at), utc_offset_min=60)
    view = HomeView(service)
    qtbot.addWidget(view)
    view.resize(width, height)
    return view, service
