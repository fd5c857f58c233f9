"""Where file dialogs open: the person's Music folder, else their home folder.

Never the working directory: Qt starts an open dialog with no folder, or a save dialog with a bare
file name, in the process's current directory, which for Encore launched from a terminal is
wherever the person happened to be (often the source tree). Not the bundled demo music either:
exports must never land inside the installed package.
"""

from __future__ import annotations

from pathlib import Path

from player.resources import user_music_dir


def start_folder() -> str:
    """The folder every file dialog opens in."""
    music = user_music_dir()
    return str(music if music.is_dir() else Path.home())


def start_path(file_name: str) -> str:
    """A save dialog's suggested file, placed in start_folder()."""
    return str(Path(start_folder()) / file_name)
