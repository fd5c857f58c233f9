"""Matching playlist entries to library tracks: by path, by trailing path parts, then by tags.

1. the exact path (relative entries are taken from the playlist file's folder);
2. the same file name whose trailing folders match best (files moved to another root, or
   Windows paths from another machine), when one candidate is the best;
3. artist + title (from #EXTINF, PLS TitleN or XSPF creator/title), ignoring case and spaces.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from player.core.paths import from_db
from player.db.connection import Database
from player.playlists.entries import FileEntry
from player.playlists.locations import locate


@dataclass(frozen=True, slots=True)
class Resolution:
    entry: FileEntry
    track_id: int | None
    how: str  # path | moved | tags | url | missing | ambiguous


def tag_key(artist: str, title: str) -> tuple[str, str]:
    return " ".join(artist.casefold().split()), " ".join(title.casefold().split())


class LibraryIndex:
    """The library's paths, loaded once per import; name and tag lookups built when first needed."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.by_path: dict[str, int] = {
            from_db(stored): track_id
            for track_id, stored in db.iterate("SELECT id, path FROM track WHERE missing = 0 ORDER BY id")
        }
        self._name_index: dict[str, list[tuple[str, int]]] | None = None
        self._tag_index: dict[tuple[str, str], int] | None = None

    @property
    def by_name(self) -> dict[str, list[tuple[str, int]]]:
        if self._name_index is None:
            self._name_index = defaultdict(list)
            for path, track_id in self.by_path.items():
                self._name_index[path.rpartition("/")[2].casefold()].append((path, track_id))
        return self._name_index

    @property
    def by_tags(self) -> dict[tuple[str, str], int]:
        if self._tag_index is None:
            self._tag_index = {}
            rows = self.db.iterate("SELECT id, artist, title FROM track WHERE missing = 0 "
                                   "AND title != '' ORDER BY id")
            for track_id, artist, title in rows:
                self._tag_index.setdefault(tag_key(artist, title), track_id)
        return self._tag_index

    def resolve(self, entry: FileEntry, base_dir: str) -> Resolution:
        if not entry.location:  # XSPF tracks may give only creator and title
            return self._by_tags(entry, "missing")
        where = locate(entry.location, base_dir)
        if where.url:  # never fetched, never guessed at: reported as skipped
            return Resolution(entry, None, "url")
        if not where.foreign and (found := self.by_path.get(where.path)) is not None:
            return Resolution(entry, found, "path")
        track_id, how, shared = self._by_trailing_parts(where.parts)
        if track_id is not None and shared == 1 and entry.title:
            # only the file name matched: the entry's own tags are the better witness
            by_tags = self._by_tags(entry, how)
            if by_tags.track_id is not None:
                return by_tags
        if track_id is not None:
            return Resolution(entry, track_id, how)
        return self._by_tags(entry, how)

    def _by_trailing_parts(self, parts: list[str]) -> tuple[int | None, str, int]:
        """(track id, how, number of trailing parts shared) of the one best candidate."""
        wanted = [p.casefold() for p in parts]
        candidates = self.by_name.get(wanted[-1], []) if wanted else []
        if not candidates:
            return None, "missing", 0
        scored = sorted(((_common_tail(wanted, [p.casefold() for p in path.split("/") if p]), tid)
                         for path, tid in candidates), reverse=True)
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            return None, "ambiguous", 0
        return scored[0][1], "moved", scored[0][0]

    def _by_tags(self, entry: FileEntry, failure: str) -> Resolution:
        if entry.title:
            found = self.by_tags.get(tag_key(entry.artist, entry.title))
            if found is not None:
                return Resolution(entry, found, "tags")
        return Resolution(entry, None, failure)


def _common_tail(a: list[str], b: list[str]) -> int:
    count = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        count += 1
    return count
