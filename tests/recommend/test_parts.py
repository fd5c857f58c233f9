"""The recommender's parts, each on a tiny hand-made history where the right answer is known."""

from __future__ import annotations

import numpy as np

from player.recommend import collaborative, content, context, diversity, familiarity, hybrid
from player.recommend.data import (
    HOUR,
    Catalog,
    Interactions,
    RecData,
    ScoringContext,
    listen_weights,
)

T0 = 1_700_000_000.0  # a Tuesday, 22:13 UTC


def _catalog() -> Catalog:
    artists = ("Jazz A", "Jazz A", "Jazz A", "Rock B", "Rock B", "Rock B", "Pop C", "Pop C")
    return Catalog(tuple(f"t{i}" for i in range(8)), artists,
                   ("J1", "J1", "J2", "R1", "R1", "R2", "P1", "P1"),
                   (("jazz",),) * 3 + (("rock",),) * 3 + (("pop",),) * 2)


def _data(tracks: list[int], times: list[float], **kw: object) -> RecData:
    return RecData(_catalog(), Interactions.build(tracks, times, **kw))  # type: ignore[arg-type]


def test_listen_weights_penalise_early_skips_most() -> None:
    h = Interactions.build([0, 1, 2, 3], [0, 1, 2, 3], ms_played=[200_000, 5_000, 90_000, None],
                           duration_ms=[200_000, 200_000, 200_000, None],
                           skipped=[False, True, True, False])
    w = listen_weights(h)
    assert w[0] == 1.0 and w[3] == 1.0
    assert w[1] < w[2] < 0


def test_familiarity_prefers_frequent_and_recent_and_punishes_skips() -> None:
    data = _data([0, 0, 0, 1, 2], [T0, T0 + 10, T0 + 20, T0 + 30, T0 + 40],
                 ms_played=[None, None, None, None, 2000], duration_ms=[None] * 4 + [200_000],
                 skipped=[False] * 4 + [True])
    ctx = ScoringContext(T0 + 100, data.listens)
    s = familiarity.score(familiarity.fit(data), ctx)
    assert s[0] > s[1] > s[3] > s[2]


def test_collaborative_follows_what_was_played_together() -> None:
    # Sessions: 0 then 3 together, many times; 1 alone elsewhere. Now 0 was just played.
    times, tracks = [], []
    for day in range(5):
        times += [T0 + day * 86400, T0 + day * 86400 + 200, T0 + day * 86400 + 20000]
        tracks += [0, 3, 1]
    data = _data(tracks, times)
    model = collaborative.fit(data)
    now = T0 + 10 * 86400
    recent = Interactions.build(tracks + [0], times + [now - 60])
    s = collaborative.score(model, ScoringContext(now, recent))
    assert s[3] > s[1] and s[3] > s[5]


def test_content_finds_unplayed_tracks_of_the_taste() -> None:
    data = _data([0, 1, 0, 1], [T0, T0 + 300, T0 + 600, T0 + 900])
    s = content.score(content.fit(data), ScoringContext(T0 + 1000, data.listens, "day"))
    assert s[2] > s[3] and s[2] > s[6]  # unplayed jazz beats unplayed rock and pop


def test_context_learns_the_hour_of_each_taste() -> None:
    # Jazz (0) at 08:00 UTC, rock (3) at 20:00 UTC, every weekday for three weeks.
    day0 = np.floor(T0 / 86400) * 86400
    times = [day0 + d * 86400 + h * HOUR for d in range(21) for h in (8, 20)]
    tracks = [0, 3] * 21
    data = _data(tracks, times)
    model = context.fit(data)
    morning = ScoringContext(day0 + 22 * 86400 + 8 * HOUR, data.listens, "hour")
    evening = ScoringContext(day0 + 22 * 86400 + 20 * HOUR, data.listens, "hour")
    assert context.score(model, morning)[0] > context.score(model, morning)[3]
    assert context.score(model, evening)[3] > context.score(model, evening)[0]
    # Without time the evening rock, heard 12 hours later, is the fresher taste in the morning:
    # the hour of day is what turns it around.
    free = context.score(model, morning, use_time=False)
    assert free[3] > free[0]


