"""A huge embedded cover is never read: the tags around it are, in a few MB of memory.

mutagen reads a tag whole; a 100 MB cover cost 417 MB (MP3) and 316 MB (M4A) to scan the
file, and as much to look for its cover, only to find it too big to show (tags/oversized.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mutagen.id3 import APIC, ID3

from player.tags.covers import MAX_COVER_BYTES, cover_bytes
from player.tags.oversized import SplicedFile, find_splice
from player.tags.reader import read_raw, read_tags
from tests.factories import embed_cover, have_ffmpeg, make_audio

pytestmark = pytest.mark.skipif(not have_ffmpeg(), reason="ffmpeg is needed to make audio")
ROOT = str(Path(__file__).resolve().parents[2])
BIG = MAX_COVER_BYTES + (4 << 20)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("covers")
    made = {}
    for ext in ("mp3", "m4a"):
        plain = make_audio(folder / f"plain.{ext}", seconds=2,
                           metadata={"title": "Tone", "artist": "Sine", "album": "Tests"})
        big = folder / f"big.{ext}"
        shutil.copy(plain, big)
        made[ext], made[f"big.{ext}"] = plain, embed_cover(big, BIG)
    return made


@pytest.mark.parametrize("ext", ["mp3", "m4a"])
def test_the_tags_are_read_and_the_cover_is_known_but_not_loaded(files: dict[str, Path], ext: str) -> None:
    plain, big = read_tags(str(files[ext]), "/"), read_tags(str(files[f"big.{ext}"]), "/")
    assert (big.title, big.artists, big.album) == ("Tone", ("Sine",), "Tests")
    assert (big.duration, big.bitrate, big.sample_rate) == (plain.duration, plain.bitrate, plain.sample_rate)
    assert big.has_cover and not plain.has_cover
    assert read_raw(str(files[f"big.{ext}"]))["title"] == ["Tone"]
    assert cover_bytes(str(files[f"big.{ext}"])) is None  # too big to show


def test_a_small_cover_beside_a_huge_one_is_still_found(files: dict[str, Path], tmp_path: Path) -> None:
    both = shutil.copy(files["big.mp3"], tmp_path / "both.mp3")
    tags = ID3(both)
    tags.add(APIC(encoding=3, mime="image/png", type=4, desc="back", data=b"\x89PNG small"))
    tags.save(both)
    assert cover_bytes(str(both)) == b"\x89PNG small"
    assert read_tags(str(both), "/").title == "Tone"


def test_the_view_is_the_file_without_the_cut(files: dict[str, Path]) -> None:
    path = str(files["big.mp3"])
    splice = find_splice(path)
    assert splice is not None and splice.pictures == 1
    data = Path(path).read_bytes()
    (start, end), = splice.cuts
    expected = bytearray(data[:start] + data[end:])
    for offset, patch in splice.patches.items():
        expected[offset:offset + len(patch)] = patch
    with SplicedFile(path, splice) as view:
        assert view.read() == bytes(expected)
        view.seek(-100, os.SEEK_END)
        assert view.read(60) == bytes(expected[-100:-40])
        view.seek(start - 3)
        assert view.read(6) == bytes(expected[start - 3:start + 3])  # across the cut
    assert find_splice(str(files["mp3"])) is None  # ordinary files are read as they are


PEAK = """
import sys
sys.path.insert(0, {root!r})
from player.tags.covers import cover_bytes
from player.tags.reader import read_tags
read_tags({path!r}, "/") if {scan!r} else cover_bytes({path!r})
print(next(int(l.split()[1]) // 1024 for l in open("/proc/self/status") if l.startswith("VmHWM")))
"""


@pytest.mark.parametrize("scan", [True, False], ids=["scan", "cover"])
def test_memory_stays_that_of_a_file_without_a_cover(files: dict[str, Path], scan: bool) -> None:
    def peak(path: Path) -> int:
        out = subprocess.run([sys.executable, "-c", PEAK.format(root=ROOT, path=str(path), scan=scan)],
                             capture_output=True, text=True, check=True).stdout
        return int(out.split()[-1])

    for ext in ("mp3", "m4a"):  # read whole, a 20 MB cover costs 60-80 MB
        assert peak(files[f"big.{ext}"]) < peak(files[ext]) + 15
