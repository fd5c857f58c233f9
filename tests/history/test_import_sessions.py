"""Imported listens get sessions, repeats and play/skip flags (PRODUCT.md), in start order with
the listens already there. Every expected value below is worked out by hand in the comments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from player.db.connection import Database
from player.db.listens import ListenRepository
from player.db.tracks import ScannedFile, TrackRepository
from player.history import import_service
from player.history.import_service import import_files
from tests.factories import make_tags
from tests.history.fixtures.exports import BASE, iso

B = BASE


def spotify(ended: float, ms: int, title: str, *, reason_end: str = "trackdone",
            skipped: bool | None = None, artist: str = "Artist") -> dict[str, object]:
    return {"ts": iso(ended), "username": "me", "ms_played": ms,
            "master_metadata_track_name": title, "master_metadata_album_artist_name": artist,
            "master_metadata_album_album_name": "Album", "episode_name": None,
            "reason_start": "trackdone", "reason_end": reason_end, "skipped": skipped}


def write_json(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def rows(db: Database) -> list[tuple[str, int, int, int, int, int, int]]:
    """(title, start - B, session, is_play, is_skip, is_early_skip, is_repeat) in start order."""
    return [(r[0], round(r[1] - B), r[2], r[3], r[4], r[5], r[6]) for r in db.query(
        "SELECT COALESCE(e.title, t.title), l.started_at, l.session_id, l.is_play, l.is_skip, "
        "l.is_early_skip, l.is_repeat FROM listen l LEFT JOIN external_track e ON e.id = l.external_id "
        "LEFT JOIN track t ON t.id = l.track_id ORDER BY l.started_at, l.id")]


# Spotify's ts is when the listen ENDED; it started ms_played earlier and was last heard at ts.
DAY = [
    spotify(B + 200, 200_000, "One"),                 # 1: starts B, heard until B+200
    spotify(B + 400, 200_000, "Two"),                 # 2: starts B+200, 0 s after 1
    spotify(B + 600, 200_000, "One"),                 # 3: starts B+400; One played until B+200
    spotify(B + 2409, 10_000, "Two", reason_end="fwdbtn", skipped=True),  # 4: starts B+2399
    spotify(B + 2709, 200_000, "Two"),                # 5: starts B+2509
    spotify(B + 4554, 45_000, "Two", reason_end="fwdbtn"),                # 6: starts B+4509
    spotify(B + 4574, 20_000, "Three", reason_end="clickrow", skipped=False),  # 7: starts B+4554
    spotify(B + 4674, 100_000, "Three", reason_end="endplay"),           # 8: starts B+4574
]


@pytest.mark.parametrize("mode", ["in order", "in order, old plays dropped often", "newest first"])
def test_sessions_repeats_and_skips_of_a_spotify_history(db: Database, tmp_path: Path, mode: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # In start order the import computes them as rows come; newest first, one SQL pass after.
    if "dropped" in mode:
        monkeypatch.setattr(import_service, "PRUNE_PLAYS", 0)  # prune at every play
    records = DAY[::-1] if mode == "newest first" else DAY
    report = import_files(db, [write_json(tmp_path / "a.json", records)])
    assert report.imported == 8
    got = rows(db)
    sessions = [r[2] for r in got]
    # 1-5: gaps 0, 0, 1799 (2399 - 600), 100 s -> one session. 6: 4509 - 2709 = 1800 s of
    # silence -> a new session (30 minutes is enough). 7, 8: 0 s gaps -> with 6.
    assert sessions[0] == sessions[1] == sessions[2] == sessions[3] == sessions[4]
    assert sessions[5] == sessions[6] == sessions[7] != sessions[0]
    assert all(s < 0 for s in sessions)  # imported sessions never take the live logger's ids
    assert [r[:2] + r[3:] for r in got] == [
        # title, start, play, skip, early skip, repeat
        ("One", 0, 1, 0, 0, 0),
        ("Two", 200, 1, 0, 0, 0),
        ("One", 400, 1, 0, 0, 1),      # One's play ended at 200: 200 s before -> repeat
        ("Two", 2399, 0, 1, 1, 0),     # fwdbtn after 10 s: early skip; Two's play ended at 400
        ("Two", 2509, 1, 0, 0, 0),     # latest PLAY of Two ended at 400 (4 was a skip): 2109 s
        ("Two", 4509, 1, 0, 0, 0),     # fwdbtn after 45 s of unknown length: a play, no skip;
                                       # Two's play ended at 2709: exactly 1800 s -> no repeat
        ("Three", 4554, 0, 1, 1, 0),   # clickrow (chose another) after 20 s: early skip
        ("Three", 4574, 1, 0, 0, 0),   # 7 was not a play, so not a repeat; endplay: no skip
    ]


def test_scrobbles_are_plays_never_skips_and_repeat_within_30_minutes(db: Database,
                                                                       tmp_path: Path) -> None:
    # Last.fm scrobbles: time heard unknown, so last heard = start.
    lines = [f"{B + s}\t{title}\tArtist\tAlbum\t\t\t" for s, title in
             [(0, "One"), (1799, "One"), (3599, "One"), (3600, "Two"), (5400, "Two")]]
    path = tmp_path / "lastfm.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_files(db, [path])
    got = rows(db)
    # gaps 1799 (same), 1800 (new), 1 (same), 1800 (new)
    assert got[0][2] == got[1][2] != got[2][2] == got[3][2] != got[4][2] != got[0][2]
    assert [(r[0], r[1], r[3], r[4], r[5], r[6]) for r in got] == [
        ("One", 0, 1, 0, 0, 0),
        ("One", 1799, 1, 0, 0, 1),   # 1799 s after One's play -> repeat
        ("One", 3599, 1, 0, 0, 0),   # 1800 s after -> not a repeat
        ("Two", 3600, 1, 0, 0, 0),
        ("Two", 5400, 1, 0, 0, 0),   # 1800 s -> not a repeat
    ]


def test_scrobbler_log_skipped_line_is_a_skip_and_not_a_play(db: Database, tmp_path: Path) -> None:
    lines = ["#AUDIOSCROBBLER/1.1", "#TZ/UTC", "#CLIENT/Rockbox",
             f"Artist\tAlbum\tOne\t1\t240\tL\t{B}\t",
             f"Artist\tAlbum\tOne\t1\t240\tS\t{B + 240}\t",
             f"Artist\tAlbum\tOne\t1\t240\tL\t{B + 300}\t"]
    path = tmp_path / ".scrobbler.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_files(db, [path])
    got = rows(db)
    # Heard until start + 240 s (length known, time heard not): B+240 -> 0 s gap, one session.
    assert got[0][2] == got[1][2] == got[2][2]
    assert [r[3:] for r in got] == [
        (1, 0, 0, 0),
        (0, 1, 0, 1),   # "S": skipped, time unknown -> no early skip; One played until B+240
        (1, 0, 0, 1),   # the latest PLAY of One ended at B+240 (2 was no play): 60 s -> repeat
    ]


def test_overlapping_imports_keep_sessions_and_repeats_consistent(db: Database, tmp_path: Path) -> None:
    first = import_files(db, [write_json(tmp_path / "a.json", DAY[:3])])
    assert first.imported == 3
    second = import_files(db, [write_json(tmp_path / "b.json", DAY[1:6])])
    assert second.imported == 3 and second.duplicates == 2
    got = rows(db)
    assert len(got) == 6
    assert len({r[2] for r in got[:5]}) == 1 and got[5][2] != got[0][2]
    assert [r[6] for r in got] == [0, 0, 1, 0, 0, 0]
    before = db.query("SELECT id, session_id, is_repeat FROM listen ORDER BY id")
    again = import_files(db, [write_json(tmp_path / "b.json", DAY[1:6])])
    assert again.imported == 0
    assert db.query("SELECT id, session_id, is_repeat FROM listen ORDER BY id") == before


def test_a_later_import_can_join_two_sessions(db: Database, tmp_path: Path) -> None:
    import_files(db, [write_json(tmp_path / "a.json", [
        spotify(B + 200, 200_000, "One"),     # B .. B+200
        spotify(B + 3200, 200_000, "Two"),    # B+3000 .. B+3200: 2800 s later -> new session
    ])])
    apart = rows(db)
    assert apart[0][2] != apart[1][2]
    import_files(db, [write_json(tmp_path / "b.json", [
        spotify(B + 1700, 200_000, "Three"),  # B+1500 .. B+1700: 1300 s after 1, 1300 s before 2
    ])])
    together = rows(db)
    assert [r[0] for r in together] == ["One", "Three", "Two"]
    assert together[0][2] == together[1][2] == together[2][2]


def test_imported_listens_join_an_encore_session_and_ids_never_collide(db: Database,
                                                                       tmp_path: Path) -> None:
    TrackRepository(db).write_scanned(
        [ScannedFile("/music/1.mp3", 1000, 1.0, "fp1", make_tags(title="One", artists=("Artist",),
                                                                 album="Album"))], {})
    track_id = int(db.scalar("SELECT id FROM track"))
    listens = ListenRepository(db)
    encore = listens.open(track_id=track_id, started_at=B, utc_offset_min=0, duration_ms=200_000,
                          source="library", source_id="", session_id=7, shuffle=False,
                          repeat_mode="off", is_repeat=False)
    listens.close(encore, at=B + 200, ms_played=200_000, end_reason="finished",
                  end_position_ms=200_000, is_play=True, is_skip=False, is_early_skip=False)
    import_files(db, [write_json(tmp_path / "a.json", [
        spotify(B + 400, 100_000, "One"),              # starts B+300: 100 s after Encore's
        spotify(B + 90_000, 100_000, "One"),           # a day later: a session of its own
    ])])
    got = db.query("SELECT origin, track_id, session_id, is_repeat FROM listen ORDER BY started_at")
    assert got[0] == ("encore", track_id, 7, 0)       # Encore's own listen is left as it was
    assert got[1] == ("spotify", track_id, 7, 1)      # same session; One played until B+200
    assert got[2][2] < 0 and got[2][3] == 0
    # The live logger starts its next session at MAX(session_id) + 1: 8, used by no listen.
    assert listens.max_session_id() + 1 == 8
    assert int(db.scalar("SELECT COUNT(*) FROM listen WHERE session_id = 8")) == 0


def test_listens_imported_before_sessions_existed_get_them_on_the_next_import(db: Database,
                                                                            tmp_path: Path) -> None:
    import_files(db, [write_json(tmp_path / "a.json", DAY[:3])])
    db.execute("UPDATE listen SET session_id = 0, is_repeat = 0")  # as an older Encore left them
    import_files(db, [write_json(tmp_path / "b.json", [spotify(B + 900_000, 100_000, "Far")])])
    got = rows(db)
    assert got[0][2] == got[1][2] == got[2][2] != 0
    assert got[3][2] not in (0, got[0][2])
    assert [r[6] for r in got] == [0, 0, 1, 0]
