"""Screenshots of the recap cards that say what an imported history lacks (issue 15), light and
dark: docs/screenshots/recap_imported_<page>[-dark].png.

Run under Xvfb (real X11 widgets), from the repository root:
    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python docs/screenshots/make_imported_recap_screenshots.py
It imports the hand-made Spotify account-data year of the tests (same-minute rows, short
rows, no albums, nothing in the library) with the real importer, gives the recap one Daily
Mix of library songs, and grabs the changed pages of "Your year" 2020; then the intro and the
skips of 2009 from the shared Last.fm-1K sample (scrobbles: no time heard, no skips).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from docs.screenshots.make_screenshots import dark_palette  # noqa: E402
from player.db.connection import open_database  # noqa: E402
from player.history.import_service import import_files  # noqa: E402
from player.recap.model import Cluster  # noqa: E402
from player.ui.recap.view import RecapView  # noqa: E402
from tests.factories import LISTENS_TSV  # noqa: E402
from tests.history.fixtures.exports import write_account_year  # noqa: E402

OUT = Path(__file__).resolve().parent
PAGES = ("top_albums", "top_genres", "skips", "sound", "personalities", "versus")
LASTFM_PAGES = ("intro", "skips")  # the shared Last.fm-1K sample: scrobbles only


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "imported.db")
        import_files(db, [write_account_year(Path(tmp) / "StreamingHistory0.json")], tz="UTC")
        lastfm = open_database(Path(tmp) / "lastfm.db")
        import_files(lastfm, [LISTENS_TSV], tz="UTC")
        for suffix in ("", "-dark"):
            if suffix:  # what a dark desktop hands Qt before any window opens
                app.setPalette(dark_palette())
            for source, year, pages, name in ((db, 2020, PAGES, ""),
                                              (lastfm, 2009, LASTFM_PAGES, "lastfm_")):
                view = RecapView(source, clusters=lambda: [Cluster("Daily Mix 1", (1, 2))])
                view.resize(1000, 700)
                view.show()
                view.set_year(year)
                for i, page in enumerate(view.pages):
                    if page.key in pages:
                        view.go_to(i)
                        app.processEvents()
                        view.grab().save(str(OUT / f"recap_imported_{name}{page.key}{suffix}.png"))
                view.close()
                view.deleteLater()
                app.processEvents()
        lastfm.close()
        db.close()
    print(f"screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
