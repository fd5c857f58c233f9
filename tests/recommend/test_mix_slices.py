"""A Daily Mix is named for the slice it is: a genre at least half of it carries, an artist
who made 40% of it, or its sound (the member closest to its centre); and its "new to you"
share is the count of never/once played picks in the database."""

from __future__ import annotations

import re

from player.core.clock import FakeClock
from player.services.recommendations import RecommendationService
from tests.factories_listens import fill_database, synthetic_log


def test_mixes_are_named_for_their_slice_and_count_their_new_share(db) -> None:  # type: ignore[no-untyped-def]
    log = synthetic_log(days=60)
    fill_database(db, log)
    at = log[-1].started_at + 3600
    mixes = RecommendationService(db, FakeClock(at), utc_offset_min=60).daily_mixes(at)
    assert len(mixes) >= 2
    names = [m.title.split(" · ", 1)[1] for m in mixes]
    assert len(set(names)) == len(names), names
    for mix, name in zip(mixes, names, strict=True):
        lead = name.split(": ")[0]
        genres = [g.strip() for t in mix.tracks for g in t.genre.split(";")]
        artists = [t.artist for t in mix.tracks]
        if lead.startswith("Sounds like "):
            assert lead[len("Sounds like "):] in [t.title for t in mix.tracks]
        elif lead in genres:
            assert genres.count(lead) >= 0.5 * len(mix.tracks), (name, genres.count(lead))
        else:
            assert artists.count(lead) >= 0.4 * len(mix.tracks), (name, artists.count(lead))
        new, total = map(int, re.search(r"(\d+) of (\d+) new to you", mix.description).groups())
        assert total == len(mix.tracks)
        rare = sum(1 for t in mix.tracks if db.scalar(
            "SELECT COUNT(*) FROM listen WHERE track_id = ? AND is_play = 1 AND started_at < ?",
            (t.id, at)) <= 1)
        assert new == rare


def test_the_rediscovery_setting_sets_the_share_of_new_tracks(db) -> None:  # type: ignore[no-untyped-def]
    log = synthetic_log(days=60)
    fill_database(db, log)
    at = log[-1].started_at + 3600
    shares = []
    for share in (0.0, 0.2, 0.5):
        service = RecommendationService(db, FakeClock(at), rediscovery_share=share, utc_offset_min=60)
        counts = [tuple(map(int, re.search(r"(\d+) of (\d+) new", m.description).groups()))
                  for m in service.daily_mixes(at)]  # the setting alone rebuilds the cached day
        shares.append(sum(n for n, _ in counts) / sum(t for _, t in counts))
        assert abs(shares[-1] - share) <= 0.1, (share, counts)
    assert shares[0] < shares[1] < shares[2]
