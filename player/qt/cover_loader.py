"""Album covers scaled to thumbnails off the GUI thread, cached on disk.

A QRunnable reads the picture (tags or folder image), scales it with QImage (safe off the GUI
thread, unlike QPixmap), writes a PNG into the cache directory and hands the QImage back as a
queued signal. Results that arrive after shutdown() are dropped.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage

from player.resources import user_cache_dir
from player.tags.covers import cover_bytes


def default_cache_dir() -> Path:
    return user_cache_dir() / "covers"


def cache_name(track_path: str, size: int) -> str:
    """The cache file for a track's cover at a size; changes when the file changes."""
    try:
        stamp = os.stat(track_path).st_mtime_ns
    except OSError:
        stamp = 0
    digest = hashlib.sha1(f"{track_path}|{size}|{stamp}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def load_thumbnail(track_path: str, size: int, cache_dir: Path) -> QImage:
    """The cached thumbnail, or a new one made and cached; a null QImage when there is none."""
    name = cache_name(track_path, size)
    cached = cache_dir / f"{name}.png"
    if cached.exists():
        return QImage(str(cached))
    if (cache_dir / f"{name}.none").exists():
        return QImage()
    data = cover_bytes(track_path)
    image = QImage.fromData(data) if data else QImage()
    cache_dir.mkdir(parents=True, exist_ok=True)
    if image.isNull():
        (cache_dir / f"{name}.none").touch()
        return image
    image = image.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)
    image.save(str(cached))  # the format follows the .png suffix
    return image


class CoverSignals(QObject):
    loaded = Signal(str, int, QImage)  # key, size, image (null when the track has no cover)


class _CoverJob(QRunnable):
    def __init__(self, loader: CoverLoader, key: str, track_path: str, size: int) -> None:
        super().__init__()
        self.loader, self.key, self.track_path, self.size = loader, key, track_path, size

    def run(self) -> None:
        if self.loader.closed:
            return
        try:
            image = load_thumbnail(self.track_path, self.size, self.loader.cache_dir)
        except OSError:
            image = QImage()
        if not self.loader.closed:
            self.loader.signals.loaded.emit(self.key, self.size, image)


class CoverLoader(QObject):
    """request(key, track_path, size) -> later `loaded(key, size, QImage)` on the GUI thread."""

    loaded = Signal(str, int, QImage)

    def __init__(self, cache_dir: Path | None = None, threads: int = 2,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache_dir = cache_dir or default_cache_dir()
        self.closed = False
        self.signals = CoverSignals()
        self.signals.loaded.connect(self._on_loaded, Qt.ConnectionType.QueuedConnection)
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(threads)
        self._pending: set[tuple[str, int]] = set()

    def request(self, key: str, track_path: str, size: int) -> None:
        if self.closed or (key, size) in self._pending:
            return
        self._pending.add((key, size))
        self.pool.start(_CoverJob(self, key, track_path, size))

    def _on_loaded(self, key: str, size: int, image: QImage) -> None:
        self._pending.discard((key, size))
        if not self.closed:
            self.loaded.emit(key, size, image)

    def shutdown(self) -> None:
        self.closed = True
        self.pool.clear()
        self.pool.waitForDone(3000)
