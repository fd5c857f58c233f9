"""Where Encore's bundled resources (demo music, icons) are, in a checkout or an install."""

from __future__ import annotations

import sys
from pathlib import Path

from player.core.models import AUDIO_EXTENSIONS


def resources_dir() -> Path:
    candidates = [
        Path(__file__).resolve().parent.parent / "resources",
        Path(sys.prefix) / "share" / "encore" / "resources",
    ]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def demo_music_dir() -> Path:
    return resources_dir() / "demo"


def has_audio(folder: Path, limit: int = 2000) -> bool:
    """True when folder holds at least one audio file (looks at most at `limit` entries)."""
    try:
        for count, path in enumerate(folder.rglob("*")):
            if path.suffix.lower() in AUDIO_EXTENSIONS:
                return True
            if count > limit:
                return False
    except OSError:
        return False
    return False


def default_music_folders() -> list[str]:
    """The platform's Music folder, or the bundled demo music when it has no audio."""
    import platformdirs

    music = Path(platformdirs.user_music_dir())
    if music.is_dir() and has_audio(music):
        return [str(music)]
    return [str(demo_music_dir())]
