"""The window's screens changed by issue 16, at 800x600, 1180x740 and 1400x900, light and dark:
the Tracks view with a track playing (player bar, columns, the playlists in the sidebar), an
album page and an artist page (play counts per track), a playlist, the sidebar's menu of a
playlist (right-click), Track info, About and Keyboard shortcuts. A real window on the Debian game soundtracks (get them with
/work/shared/data/get-debian-music.sh; the bundled demo music when absent), scanned into a
temporary database, with listens recorded through the real PlaybackService on a fake clock so
every count shown is one the history holds:

    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb \\
        python docs/screenshots/window_screenshots.py docs/screenshots [MUSIC FOLDER] [--only SCREEN,...]

Writes window-SCREEN-WxH-THEME.png (dialogs once per theme at their own size); --only tracks,
sidebarmenu writes just those screens."""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

DEBIAN = Path.home() / ".cache" / "encore-testdata" / "debian-music"
SIZES = ((800, 600), (1180, 740), (1400, 900))


def settle(app, seconds: float = 0.5) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def record_listens(db, tracks) -> None:  # type: ignore[no-untyped-def]
    """Some plays (heard to the end or for minutes), some early skips, over a few tracks."""
    from player.core.clock import FakeClock
    from player.engine.null import NullEngine
    from player.playback.service import PlaybackService

    clock = FakeClock(start=time.time() - 6 * 3600)
    service = PlaybackService(NullEngine(clock=clock), db, clock)
    plan = [(0, 400), (1, 400), (0, 400), (2, 5), (3, 400), (0, 400), (4, 8), (1, 400)]
    for index, seconds in plan:
        service.play_tracks([tracks[index % len(tracks)]], 0, "library")
        for _ in range(seconds):
            clock.advance(1)
            service.tick()
        if service.state.playing:
            service.next()
        clock.advance(60)
        service.tick()
    service.stop()
    service.shutdown()


def with_menu(app, window, playlist_id: int):  # type: ignore[no-untyped-def]
    """The window with the sidebar's menu of a playlist open where a right-click on its entry
    puts it (a popup is its own window: painted onto the window's grab at its place)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QPainter, QPixmap

    sidebar = window.sidebar
    item = sidebar.item(sidebar.playlist_rows()[playlist_id])
    spot = sidebar.visualItemRect(item).center()
    menu = window.sidebar_menu(playlist_id)  # what the right-click shows (it opens the playlist)
    menu.popup(sidebar.viewport().mapToGlobal(spot))
    settle(app)
    shot, popup = window.grab(), menu.grab()
    at = menu.pos() - window.mapToGlobal(QPoint(0, 0))
    # a menu near the bottom reaches past the window, as on a desktop: the canvas holds both
    image = QPixmap(max(shot.width(), at.x() + popup.width()), max(shot.height(), at.y() + popup.height()))
    image.fill(QColor(128, 128, 128))
    painter = QPainter(image)
    painter.drawPixmap(0, 0, shot)
    painter.drawPixmap(at, popup)
    painter.end()
    menu.close()
    settle(app, 0.2)
    return image


def main() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from player.app import apply_theme_now, build_app
    from player.core.clock import FakeClock
    from player.db.connection import open_database
    from player.db.tracks import TrackRepository
    from player.engine.null import NullEngine
    from player.library.scanner import Scanner
    from player.qt.track_model import NUMBER
    from player.resources import demo_music_dir
    from player.ui.help_dialogs import AboutDialog, ShortcutsDialog
    from player.ui.track_info import TrackInfoDialog
    from player.ui.track_menu import artist_of

    args = sys.argv[1:]
    only: set[str] = set()
    if "--only" in args:
        at = args.index("--only")
        only = set(args[at + 1].split(","))
        del args[at:at + 2]
    out = Path(args[0])
    music = Path(args[1]) if len(args) > 1 else DEBIAN if DEBIAN.is_dir() else demo_music_dir()

    def wanted(screen: str) -> bool:
        return not only or screen in only

    tmp = Path(tempfile.mkdtemp(prefix="encore-shots-"))
    app = QApplication([])
    db = open_database(tmp / "encore.db")
    Scanner(db).scan([str(music)])
    tracks = TrackRepository(db).all()
    # the artist with the most albums (then tracks) is the one shown; its tracks get listens
    artists = Counter(artist_of(t) for t in tracks if t.artist or t.album_artist)
    albums = Counter(artist_of(t) for t in {(artist_of(t), t.album): t for t in tracks if t.album}.values())
    artist = max(artists, key=lambda a: (albums[a], artists[a]))
    by_artist = sorted((t for t in tracks if artist_of(t) == artist and t.duration > 40),
                       key=lambda t: (t.album, t.track_number or 0, t.title))
    record_listens(db, by_artist or tracks)
    clock = FakeClock(start=time.time())
    parts = build_app(db, NullEngine(clock=clock), QSettings(str(tmp / "ui.ini"),
                      QSettings.Format.IniFormat), cover_dir=tmp / "covers", mpris=False, home=False)
    trip = parts.services.playlists.create("Road trip")
    parts.services.playlists.add(trip.id, [t.id for t in by_artist[:6] + [t for t in tracks if t.album][-6:]])
    window = parts.window
    window.set_about(str(db.path), str(tmp / "encore.log"))
    window.show()
    parts.library.load()
    settle(app, 2.0)
    playing = (by_artist or tracks)[0]
    parts.bridge.service.play_tracks([playing], 0, "library")
    clock.advance(47)
    parts.bridge.service.tick()
    settle(app, 1.0)
    for theme in ("light", "dark"):
        apply_theme_now(app, theme)
        settle(app)
        for width, height in SIZES:
            window.resize(width, height)
            window.show_page("Library", "Tracks")
            settle(app)
            table = window.library.tracks_table
            header = table.horizontalHeader()
            model = table.model()  # the first rows with a track number at the top
            numbered = next((r for r in range(model.rowCount())
                             if model.index(r, NUMBER).data()), 0)
            table.scrollTo(model.index(numbered, 0), table.ScrollHint.PositionAtTop)
            print(f"{theme} {width}x{height}: tracks header {header.length()}px in "
                  f"{table.viewport().width()}px; title {header.sectionSize(0)}px, # "
                  f"{header.sectionSize(NUMBER)}px, hidden columns "
                  f"{[c for c in range(table.model().columnCount()) if table.isColumnHidden(c)]}")
            if wanted("tracks"):
                window.grab().save(str(out / f"window-tracks-{width}x{height}-{theme}.png"))
            if wanted("sidebarmenu") and (width, height) != (1180, 740):
                with_menu(app, window, trip.id).save(
                    str(out / f"window-sidebarmenu-{width}x{height}-{theme}.png"))
            if only and not only & {"album", "artist", "playlist"}:
                continue
            window.intents.go_to_album_requested.emit(playing)
            settle(app, 1.0)
            window.grab().save(str(out / f"window-album-{width}x{height}-{theme}.png"))
            window.intents.go_to_artist_requested.emit(artist)
            settle(app, 1.0)
            window.grab().save(str(out / f"window-artist-{width}x{height}-{theme}.png"))
            window.open_playlist(trip.id)
            settle(app, 1.0)
            window.grab().save(str(out / f"window-playlist-{width}x{height}-{theme}.png"))
        if only:
            continue
        info = TrackInfoDialog(playing, window, facts=window.intents.track_facts(playing.id))
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
    print(f"artist page: {artist}; playing: {playing.title}")
    parts.shutdown()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
