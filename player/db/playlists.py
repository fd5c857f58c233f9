"""Playlists: user lists, smart ones (rules, evaluated by one SQL query) and Liked Songs.

Kinds: 'user' (entries in playlist_entry), 'smart' (rules JSON in playlist.rules) and 'liked'
(one row; its tracks are track_feedback.liked). Delete is soft (deleted_at) so it can be undone.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from player.core.errors import KnownError
from player.core.models import Track
from player.db.connection import Database
from player.db.smart_sql import SmartRuleError, compile_rules
from player.db.tracks import _TRACK_COLUMNS, _row_to_track

KINDS = ("user", "smart", "liked")
LIKED_NAME = "Liked Songs"
_T_COLUMNS = ", ".join("t." + c.strip() for c in _TRACK_COLUMNS.split(","))
_PLAYLIST_COLUMNS = "id, name, kind, rules, created_at, updated_at, deleted_at"
SORT_KEYS: dict[str, str] = {
    "title": "t.title COLLATE NOCASE",
    "artist": "t.artist COLLATE NOCASE, t.album COLLATE NOCASE, t.disc_number, t.track_number",
    "album": "t.album COLLATE NOCASE, t.disc_number, t.track_number",
    "year": "t.year",
    "duration": "t.duration",
    "added": "t.added_at",
}


class PlaylistError(KnownError):
    """A playlist operation that cannot be done (unknown playlist, wrong kind...)."""


@dataclass(frozen=True, slots=True)
class Playlist:
    id: int
    name: str
    kind: str  # user | smart | liked
    rules: str = ""  # JSON, smart playlists only
    created_at: float = 0.0
    updated_at: float = 0.0
    deleted_at: float | None = None

    @property
    def is_editable(self) -> bool:
        """Entries can be added, removed and reordered by hand."""
        return self.kind == "user"


def _row_to_playlist(row: Sequence[Any]) -> Playlist:
    return Playlist(row[0], row[1], row[2], row[3], row[4], row[5], row[6])


class PlaylistRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- playlists -------------------------------------------------------------------------
    def create(self, name: str, kind: str = "user", rules: str = "") -> Playlist:
        name = _clean_name(name)
        if kind not in KINDS:
            raise PlaylistError(f"Unknown playlist kind {kind!r}.")
        now = time.time()
        new_id = self.db.execute(
            "INSERT INTO playlist (name, kind, rules, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (name, kind, rules, now, now),
        )
        return self.require(new_id)

    def get(self, playlist_id: int, include_deleted: bool = False) -> Playlist | None:
        where = "" if include_deleted else " AND deleted_at IS NULL"
        rows = self.db.query(f"SELECT {_PLAYLIST_COLUMNS} FROM playlist WHERE id = ?{where}",
                             (playlist_id,))
        return _row_to_playlist(rows[0]) if rows else None

    def require(self, playlist_id: int, include_deleted: bool = False) -> Playlist:
        playlist = self.get(playlist_id, include_deleted)
        if playlist is None:
            raise PlaylistError(f"There is no playlist with id {playlist_id}.")
        return playlist

    def find(self, name_or_id: str) -> Playlist:
        """A playlist by id (digits) or exact name, then by name ignoring case."""
        if name_or_id.isdigit() and (found := self.get(int(name_or_id))):
            return found
        rows = self.db.query(
            f"SELECT {_PLAYLIST_COLUMNS} FROM playlist WHERE deleted_at IS NULL AND "
            "(name = ? OR name = ? COLLATE NOCASE) ORDER BY name = ? DESC, id LIMIT 1",
            (name_or_id, name_or_id, name_or_id),
        )
        if not rows:
            raise PlaylistError(f"There is no playlist called {name_or_id!r}.",
                                "See `encore playlist list`.")
        return _row_to_playlist(rows[0])

    def all(self, include_deleted: bool = False) -> list[Playlist]:
        """Liked Songs first, then user and smart playlists by name."""
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        rows = self.db.query(
            f"SELECT {_PLAYLIST_COLUMNS} FROM playlist {where} "
            "ORDER BY kind != 'liked', name COLLATE NOCASE, id"
        )
        return [_row_to_playlist(r) for r in rows]

    def deleted(self) -> list[Playlist]:
        rows = self.db.query(f"SELECT {_PLAYLIST_COLUMNS} FROM playlist "
                             "WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC")
        return [_row_to_playlist(r) for r in rows]

    def rename(self, playlist_id: int, name: str) -> Playlist:
        self.require(playlist_id)
        self.db.execute("UPDATE playlist SET name = ?, updated_at = ? WHERE id = ?",
                        (_clean_name(name), time.time(), playlist_id))
        return self.require(playlist_id)

    def set_rules(self, playlist_id: int, rules: str) -> Playlist:
        playlist = self.require(playlist_id)
        if playlist.kind != "smart":
            raise PlaylistError(f"{playlist.name!r} is not a smart playlist.")
        compile_rules(json.loads(rules), time.time())  # refuse rules that cannot run
        self.db.execute("UPDATE playlist SET rules = ?, updated_at = ? WHERE id = ?",
                        (rules, time.time(), playlist_id))
        return self.require(playlist_id)

    def duplicate(self, playlist_id: int, name: str | None = None) -> Playlist:
        """A copy; smart playlists copy their rules, Liked Songs becomes a user list."""
        source = self.require(playlist_id)
        kind = "smart" if source.kind == "smart" else "user"
        with self.db.transaction():
            copy = self.create(name or f"{source.name} (copy)", kind, source.rules)
            if kind == "user":
                self._write_entries(copy.id, self.track_ids(source.id))
        return copy

    def delete(self, playlist_id: int) -> Playlist:
        """Soft delete: restore() undoes it; purge_deleted() forgets it for good."""
        playlist = self.require(playlist_id)
        if playlist.kind == "liked":
            raise PlaylistError("Liked Songs cannot be deleted; unlike its songs instead.")
        self.db.execute("UPDATE playlist SET deleted_at = ? WHERE id = ?", (time.time(), playlist_id))
        return playlist

    def restore(self, playlist_id: int) -> Playlist:
        self.require(playlist_id, include_deleted=True)
        self.db.execute("UPDATE playlist SET deleted_at = NULL WHERE id = ?", (playlist_id,))
        return self.require(playlist_id)

    def purge_deleted(self, older_than: float = 0.0) -> int:
        """Really delete playlists soft-deleted before `older_than` (epoch seconds; 0: all)."""
        cutoff = older_than or time.time() + 1
        rows = self.db.query("SELECT id FROM playlist WHERE deleted_at IS NOT NULL AND deleted_at < ?",
                             (cutoff,))
        self.db.executemany("DELETE FROM playlist WHERE id = ?", rows)
        return len(rows)

    def liked(self) -> Playlist:
        """The Liked Songs playlist, created the first time it is asked for."""
        rows = self.db.query(f"SELECT {_PLAYLIST_COLUMNS} FROM playlist WHERE kind = 'liked' "
                             "ORDER BY id LIMIT 1")
        if rows:
            return _row_to_playlist(rows[0])
        return self.create(LIKED_NAME, "liked")

    # -- tracks ----------------------------------------------------------------------------
    def track_ids(self, playlist_id: int, now: float | None = None) -> list[int]:
        return [t.id for t in self.tracks(playlist_id, now)]

    def tracks(self, playlist_id: int, now: float | None = None) -> list[Track]:
        """The playlist's tracks in order (smart ones evaluated now, against the history)."""
        return list(self.iter_tracks(playlist_id, now))

    def iter_tracks(self, playlist_id: int, now: float | None = None, offset: int = 0,
                    limit: int | None = None) -> Iterator[Track]:
        """The playlist's tracks in order, streamed (a million entries are never all held):
        from entry offset (0-based), at most limit of them."""
        playlist = self.require(playlist_id, include_deleted=True)
        params: list[Any]
        if playlist.kind == "smart":
            sql, params = compile_rules(json.loads(playlist.rules or "{}"),
                                        time.time() if now is None else now, select=_T_COLUMNS)
            if offset or limit is not None:  # the rules' own sort and limit come first
                sql = f"SELECT * FROM ({sql})"
        elif playlist.kind == "liked":
            sql, params = (f"SELECT {_T_COLUMNS} FROM track_feedback f JOIN track t ON t.id = f.track_id "
                           "WHERE f.liked = 1 ORDER BY f.updated_at DESC, t.id"), []
        else:
            sql, params = (f"SELECT {_T_COLUMNS} FROM playlist_entry e JOIN track t ON t.id = e.track_id "
                           "WHERE e.playlist_id = ? ORDER BY e.position"), [playlist_id]
        if offset or limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, -1 if limit is None else limit, offset]
        for row in self.db.iterate(sql, params, batch=1000):
            yield _row_to_track(row)

    def evaluate_rules(self, rules: dict[str, Any], now: float | None = None) -> list[Track]:
        sql, params = compile_rules(rules, time.time() if now is None else now, select=_T_COLUMNS)
        return [_row_to_track(r) for r in self.db.query(sql, params)]

    def summary(self, playlist_id: int, now: float | None = None) -> tuple[int, float]:
        """(track count, total seconds) counted in SQL: a million entries need no list."""
        playlist = self.require(playlist_id, include_deleted=True)
        if playlist.kind == "smart":
            try:
                rules = json.loads(playlist.rules or "{}")
            except ValueError:
                raise SmartRuleError(f"The stored rules of {playlist.name!r} are not valid JSON.") from None
            sql, params = compile_rules(rules, time.time() if now is None else now,
                                        select="t.duration")
            sql, params = f"SELECT COUNT(*), TOTAL(duration) FROM ({sql})", params
        elif playlist.kind == "liked":
            sql, params = ("SELECT COUNT(*), TOTAL(t.duration) FROM track_feedback f JOIN track t "
                           "ON t.id = f.track_id WHERE f.liked = 1", [])
        else:
            sql, params = ("SELECT COUNT(*), TOTAL(t.duration) FROM playlist_entry e JOIN track t "
                           "ON t.id = e.track_id WHERE e.playlist_id = ?", [playlist_id])
        count, seconds = self.db.query(sql, params)[0]
        return int(count), float(seconds)

    def total_duration(self, playlist_id: int) -> float:
        return float(sum(t.duration for t in self.tracks(playlist_id)))

    def add(self, playlist_id: int, track_ids: Iterable[int], position: int | None = None) -> int:
        """Add tracks at position (default: the end). Returns how many were added."""
        playlist = self.require(playlist_id)
        ids = [int(i) for i in track_ids]
        if playlist.kind == "liked":
            self._set_liked(ids, True)
            return len(ids)
        self._require_editable(playlist)
        known = {r[0] for r in self._existing_tracks(ids)}
        ids = [i for i in ids if i in known]
        current = self._entry_ids(playlist_id)
        at = len(current) if position is None else max(0, min(position, len(current)))
        with self.db.transaction():
            self._write_entries(playlist_id, current[:at] + ids + current[at:])
        return len(ids)

    def remove_positions(self, playlist_id: int, positions: Iterable[int]) -> int:
        """Remove entries by 0-based position (Liked Songs: unlike those tracks)."""
        playlist = self.require(playlist_id)
        drop = set(positions)
        if playlist.kind == "liked":
            ids = self.track_ids(playlist_id)
            self._set_liked([ids[p] for p in drop if 0 <= p < len(ids)], False)
            return len(drop)
        self._require_editable(playlist)
        current = self._entry_ids(playlist_id)
        kept = [tid for pos, tid in enumerate(current) if pos not in drop]
        with self.db.transaction():
            self._write_entries(playlist_id, kept)
        return len(current) - len(kept)

    def move(self, playlist_id: int, positions: Sequence[int], destination: int) -> list[int]:
        """Move the entries at positions (kept in their order) to before `destination`.

        `destination` is a position in the current list (len() means the end). Returns the
        new positions of the moved entries.
        """
        self._require_editable(self.require(playlist_id))
        current = self._entry_ids(playlist_id)
        moving = sorted({p for p in positions if 0 <= p < len(current)})
        destination = max(0, min(destination, len(current)))
        before = sum(1 for p in moving if p < destination)
        rest = [tid for pos, tid in enumerate(current) if pos not in set(moving)]
        at = destination - before
        order = rest[:at] + [current[p] for p in moving] + rest[at:]
        with self.db.transaction():
            self._write_entries(playlist_id, order)
        return list(range(at, at + len(moving)))

    def set_order(self, playlist_id: int, track_ids: Sequence[int]) -> None:
        self._require_editable(self.require(playlist_id))
        with self.db.transaction():
            self._write_entries(playlist_id, list(track_ids))

    def sort(self, playlist_id: int, key: str, descending: bool = False) -> None:
        if key not in SORT_KEYS:
            raise PlaylistError(f"Cannot sort by {key!r}.", f"Sort by one of: {', '.join(SORT_KEYS)}.")
        self._require_editable(self.require(playlist_id))
        direction = " DESC" if descending else ""
        order = ", ".join(part + direction for part in SORT_KEYS[key].split(", "))
        rows = self.db.query(
            "SELECT e.track_id FROM playlist_entry e JOIN track t ON t.id = e.track_id "
            f"WHERE e.playlist_id = ? ORDER BY {order}, e.position", (playlist_id,))
        with self.db.transaction():
            self._write_entries(playlist_id, [r[0] for r in rows])

    def all_track_lists(self) -> list[list[int]]:
        """Every live user playlist's track ids in order: the recommender's 'users'.

        Smart playlists are left out (they are derived from the history already used) and
        so is Liked Songs (likes are their own signal).
        """
        lists: dict[int, list[int]] = {}
        rows = self.db.iterate(
            "SELECT e.playlist_id, e.track_id FROM playlist_entry e "
            "JOIN playlist p ON p.id = e.playlist_id "
            "WHERE p.kind = 'user' AND p.deleted_at IS NULL AND e.track_id IS NOT NULL "
            "ORDER BY e.playlist_id, e.position")
        for playlist_id, track_id in rows:
            lists.setdefault(playlist_id, []).append(track_id)
        return list(lists.values())

    # -- helpers ---------------------------------------------------------------------------
    def _entry_ids(self, playlist_id: int) -> list[int]:
        rows = self.db.query("SELECT track_id FROM playlist_entry WHERE playlist_id = ? "
                             "AND track_id IS NOT NULL ORDER BY position", (playlist_id,))
        return [r[0] for r in rows]

    def _write_entries(self, playlist_id: int, track_ids: Sequence[int]) -> None:
        """Rewrite the whole order (positions are a primary key, so no in-place shuffling)."""
        self.db.execute("DELETE FROM playlist_entry WHERE playlist_id = ?", (playlist_id,))
        self.db.executemany(
            "INSERT INTO playlist_entry (playlist_id, position, track_id) VALUES (?, ?, ?)",
            [(playlist_id, pos, tid) for pos, tid in enumerate(track_ids)],
        )
        self.db.execute("UPDATE playlist SET updated_at = ? WHERE id = ?", (time.time(), playlist_id))

    def _existing_tracks(self, ids: Sequence[int]) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        unique = sorted(set(ids))
        for start in range(0, len(unique), 900):  # SQLite's bound-parameter limit
            chunk = unique[start:start + 900]
            marks = ",".join("?" for _ in chunk)
            out += self.db.query(f"SELECT id FROM track WHERE id IN ({marks})", chunk)
        return out

    def _set_liked(self, track_ids: Sequence[int], liked: bool) -> None:
        now = time.time()
        self.db.executemany(
            "INSERT INTO track_feedback (track_id, liked, banned, updated_at) "
            "SELECT id, ?, 0, ? FROM track WHERE id = ? "
            "ON CONFLICT(track_id) DO UPDATE SET liked = excluded.liked, updated_at = excluded.updated_at",
            [(int(liked), now, tid) for tid in track_ids],
        )

    @staticmethod
    def _require_editable(playlist: Playlist) -> None:
        if not playlist.is_editable:
            raise PlaylistError(f"{playlist.name!r} is a {playlist.kind} playlist; "
                                "its tracks are not edited by hand.")


class TrackRatingRepository:
    """Star ratings 0-5 (0: unrated), used by smart playlists."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def set(self, track_id: int, rating: int) -> None:
        if not 0 <= rating <= 5:
            raise PlaylistError(f"A rating is 0 to 5 stars, not {rating}.")
        self.db.execute(
            "INSERT INTO track_rating (track_id, rating, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(track_id) DO UPDATE SET rating = excluded.rating, updated_at = excluded.updated_at",
            (track_id, rating, time.time()),
        )

    def get(self, track_id: int) -> int:
        return int(self.db.scalar("SELECT rating FROM track_rating WHERE track_id = ?", (track_id,)) or 0)


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise PlaylistError("A playlist needs a name.")
    if len(cleaned) > 200:
        raise PlaylistError("A playlist name is at most 200 characters.")
    return cleaned
