"""The window's screens changed by issue 16, at 800x600, 1180x740 and 1400x900, light and dark:
the Tracks view with a track playing (player bar, columns), an album page, Track info, About
and Keyboard shortcuts. A real window on the bundled demo music (scanned into a temporary
database, one track listened to so the counts are real):

    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb \\
        python docs/screenshots/window_screenshots.py docs/screenshots

Writes window-SCREEN-WxH-THEME.png (dialogs once per theme at their own size)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def settle(app, seconds: float = 0.5) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from player.app import apply_theme_now, build_app
    from player.db.connection import open_database
    from player.engine import create_engine
    from player.library.scanner import Scanner
    from player.resources import demo_music_dir
    from player.ui.help_dialogs import AboutDialog, ShortcutsDialog
    from player.ui.theme import apply_theme
    from player.ui.track_info import TrackInfoDialog

    out = Path(sys.argv[1])
    tmp = Path(tempfile.mkdtemp(prefix="encore-shots-"))
    app = QApplication([])
    apply_theme(app)
    db = open_database(tmp / "encore.db")
    Scanner(db).scan([str(demo_music_dir())])
    parts = build_app(db, create_engine("vlc", "dummy"), QSettings(str(tmp / "ui.ini"),
                      QSettings.Format.IniFormat), cover_dir=tmp / "covers", mpris=False, home=False)
    window = parts.window
    window.set_about(str(db.path), str(tmp / "encore.log"))
    window.show()
    parts.library.load()
    settle(app, 2.0)
    table = window.library.tracks_table
    table.play_row(0)
    settle(app, 1.5)
    track = parts.bridge.service.state.current
    for theme in ("light", "dark"):
        apply_theme_now(app, theme)
        settle(app)
        for width, height in ((800, 600), (1180, 740), (1400, 900)):
            window.resize(width, height)
            window.show_page("Library", "Tracks")
            settle(app)
            scroll = table.horizontalScrollBar().isVisible()
            print(f"{theme} {width}x{height}: tracks header {table.horizontalHeader().length()}px "
                  f"in {table.viewport().width()}px, horizontal scroll bar: {scroll}")
            window.grab().save(str(out / f"window-tracks-{width}x{height}-{theme}.png"))
            window.intents.go_to_album_requested.emit(track)
            settle(app)
            window.grab().save(str(out / f"window-album-{width}x{height}-{theme}.png"))
        info = TrackInfoDialog(track, window, facts=window.intents.track_facts(track.id))
        info.show()
        settle(app)
        info.grab().save(str(out / f"window-trackinfo-{theme}.png"))
        info.close()
        about = AboutDialog(str(db.path), str(tmp / "encore.log"), window)
        about.show()
        settle(app)
        about.grab().save(str(out / f"window-about-{theme}.png"))
        about.close()
        keys = ShortcutsDialog(window.shortcut_rows(), window)
        keys.show()
        settle(app)
        keys.grab().save(str(out / f"window-shortcuts-{theme}.png"))
        keys.close()
    window.save_layout()
    parts.shutdown()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
