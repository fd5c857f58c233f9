"""Screenshot of the settings dialog on a small database, for docs/screenshots/settings.png.

Run under Xvfb:  xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \
                 .venv/bin/python packaging/settings_screenshot.py [out.png] [theme]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from player.db.connection import open_database
from player.db.preferences import Preferences
from player.db.settings import SettingsRepository
from player.ui.settings_dialog import SettingsDialog, apply_theme_choice
from player.ui.theme import apply_theme


def main() -> int:
    out = sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/settings.png"
    app = QApplication(sys.argv[:1])
    apply_theme(app)
    apply_theme_choice(app, sys.argv[2] if len(sys.argv) > 2 else "light")
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "encore.db")
        settings = SettingsRepository(db)
        for folder in ("/home/sam/Music", "/media/usb/Vinyl rips"):
            settings.add_folder(folder)
        Preferences(replaygain="album", crossfade_s=2.5, analysis_cpu_share=40).save(db)
        for day in range(420):
            db.execute("INSERT INTO listen (started_at) VALUES (?)", (1_700_000_000 + day * 86_400,))
        dialog = SettingsDialog(db)
        dialog.show()
        app.processEvents()
        dialog.grab().save(out)
        dialog.close()
        dialog.deleteLater()
        app.processEvents()
        db.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
