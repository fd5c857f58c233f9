"""The cache of playable copies: one per file version, whole or absent, kept under its limit."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from player.playback.playable_copies import PlayableCopyCache, PlayableCopyError
from tests.factories import make_dff, make_dsf


def _always() -> bool:
    return True


def test_a_copy_is_reused_until_the_file_changes(tmp_path: Path) -> None:
    import mutagen

    path = make_dsf(tmp_path / "tone.dsf", seconds=1.0)
    cache = PlayableCopyCache(tmp_path / "cache")
    assert cache.needs_copy(str(path)) and cache.needs_copy("/x/A.DFF")
    assert not cache.needs_copy("/x/a.flac")
    assert cache.ready_copy(str(path)) is None
    copy = cache.make_copy(str(path), _always)
    info = mutagen.File(copy).info
    assert (type(mutagen.File(copy)).__name__, info.sample_rate, info.bits_per_sample) == \
        ("FLAC", 88200, 24)
    assert info.length == pytest.approx(1.0, abs=0.01)
    assert cache.ready_copy(str(path)) == copy
    make_dsf(path, seconds=2.0)  # replaced: another size and time, so another copy
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert cache.ready_copy(str(path)) is None


def test_the_cache_keeps_under_its_limit_dropping_the_least_recently_played(tmp_path: Path) -> None:
    files = [make_dsf(tmp_path / f"{n}.dsf", seconds=1.0, freq=300.0 + 100 * n) for n in range(3)]
    cache = PlayableCopyCache(tmp_path / "cache", limit_bytes=10**12)
    copies = [cache.make_copy(str(f), _always) for f in files]
    sizes = [os.path.getsize(c) for c in copies]
    for age, copy in zip((300, 200, 100), copies, strict=True):  # the first played longest ago
        os.utime(copy, (time.time() - age, time.time() - age))
    assert cache.ready_copy(str(files[0])) == copies[0]  # ...until played again now
    cache.limit_bytes = sizes[0] + sizes[2] + 1
    cache.prune()
    assert [os.path.exists(c) for c in copies] == [True, False, True]
    cache.limit_bytes = 1  # the copy being made is never the one dropped
    fourth = cache.make_copy(str(make_dff(tmp_path / "3.dff", seconds=0.5)), _always)
    assert sorted(os.listdir(tmp_path / "cache")) == [os.path.basename(fourth)]


def test_a_failed_or_given_up_conversion_leaves_nothing_and_says_why(tmp_path: Path) -> None:
    cache = PlayableCopyCache(tmp_path / "cache")
    broken = tmp_path / "broken.dff"
    broken.write_bytes(b"FRM8" + bytes(100))
    with pytest.raises(PlayableCopyError, match=r"^cannot convert broken.dff for playback: "):
        cache.make_copy(str(broken), _always)
    with pytest.raises(PlayableCopyError, match="cancelled"):
        cache.make_copy(str(make_dsf(tmp_path / "tone.dsf")), lambda: False)
    with pytest.raises(PlayableCopyError, match="file not found"):
        cache.make_copy(str(tmp_path / "gone.dsf"), _always)
    assert os.listdir(tmp_path / "cache") == []


def test_a_cache_folder_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    cache = PlayableCopyCache(blocker / "playable")
    with pytest.raises(PlayableCopyError, match=r"^cannot convert tone.dsf: "):
        cache.make_copy(str(make_dsf(tmp_path / "tone.dsf")), _always)
