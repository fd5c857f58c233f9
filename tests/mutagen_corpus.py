"""mutagen's own test files (its source distribution's tests/data): real odd audio files.

Used when present in ~/.cache/encore-testdata/mutagen-sdist (or ENCORE_MUTAGEN_CORPUS); when
absent, fetched once with pip (CI reaches PyPI through pip). Tests skip when neither works.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import mutagen

CACHE = Path(os.path.expanduser("~/.cache/encore-testdata/mutagen-sdist"))


def mutagen_test_data() -> Path | None:
    override = os.environ.get("ENCORE_MUTAGEN_CORPUS")
    if override:
        return Path(override) if Path(override).is_dir() else None
    found = _unpacked()
    if found is None:
        _download()
        found = _unpacked()
    return found


def _unpacked() -> Path | None:
    for archive in sorted(CACHE.glob("mutagen-*.tar.gz")):
        data = CACHE / archive.name.removesuffix(".tar.gz") / "tests" / "data"
        if not data.is_dir():
            with tarfile.open(archive) as tar:
                members = [m for m in tar.getmembers() if "/tests/data/" in m.name and m.isfile()]
                tar.extractall(CACHE, members=members, filter="data")
        if data.is_dir():
            return data
    return None


def _download() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    if glob.glob(str(CACHE / "mutagen-*.tar.gz")):
        return
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-binary", ":all:",
                    "--no-deps", f"mutagen=={mutagen.version_string}", "-d", str(CACHE)],
                   check=False, timeout=120, capture_output=True)
