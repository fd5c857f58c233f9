"""Cover art: embedded pictures in every tag format, folder images, cached thumbnails."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from mutagen.flac import FLAC, Picture
from mutagen.id3 import APIC, ID3
from mutagen.oggvorbis import OggVorbis
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from player.qt.cover_loader import CoverLoader, load_thumbnail
from player.tags.covers import cover_bytes, embedded_cover, folder_cover
from tests.factories import have_ffmpeg, make_audio

pytestmark = pytest.mark.skipif(not have_ffmpeg(), reason="needs ffmpeg")


def _png(color: str = "red", size: int = 400) -> bytes:
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(array.data())


def _embed(path: Path, data: bytes) -> None:
    picture = Picture()
    picture.type, picture.mime, picture.data = 3, "image/png", data
    if path.suffix == ".mp3":
        tags = ID3(path)
        tags.add(APIC(encoding=3, mime="image/png", type=3, desc="", data=data))
        tags.save(path)
    elif path.suffix == ".flac":
        audio = FLAC(path)
        audio.add_picture(picture)
        audio.save()
    else:
        ogg = OggVorbis(path)
        ogg["metadata_block_picture"] = [base64.b64encode(picture.write()).decode()]
        ogg.save()


@pytest.mark.parametrize("ext", ["mp3", "flac", "ogg"])
def test_embedded_cover_in_each_format(tmp_path: Path, ext: str, qapp) -> None:
    path = make_audio(tmp_path / f"song.{ext}", 0.3, metadata={"title": "Song"})
    assert embedded_cover(str(path)) is None
    data = _png()
    _embed(path, data)
    assert embedded_cover(str(path)) == data


def test_folder_image_is_used_when_nothing_is_embedded(tmp_path: Path, qapp) -> None:
    path = make_audio(tmp_path / "album" / "song.ogg", 0.3)
    assert cover_bytes(str(path)) is None
    (tmp_path / "album" / "Folder.JPG").write_bytes(_png("blue"))
    assert folder_cover(str(path)) == tmp_path / "album" / "Folder.JPG"
    assert cover_bytes(str(path)) == _png("blue")


def test_broken_file_has_no_cover(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"not audio at all")
    assert cover_bytes(str(bad)) is None
    assert cover_bytes(str(tmp_path / "gone.mp3")) is None


def test_thumbnail_is_scaled_and_cached(tmp_path: Path, qapp) -> None:
    path = make_audio(tmp_path / "song.flac", 0.3)
    _embed(path, _png("green", 500))
    cache = tmp_path / "cache"
    image = load_thumbnail(str(path), 120, cache)
    assert (image.width(), image.height()) == (120, 120)
    assert len(list(cache.glob("*.png"))) == 1
    assert QColor(image.pixel(60, 60)).green() > 100
    again = load_thumbnail(str(path), 120, cache)
    assert again.size() == image.size()


def test_loader_delivers_on_the_gui_thread(tmp_path: Path, qtbot) -> None:
    with_cover = make_audio(tmp_path / "a.mp3", 0.3)
    _embed(with_cover, _png())
    without = make_audio(tmp_path / "b" / "b.mp3", 0.3)
    loader = CoverLoader(tmp_path / "cache")
    got: dict[str, QImage] = {}
    loader.loaded.connect(lambda key, size, image: got.__setitem__(key, image))
    loader.request("a", str(with_cover), 64)
    loader.request("b", str(without), 64)
    qtbot.waitUntil(lambda: len(got) == 2, timeout=5000)
    loader.shutdown()
    assert got["a"].width() == 64
    assert got["b"].isNull()
