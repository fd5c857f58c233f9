"""Regenerate screenshots of every "Your year" page into docs/screenshots/recap_*.png.

Run under Xvfb (real X11 widgets), from the repository root:
    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python docs/screenshots/make_recap_screenshots.py
It builds a made-up history (tests/recap/demo_history.py) in a temporary database, opens the
RecapView at 1000x700 and grabs each page, then an empty year, a tiny year, a portrait and a
landscape card and the exported HTML file (recap_export.html, next to the screenshots).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from player.db.connection import open_database  # noqa: E402
from player.ui.recap.export import LANDSCAPE, PORTRAIT, save_card, save_html  # noqa: E402
from player.ui.recap.view import RecapView  # noqa: E402
from tests.recap.demo_history import build_demo, demo_clusters  # noqa: E402

OUT = Path(__file__).resolve().parent


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "demo.db")
        build_demo(db, 2025, 6000)
        db.execute("INSERT INTO listen (track_id, started_at, utc_offset_min, ms_played, "
                   "duration_ms) VALUES (1, 1767398400, 60, 200000, 200000)")  # 2026: tiny
        view = RecapView(db, clusters=demo_clusters)
        view.resize(1000, 700)
        view.show()
        view.set_year(2025)
        for i, page in enumerate(view.pages):
            view.go_to(i)
            app.processEvents()
            view.grab().save(str(OUT / f"recap_{i + 1:02d}_{page.key}.png"))
        save_card(view.pages[0], 0, len(view.pages), OUT / "recap_card_portrait.png", PORTRAIT)
        clock = next(i for i, p in enumerate(view.pages) if p.key == "clock")
        save_card(view.pages[clock], clock, len(view.pages), OUT / "recap_card_landscape.png",
                  LANDSCAPE)
        save_html(2025, view.pages, OUT / "recap_export.html")
        for year, name in ((2026, "tiny"), (2019, "empty")):
            view.set_year(year)
            for i, page in enumerate(view.pages):
                view.go_to(i)
                app.processEvents()
                view.grab().save(str(OUT / f"recap_{name}_{i + 1:02d}_{page.key}.png"))
        view.close()
        view.deleteLater()
        app.processEvents()
        db.close()
    print(f"screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
