"""Home ("Made for you") screenshots at 800x600, 1180x740 and 1400x900, light and dark, from a
real library database (e.g. the librosa clips + Debian soundtracks, scanned and analysed):

    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb \\
        python docs/screenshots/home_screenshots.py LIBRARY.db docs/screenshots

Writes home-WxH-light.png / home-WxH-dark.png, home_mix.png (a Daily Mix with its reasons)
and prints whether a horizontal scrollbar was needed at each size."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def settle(app, seconds: float = 0.4) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from player.db.connection import open_database
    from player.qt.home_worker import build_home
    from player.services.recommendations import RecommendationService
    from player.ui.home import HomeView
    from player.ui.settings_dialog import apply_theme_choice

    db_path, out = sys.argv[1], Path(sys.argv[2])
    app = QApplication([])
    db = open_database(db_path)
    service = RecommendationService(db)
    results = build_home(service)
    for theme in ("light", "dark"):
        apply_theme_choice(app, theme)
        for width, height in ((800, 600), (1180, 740), (1400, 900)):
            view = HomeView(service)
            view.resize(width, height)
            view.show()
            view.set_results(results)
            settle(app)
            inner = view.scroll_area.widget().width()
            overflow = any(c.geometry().right() >= view.scroll_area.viewport().width() for c in view.cards)
            print(f"{theme} {width}x{height}: page {inner}px in a {view.scroll_area.viewport().width()}px "
                  f"viewport, cards cut: {overflow}")
            view.grab().save(str(out / f"home-{width}x{height}-{theme}.png"))
            if theme == "light" and width == 1180:
                daily = next(c for c in view.cards if c.title.text().startswith("Daily Mix"))
                daily.opened.emit()
                settle(app)
                view.grab().save(str(out / "home_mix.png"))
                view.cards[0].opened.emit()
                settle(app)
                view.grab().save(str(out / "home_right_now.png"))
            view.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
