"""Every recap card of imported histories, checked by hand against the export itself.

1. A hand-made Spotify account-data year (tests/history/fixtures/exports.ACCOUNT_YEAR) with
   same-minute rows of one track: the numbers below are worked out row by row in the comments.
2. The shared Last.fm-1K sample (a real Last.fm log): every figure recounted by plain Python
   over the TSV, independently of Encore's code.
No card states a number its data cannot support: scrobbles show no skip rate, an export
without albums or genres says so, the sound card says what it knows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from player.db.connection import Database
from player.history.import_service import import_files
from player.qt.recap_loader import load_recap
from player.recap.model import Cluster, MonthStat, Ranked, Repeat, Skips, Streak
from player.recap.story import Page, story
from tests.factories import LISTENS_TSV
from tests.history.fixtures import exports


def pages_of(recap) -> dict[str, Page]:  # type: ignore[no-untyped-def]
    return {page.key: page for page in story(recap)}


@pytest.fixture
def account_year(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    import_files(db, [exports.write_account_year(tmp_path / "StreamingHistory0.json")], tz="UTC")
    return load_recap(db, 2020, clusters=[Cluster("Daily Mix 1", (1, 2))])


def test_account_year_numbers(account_year) -> None:  # type: ignore[no-untyped-def]
    r = account_year
    # 16 rows, one twice: 15 listens. >= 30 s: 200, 235, 240, 300, 600, 30 s (March) and
    # 240 x 3, 330 s (October) -> 10 plays.
    assert (r.listens, r.plays) == (15, 10)
    # Heard, rounded per listen: March 200+12+1+235+240+30+300+600+30 = 1,648 s, July 5+0,
    # October 720+330 = 1,050 s: 2,703 s -> 45 min.
    assert r.minutes == 45
    # Feeling Good (once spelled "NINA SIMONE"/"feeling good": one song), Roads, Glory Box,
    # Sinnerman, Teardrop; 3 artists; plays on 2, 3, 4 March, 5, 6 October (not 10 July).
    assert (r.tracks, r.artists, r.days) == (5, 3, 5)
    assert r.headline() == {
        "year": 2020, "minutes": 45, "listens": 15, "plays": 10, "distinct_tracks": 5,
        "artists": 3, "days": 5, "skips": 5, "skip_rate": 0.3333, "top_artist": "Portishead",
        "top_artist_plays": 5, "top_track": "Roads", "top_track_artist": "Portishead",
        "top_track_plays": 4}


def test_account_year_cards(account_year) -> None:  # type: ignore[no-untyped-def]
    r = account_year
    pages = pages_of(r)
    assert len(pages) == 15
    # Roads: 4 plays, 240+30+5+0+720 = 995 s -> 17 min; Feeling Good 3 plays,
    # 200+12+1+235+30 = 478 s -> 8 min; then one play each by minutes: Sinnerman 600 s,
    # Teardrop 330 s, Glory Box 300 s.
    assert r.top_tracks == [Ranked("Roads", "Portishead", 4, 17),
                            Ranked("Feeling Good", "Nina Simone", 3, 8),
                            Ranked("Sinnerman", "Nina Simone", 1, 10),
                            Ranked("Teardrop", "Massive Attack", 1, 6),
                            Ranked("Glory Box", "Portishead", 1, 5)]
    # Portishead 995 + 300 = 1,295 s; Nina Simone 478 + 600 = 1,078 s.
    assert r.top_artists == [Ranked("Portishead", "", 5, 22), Ranked("Nina Simone", "", 4, 18),
                             Ranked("Massive Attack", "", 1, 6)]
    # Account data names no album and carries no genre, and no song is in the library.
    assert r.top_albums == [] and r.top_genres == []
    assert pages["top_albums"].note.startswith("None of your 10 plays in 2020 names an album")
    assert "tag them" not in pages["top_genres"].note
    assert "none of your 10 plays in 2020 is of a song in it" in pages["top_genres"].note
    # Starts (UTC): Mon 2 March 07:56:40, 08:04:05, 08:08; Tue 21:00; Wed 21:00, 21:10:30;
    # Mon 5 October 17:56, 18:00, 18:04; Tue 17:54:30. Three hours hold 2: Monday 08 first.
    assert (r.peak_weekday, r.peak_hour) == (0, 8)
    assert (r.clock[0][8], r.clock[0][18], r.clock[2][21], r.clock[0][17]) == (2, 2, 2, 1)
    assert pages["clock"].big == "Monday mornings"
    assert r.months[2] == MonthStat(3, 6, 27)  # 1,648 s
    assert r.months[6] == MonthStat(7, 0, 0)  # a 5 s and a 0 s skip
    assert r.months[9] == MonthStat(10, 4, 18)  # 1,050 s
    assert r.favourites == []  # Roads: 4 plays (< 5), nothing liked
    assert r.streak == Streak(3, "2020-03-02", "2020-03-04")
    # Roads at 17:56-18:00, 18:00-18:04, 18:04-18:08 on 5 October.
    assert r.repeat == Repeat("Roads", "Portishead", 3, "2020-10-05")
    # Under 30 s: 11.754 s, 1.045 s (same minute), 29.999 s, 5 s and 0 s -> 5 of 15 listens.
    assert r.skips == Skips(15, 5, 0.3333, Ranked("Roads", "Portishead", 3, 17), 0)
    assert pages["skips"].big == "33.3%"
    assert pages["skips"].subtitle == ("5 skips in 15 listens. Most skipped: Roads by Portishead "
                                       "(3 skips).")


def test_account_year_cards_say_what_is_missing(account_year) -> None:  # type: ignore[no-untyped-def]
    pages = pages_of(account_year)
    sound = pages["sound"].note
    assert sound.startswith("None of your 10 plays in 2020 is of a song in your library")
    assert "analyse" in sound and "hasn't been analysed" not in sound
    personalities = pages["personalities"]
    assert personalities.items == [] and "%" not in " ".join(personalities.lines())
    assert personalities.note == (
        "None of your 10 plays in 2020 is of a song in today's 1 Daily Mix: the mixes are made "
        "from your library, and this year's plays are all of songs not in it, so they can't "
        "show the sides of this year's taste.")
    assert pages["versus"].note == ("No listening from 2019 here — 2020 is the first year of "
                                    "your history (it starts on 2 March).")
    assert "with Encore" not in pages["versus"].note


def test_personalities_list_only_mixes_with_plays(db: Database, tmp_path: Path) -> None:
    import_files(db, [exports.write_account_year(tmp_path / "a.json")], tz="UTC")
    db.execute("INSERT INTO track (id, path, title, artist, album, duration, mtime, size, added_at) "
               "VALUES (1, '/m/fg.ogg', 'Feeling Good', 'Nina Simone', '', 200, 0, 0, 0)")
    db.execute("UPDATE external_track SET track_id = 1 WHERE title = 'Feeling Good'")
    db.execute("UPDATE listen SET track_id = 1 WHERE external_id IN "
               "(SELECT id FROM external_track WHERE track_id = 1)")
    recap = load_recap(db, 2020, clusters=[Cluster("Soul", (1,)), Cluster("Rock", (2,))])
    page = pages_of(recap)["personalities"]
    # Feeling Good's 3 plays of the year's 10 are in "Soul"; "Rock" has none: not listed.
    assert [i.name for i in page.items] == ["Soul"] and page.items[0].value == "30% of plays"
    assert page.subtitle.endswith("1 mix had no plays this year.")


# -- the shared Last.fm-1K sample: recounted with plain Python ------------------------------
def lastfm_rows() -> list[tuple[dt.datetime, str, str]]:
    rows = []
    for line in LISTENS_TSV.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        when = dt.datetime.strptime(parts[1], "%Y-%m-%dT%H:%M:%SZ")
        rows.append((when, parts[3], parts[5]))
    return sorted(rows)


@pytest.fixture(scope="module")
def lastfm_2009(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.factories import make_db

    db = make_db(tmp_path_factory.mktemp("lastfm"))
    import_files(db, [LISTENS_TSV], tz="UTC")
    recap = load_recap(db, 2009, clusters=None)
    db.close()
    return recap


def test_lastfm_sample_numbers(lastfm_2009) -> None:  # type: ignore[no-untyped-def]
    r = lastfm_2009
    rows = lastfm_rows()
    year = [row for row in rows if row[0].year == 2009]
    # Scrobbles: each is a play, heard for unknown time: 210 s each (recap_queries).
    assert (r.listens, r.plays) == (len(year), len(year))
    assert r.minutes == (len(year) * 210 + 30) // 60
    assert r.tracks == len({(a.casefold(), t.casefold()) for _, a, t in year})
    assert r.artists == len({a.casefold() for _, a, _t in year})
    days = sorted({w.date() for w, _, _ in year})
    assert r.days == len(days)
    artists = Counter(a.casefold() for _, a, _t in year)
    assert (r.top_artists[0].name.casefold(), r.top_artists[0].plays) == artists.most_common(1)[0]
    tracks = Counter((t.casefold(), a.casefold()) for _, a, t in year)
    best = max(tracks.values())
    assert r.top_tracks[0].plays == best
    assert (r.top_tracks[0].name.casefold(), r.top_tracks[0].detail.casefold()) in {
        k for k, v in tracks.items() if v == best}
    months = Counter(w.month for w, _, _ in year)
    assert [m.plays for m in r.months] == [months.get(m, 0) for m in range(1, 13)]
    clock = Counter((w.weekday(), w.hour) for w, _, _ in year)
    assert r.clock[r.peak_weekday][r.peak_hour] == max(clock.values())
    # Longest run of consecutive days with a play.
    best_run, run = 1, 1
    for a, b in zip(days, days[1:], strict=False):
        run = run + 1 if (b - a).days == 1 else 1
        best_run = max(best_run, run)
    assert r.streak is not None and r.streak.days == best_run
    # 2008 holds the sample's other rows (873), each 210 s.
    before = [row for row in rows if row[0].year == 2008]
    assert r.versus is not None and r.versus.previous_plays == len(before)
    assert r.versus.previous_minutes == (len(before) * 210 + 30) // 60
    assert r.history_start == rows[0][0].date().isoformat()


def test_lastfm_sample_cards_claim_nothing_the_scrobbles_lack(lastfm_2009) -> None:  # type: ignore[no-untyped-def]
    r = lastfm_2009
    pages = pages_of(r)
    # Scrobbles record plays, never skips: no rate, no "you skipped nothing".
    assert r.skips is not None and (r.skips.listens, r.skips.unmeasured) == (0, r.listens)
    assert pages["skips"].big == "" and "cannot be counted" in pages["skips"].note
    assert "skipped nothing" not in " ".join(pages["skips"].lines())
    # Last.fm-1K has no album column; nothing is in a library.
    assert pages["top_albums"].note.startswith(f"None of your {r.plays:,} plays in 2009 names")
    assert "tag them" not in pages["top_genres"].note
    assert pages["personalities"].note.startswith("Your personalities appear once")
    # 2008 is in the history, but only from December: no year-on-year percentage
    assert not pages["versus"].big.endswith("%") and "holds only part" in pages["versus"].subtitle
    # The minutes are counted, not heard: the intro says how.
    assert pages["intro"].subtitle.endswith(
        f"{r.listens:,} scrobbles record no time heard: each counts its song's length "
        "(3.5 minutes when unknown).")


def test_sound_card_says_what_it_knows(account_year) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    # 161 analysed library songs, none played this year (the real case).
    note = pages_of(replace(account_year, analysed_tracks=161))["sound"].note
    assert note.startswith("161 songs in your library are analysed, but none of your 10 plays "
                           "in 2020 is of a song in your library")
    # Some plays are of library songs, none of them analysed.
    note = pages_of(replace(account_year, analysed_tracks=161, library_plays=3))["sound"].note
    assert note.startswith("None of the songs you played from your library this year (3 plays) "
                           "is among the 161 analysed songs.")
    note = pages_of(replace(account_year, analysed_tracks=0, library_plays=3))["sound"].note
    assert note.startswith("Your music hasn't been analysed yet.")


def test_skips_card_with_some_scrobbles(account_year) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    skips = replace(account_year.skips, unmeasured=4)
    page = pages_of(replace(account_year, skips=skips))["skips"]
    assert page.subtitle.endswith("Not counted: 4 scrobbles, which record plays only.")


def test_the_gui_recap_uses_the_daily_mixes_home_shows(qtbot, db: Database, tmp_path: Path) -> None:
    from player.db.recommend_queries import write_cache
    from player.services.recommendations import DAILY_KEY, RecommendationService, local_date
    from player.ui.recap.view import RecapView

    import_files(db, [exports.write_account_year(tmp_path / "a.json")], tz="UTC")
    db.execute("INSERT INTO track (id, path, title, artist, album, duration, mtime, size, added_at) "
               "VALUES (1, '/m/roads.ogg', 'Roads', 'Portishead', '', 240, 0, 0, 0)")
    db.execute("UPDATE external_track SET track_id = 1 WHERE title = 'Roads'")
    db.execute("UPDATE listen SET track_id = 1 WHERE external_id IN "
               "(SELECT id FROM external_track WHERE track_id = 1)")
    service = RecommendationService(db)
    now = service.clock.now()
    write_cache(db, DAILY_KEY + local_date(now, service.offset(now)),
                {"mixes": [{"title": "Trip-hop mix", "description": "", "track_ids": [1],
                            "reasons": [""]}]}, now)
    assert [m.title for m in service.cached_daily_mixes() or []] == ["Trip-hop mix"]  # Home's
    view = RecapView(db)  # as the app builds it: no clusters given
    qtbot.addWidget(view)
    view.set_year(2020)
    # Roads: 4 plays of the year's 10, all in today's only mix.
    assert view.recap.personalities is not None
    assert [(p.name, p.plays) for p in view.recap.personalities] == [("Trip-hop mix", 4)]
    page = next(p for p in view.pages if p.key == "personalities")
    assert page.items[0].value == "40% of plays"


def test_one_artist_whatever_the_capitalisation() -> None:
    import numpy as np

    from player.recap.compute import compute_recap
    from player.recap.model import TrackInfo, YearListens

    # Three plays: two of "Roads" by "Portishead", one of "Sour Times" by "PORTISHEAD".
    year = YearListens(2020, np.array([0, 400, 800]), np.array([200, 200, 200]),
                       np.array([-1, -1, -2]), np.zeros(3, dtype=np.int64),
                       np.ones(3, dtype=bool), np.zeros(3, dtype=bool))
    tracks = {-1: TrackInfo("Roads", "Portishead", "", "Portishead"),
              -2: TrackInfo("Sour Times", "PORTISHEAD", "", "PORTISHEAD")}
    recap = compute_recap(year, tracks)
    assert recap.artists == 1
    assert recap.top_artists == [Ranked("Portishead", "", 3, 10)]


def test_cli_json_has_the_headline_at_the_top_level(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from player.cli import main

    db_path = tmp_path / "cli.db"
    path = exports.write_account_year(tmp_path / "StreamingHistory0.json")
    assert main(["--db", str(db_path), "import", "--tz", "UTC", str(path), "--json"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "recap", "2020", "--json", "--no-mixes"]) == 0
    data = json.loads(capsys.readouterr().out)
    # The hand-worked figures of test_account_year_numbers, readable without digging.
    assert {k: data[k] for k in ("minutes", "plays", "distinct_tracks", "artists", "days",
                                 "skips", "top_artist", "top_track")} == {
        "minutes": 45, "plays": 10, "distinct_tracks": 5, "artists": 3, "days": 5, "skips": 5,
        "top_artist": "Portishead", "top_track": "Roads"}
    assert data["recap"]["minutes"] == 45  # the full recap is still there
