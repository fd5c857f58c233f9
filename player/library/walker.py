"""Walk music folders: audio files with their stat, and the folders that could not be read."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from player.core.models import AUDIO_EXTENSIONS, UNSUPPORTED_AUDIO, ScanIssue


@dataclass(frozen=True, slots=True)
class FoundFile:
    path: str
    size: int
    mtime: float


def walk_audio(root: str, issues: list[ScanIssue]) -> Iterator[FoundFile]:
    """Yield audio files below root, following links once (loops are reported, not followed)."""
    seen_dirs: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = os.stat(folder)
        except OSError as exc:
            issues.append(ScanIssue(folder, f"folder not readable: {exc.strerror or exc}", "folder"))
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            issues.append(ScanIssue(folder, "symbolic link loop: folder already scanned", "folder"))
            continue
        seen_dirs.add(key)
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            issues.append(ScanIssue(folder, f"folder not readable: {exc.strerror or exc}", "folder"))
            continue
        subfolders: list[str] = []
        for entry in entries:
            found = _inspect(entry, subfolders, issues)
            if found is not None:
                yield found
        stack.extend(sorted(subfolders, reverse=True))


def _inspect(entry: os.DirEntry[str], subfolders: list[str], issues: list[ScanIssue]) -> FoundFile | None:
    if entry.name.startswith("."):
        return None
    try:
        st = entry.stat()  # follows symlinks
    except OSError:
        return None  # dangling link or vanished file: nothing to play
    if stat.S_ISDIR(st.st_mode):
        subfolders.append(entry.path)
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    extension = os.path.splitext(entry.name)[1].lower()
    if extension not in AUDIO_EXTENSIONS:
        if extension in UNSUPPORTED_AUDIO:
            issues.append(ScanIssue(entry.path, UNSUPPORTED_AUDIO[extension]))
        return None
    return FoundFile(entry.path, st.st_size, st.st_mtime)
