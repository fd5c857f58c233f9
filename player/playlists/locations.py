"""Turning a playlist entry's location into a local path, or saying why not.

Windows paths (drive letters, backslashes, UNC) are kept as '/'-separated text so their
trailing folders and file name can still be matched against the library. URLs other than
file:// are never fetched: they are reported and skipped.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
_DRIVE = re.compile(r"^[A-Za-z]:/")


@dataclass(frozen=True, slots=True)
class Location:
    path: str = ""  # absolute local path ('/'-separated), or a Windows path when foreign
    url: str = ""  # set when the entry is a URL we will not fetch
    foreign: bool = False  # a Windows/UNC path: only its trailing parts can be matched

    @property
    def parts(self) -> list[str]:
        return [p for p in self.path.split("/") if p]


def locate(location: str, base_dir: str) -> Location:
    """Where an entry points, relative entries taken from the playlist file's folder."""
    text = location.strip()
    scheme = _SCHEME.match(text)
    if scheme and len(scheme.group(1)) > 1:  # one letter is a Windows drive, not a scheme
        if scheme.group(1).lower() != "file":
            return Location(url=text)
        text = _file_url_path(text)
    text = text.replace("\\", "/")
    if _DRIVE.match(text) or text.startswith("//"):
        return Location(path=text, foreign=True)
    if not text.startswith("/"):
        text = posixpath.join(base_dir.replace(os.sep, "/"), text)
    return Location(path=posixpath.normpath(text))


def _file_url_path(url: str) -> str:
    parts = urlsplit(url)
    path = unquote(parts.path, errors="surrogateescape")  # non-UTF-8 names keep their bytes
    if parts.netloc and parts.netloc != "localhost":
        return f"//{parts.netloc}{path}"  # file://server/share: a UNC path
    if re.match(r"^/[A-Za-z]:/", path):  # file:///C:/Music/...
        return path[1:]
    return path
