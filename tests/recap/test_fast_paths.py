"""The recap's fast paths give exactly what the plain ones give.

- recap_queries._packed_text (the year's listens as group_concat text, UTC start packed, offset
  clamped in numpy) against _packed_rows (one row per listen, local start packed in SQL);
- compute._group (grouping track keys by counting) against np.unique.
"""

from __future__ import annotations

import calendar

import numpy as np
import pytest

from player.db import recap_queries as q
from player.recap.compute import _group
from tests.recap import fixture


def _add_listens(db, rows):
    db.executemany(
        "INSERT INTO listen (track_id, external_id, started_at, utc_offset_min, ms_played, "
        "duration_ms, is_skip) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2023])
def test_text_fetch_matches_row_fetch_on_the_fixture(db, year):
    fixture.build(db)
    text = q._packed_text(db, year)
    assert text is not None
    assert np.array_equal(text, q._packed_rows(db, year, batch=3))


def test_text_fetch_matches_row_fetch_at_the_edges(db):
    fixture.build(db)
    lo, hi = q.local_year_span(2025)
    rows = []
    # Around both ends of the year and of the UTC span, fractional starts, offsets out of
    # range (clamped to +-14:00), equal start times (then id order), chunk boundaries.
    for base in (lo - q.MAX_OFFSET_S, lo, hi, hi + q.MAX_OFFSET_S - 1, lo + q._CHUNK_S):
        for delta in (-3601.5, -60.25, -1, -0.001, 0, 0.999, 1, 59.75, 3600.5):
            for offset in (-2000, -840, -300, 0, 330, 840, 2000):
                rows.append((1 + len(rows) % 5, None, base + delta, offset, 40_000, None,
                             len(rows) % 2))
    rows.extend([(2, None, lo + 5000.0, 60, 31_000, None, 0)] * 3)
    _add_listens(db, rows)
    for year in (2024, 2025, 2026):
        text = q._packed_text(db, year)
        assert text is not None
        assert np.array_equal(text, q._packed_rows(db, year, batch=7))


def test_year_listens_columns_unchanged_by_the_text_fetch(db):
    fixture.build(db)
    columns = q.year_listens(db, 2025)
    rows = q._year_listens_unpacked(db, 2025, batch=5)
    for name in ("local_s", "heard_s", "key", "offset_min", "is_play", "is_skip"):
        assert np.array_equal(getattr(columns, name), getattr(rows, name)), name


def test_text_fetch_declines_values_that_are_not_plain_integers(db):
    fixture.build(db)
    start = calendar.timegm((2025, 7, 1, 12, 0, 0))
    _add_listens(db, [(1, None, start, 90.5, 200_000, None, 0)])
    assert q._packed_text(db, 2025) is None
    assert len(q.year_listens(db, 2025).key) == 20  # the 19 of the fixture and this one


def test_text_fetch_of_an_empty_year(db):
    assert q._packed_text(db, 2025).shape == (0, 2)
    assert len(q.year_listens(db, 2025).key) == 0


@pytest.mark.parametrize("keys", [
    [],
    [0],
    [5, 5, 5],
    [3, -2, 0, 3, 7, -2, 0, 0, 11],
    list(np.random.default_rng(1).integers(-3000, 20000, 50_000)),
    [1, 1 << 40, -(1 << 40), 1],  # too sparse to count: np.unique itself
])
def test_group_matches_np_unique(keys):
    key = np.array(keys, dtype=np.int64)
    keys_, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    got = _group(key)
    assert got[0].dtype == key.dtype
    for a, b in zip(got, (keys_, first, inverse.reshape(-1)), strict=True):
        assert np.array_equal(a, b)
