"""Screenshots of the Playlists screen and the smart playlist editor.

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \
        .venv/bin/python docs/screenshots/playlists_screenshots.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from player.db.connection import open_database  # noqa: E402
from player.db.playlists import PlaylistRepository  # noqa: E402
from player.db.tracks import ScannedFile, TrackRepository  # noqa: E402
from player.playlists.rules import Condition, RuleGroup, SmartRules  # noqa: E402
from player.ui.playlists import PlaylistsView, SmartPlaylistDialog  # noqa: E402
from tests.factories import make_tags  # noqa: E402

OUT = Path(__file__).resolve().parent
ALBUMS = [
    ("Miles Davis", "Kind of Blue", "Jazz", ["So What", "Freddie Freeloader", "Blue in Green",
                                              "All Blues", "Flamenco Sketches"]),
    ("John Coltrane", "Giant Steps", "Jazz", ["Giant Steps", "Cousin Mary", "Countdown",
                                              "Spiral", "Syeeda's Song Flute", "Naima"]),
    ("Björk", "Post", "Electronic", ["Army of Me", "Hyperballad", "Isobel", "Possibly Maybe"]),
    ("Nina Simone", "Pastel Blues", "Jazz", ["Be My Husband", "Nobody Knows", "Sinnerman"]),
    ("Radiohead", "In Rainbows", "Rock", ["15 Step", "Bodysnatchers", "Nude", "Reckoner"]),
]


def build(db) -> dict[str, int]:
    files, rng = [], random.Random(2)
    for artist, album, genre, titles in ALBUMS:
        for n, title in enumerate(titles, 1):
            path = f"/home/me/Music/{artist}/{album}/{n:02d} {title}.flac"
            files.append(ScannedFile(path, 1, 1.0, path, make_tags(
                title=title, artists=(artist,), album=album, genres=(genre,), track_number=n,
                year=1959, duration=rng.uniform(150, 560))))
    TrackRepository(db).write_scanned(files, {})
    ids = {t.title: t.id for t in TrackRepository(db).all()}
    now = time.time()
    rows = []
    for track_id in ids.values():
        for _ in range(rng.randrange(0, 30)):
            skip = rng.random() < 0.1
            rows.append((track_id, now - rng.uniform(0, 120) * 86400, int(not skip), int(skip)))
    db.executemany("INSERT INTO listen (track_id, started_at, is_play, is_skip) VALUES (?, ?, ?, ?)", rows)
    return ids


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "shots.db")
        ids = build(db)
        repo = PlaylistRepository(db)
        road = repo.create("Late night drive")
        repo.add(road.id, [ids[t] for t in ("Blue in Green", "Hyperballad", "Naima", "Nude",
                                              "Sinnerman", "Flamenco Sketches", "Reckoner")])
        repo.add(repo.liked().id, [ids["So What"], ids["Army of Me"], ids["Countdown"]])
        jazz = SmartRules(RuleGroup("all", (
            Condition("genre", "contains", "jazz"), Condition("play_count", ">", 0),
            Condition("skip_rate", "<", 0.2))), "play_count", True, 25, 90)
        smart = repo.create("Jazz I keep playing", "smart", jazz.to_json())
        view = PlaylistsView(db)
        view.resize(1100, 640)
        view.show()
        for name, playlist_id in (("playlists_user", road.id), ("playlists_smart", smart.id),
                                  ("playlists_liked", repo.liked().id)):
            view.select_playlist(playlist_id)
            app.processEvents()
            view.grab().save(str(OUT / f"{name}.png"))
        view.select_playlist(road.id)
        view.delete_current()
        app.processEvents()
        view.grab().save(str(OUT / "playlists_undo.png"))
        editor_rules = SmartRules(RuleGroup("all", (
            Condition("genre", "contains", "jazz"),
            RuleGroup("any", (Condition("liked", "is", True), Condition("play_count", ">=", 5))),
            Condition("tempo", "between", [100, 130]),
            Condition("last_played", "not_in_last_days", 90))), "play_count", True, 25, 90)
        dialog = SmartPlaylistDialog("Forgotten jazz", editor_rules)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(OUT / "playlists_editor.png"))
        db.close()
    print("wrote", ", ".join(sorted(p.name for p in OUT.glob("playlists_*.png"))))


if __name__ == "__main__":
    main()
