"""Where Encore's bundled resources (demo music, icons) are, in a checkout or an install.

Looked for, in order: $ENCORE_RESOURCES; the checkout (resources/ next to player/); a PyInstaller
bundle (resources/ inside it); the data files `pip install` puts under sys.prefix (and the
user base for `pip install --user`): share/encore/resources.
"""

from __future__ import annotations

import os
import site
import sys
from pathlib import Path

from player.core.models import AUDIO_EXTENSIONS

SHARE = Path("share") / "encore" / "resources"


def user_cache_dir() -> Path:
    """Encore's cache folder: $ENCORE_CACHE_DIR, else the platform's (~/.cache/encore)."""
    env = os.environ.get("ENCORE_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("encore", appauthor=False))


def resource_candidates() -> list[Path]:
    candidates = []
    if os.environ.get("ENCORE_RESOURCES"):
        candidates.append(Path(os.environ["ENCORE_RESOURCES"]))
    candidates.append(Path(__file__).resolve().parent.parent / "resources")
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller's bootloader
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(sys.prefix) / SHARE)
    user_base = getattr(site, "USER_BASE", None)
    if user_base:
        candidates.append(Path(user_base) / SHARE)
    return candidates


def resources_dir() -> Path:
    candidates = resource_candidates()
    for candidate in candidates:
        if (candidate / "demo").is_dir():
            return candidate
    return candidates[0]


def demo_music_dir() -> Path:
    return resources_dir() / "demo"


def icon_path() -> Path:
    """The application icon (SVG); QIcon.fromTheme("encore") finds the installed PNGs too."""
    return resources_dir() / "icons" / "encore.svg"


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


def user_music_dir() -> Path:
    """The platform's Music folder (XDG_MUSIC_DIR on Linux); it may not exist."""
    import platformdirs

    return Path(platformdirs.user_music_dir())


def default_music_folders() -> list[str]:
    """The platform's Music folder, or the bundled demo music when it has no audio."""
    music = user_music_dir()
    if music.is_dir() and has_audio(music):
        return [str(music)]
    return [str(demo_music_dir())]