def test_hybrid_blend_weights_are_learned_and_non_negative() -> None:
    day0 = np.floor(T0 / 86400) * 86400
    rng = np.random.default_rng(0)
    times = sorted(day0 + d * 86400 + h * HOUR + rng.integers(0, 3000)
                   for d in range(30) for h in (8, 9, 20, 21))
    tracks = [int(rng.integers(0, 3)) if (t % 86400) < 12 * HOUR else int(rng.integers(3, 6))
              for t in times]
    data = _data(tracks, times)
    model = hybrid.fit(data, seed=1)
    for horizon in ("day", "hour"):  # the blend: the ranker's fallback with little history
        blend = hybrid._fit_blend(model, data, horizon, 1)  # type: ignore[arg-type]
        assert blend.trained_on >= 3
        assert (blend.coef >= 0).all() and blend.coef.sum() > 0


def test_spread_artists_never_repeats_an_artist_in_a_row_when_it_can() -> None:
    artists = np.array([0, 0, 0, 1, 1, 2])
    out = diversity.spread_artists([0, 1, 2, 3, 4, 5], artists, limit=6)
    assert sorted(out) == [0, 1, 2, 3, 4, 5]
    assert all(artists[a] != artists[b] for a, b in zip(out, out[1:], strict=False))


def test_top_k_is_ordered_and_excludes() -> None:
    s = np.array([0.1, 0.9, 0.5, 0.7])
    assert diversity.top_k(s, 2).tolist() == [1, 3]
    assert diversity.top_k(s, 2, exclude=[1]).tolist() == [3, 2]


def test_clusters_follow_the_strongest_structure() -> None:
    from collections import Counter

    from scipy import sparse

    from player.recommend import cluster

    genres = [[f"g{i % 5}"] for i in range(600)]
    artists = [[f"a{i % 20}"] for i in range(600)]
    rows = sparse.hstack([content.one_hot(genres, 1.5), content.one_hot(artists, 0.5)]).tocsr()
    labels = cluster.kmeans(cluster.embed(rows), 5)
    for c in range(5):
        members = Counter(genres[i][0] for i in np.flatnonzero(labels == c))
        assert len(members) == 1 and sum(members.values()) == 120


def test_likes_lift_a_track() -> None:
    times = [T0 + i * 600 for i in range(12)]
    tracks = [0, 1, 3, 4] * 3
    plain = hybrid.fit(_data(tracks, times))
    data = RecData(_catalog(), Interactions.build(tracks, times), liked=frozenset({5}))
    liked = hybrid.fit(data)
    ctx = ScoringContext(T0 + 86400, data.listens, "day")
    before, after = hybrid.score(plain, ctx), hybrid.score(liked, ctx)
    assert (after[5] - after.mean()) > (before[5] - before.mean())


def test_audio_vectors_find_tracks_that_sound_alike() -> None:
    # Six tracks, all different artists and no tags: only the sound relates them.
    audio = np.array([[1.0, 0.0], [0.95, 0.05], [0.0, 1.0], [0.05, 0.9], [0.5, 0.5], [np.nan, np.nan]])
    catalog = Catalog(tuple(f"t{i}" for i in range(6)), tuple(f"a{i}" for i in range(6)), audio=audio)
    data = RecData(catalog, Interactions.build([0, 0, 0], [T0, T0 + 300, T0 + 600]))
    s = content.score(content.fit(data), ScoringContext(T0 + 1000, data.listens, "day"))
    assert s[1] > s[4] > s[3] and s[1] > s[2]
    assert np.isfinite(s[5])  # a track without analysis still gets a score
