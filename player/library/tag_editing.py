"""Editing tracks' tags: the safe file write (tags/writer.py), the library row updated under
the same track id (so listens, likes and playlists stay), `library_changed` announced, and
the last edit remembered (in the database, so `encore tag --undo` works across runs).

The GUI's tag editor and `encore tag` both use this one service; neither touches the
database or mutagen itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from player.core.errors import KnownError
from player.core.events import EventBus
from player.core.paths import display
from player.db.connection import Database
from player.db.settings import SettingsRepository
from player.db.tracks import KnownFile, ScannedFile, TrackRepository
from player.library.reading import read_file
from player.tags.writer import FIELDS, LABELS, current_values, write_tags

UNDO_KEY = "tag_editor.last_edit"
VARIOUS = None  # a field whose value differs between the tracks edited together

__all__ = ["FIELDS", "LABELS", "VARIOUS", "EditReport", "TagEditingService"]


@dataclass(slots=True)
class EditReport:
    edited: list[int] = field(default_factory=list)
    failed: list[tuple[int, str, str]] = field(default_factory=list)  # (id, path, reason)

    @property
    def summary(self) -> str:
        text = f"{len(self.edited)} track{'s' if len(self.edited) != 1 else ''} edited"
        if self.failed:
            text += f", {len(self.failed)} not edited"
        return text


class TagEditingService:
    def __init__(self, db: Database, bus: EventBus | None = None) -> None:
        self.tracks = TrackRepository(db)
        self.settings = SettingsRepository(db)
        self.bus = bus

    def values(self, track_ids: Sequence[int]) -> tuple[dict[str, str | None], list[str]]:
        """Each field's value shared by all the tracks, VARIOUS where they differ; and the
        reasons some tracks' files could not be read (they are left out)."""
        shared: dict[str, str | None] = {}
        problems: list[str] = []
        for track_id in track_ids:
            track = self.tracks.get(track_id)
            if track is None:
                problems.append(f"track {track_id} is not in the library")
                continue
            try:
                now = current_values(track.path)
            except KnownError as exc:
                problems.append(f"{display(track.path)}: {exc.message}")
                continue
            for name in FIELDS:
                if name not in shared:
                    shared[name] = now[name]
                elif shared[name] != now[name]:
                    shared[name] = VARIOUS
        return shared, problems

    def edit(self, track_ids: Sequence[int], changes: dict[str, str],
             progress: Callable[[int, int], None] | None = None) -> EditReport:
        """Write changes (field -> text, "" clears) to every track's file. A failed file is
        reported and left as it was; the others are edited. The edit can be undone."""
        return self._apply([(i, changes) for i in track_ids], progress, remember=True)

    def can_undo(self) -> bool:
        return bool(self.settings.get(UNDO_KEY))

    def undo(self, progress: Callable[[int, int], None] | None = None) -> EditReport:
        """Put back the values the last edit replaced, in the files it edited."""
        record = self.settings.get(UNDO_KEY) or []
        jobs = [(int(item["id"]), dict(item["before"])) for item in record]
        report = self._apply(jobs, progress, remember=False)
        self.settings.set(UNDO_KEY, [])
        return report

    def _apply(self, jobs: list[tuple[int, dict[str, str]]],
               progress: Callable[[int, int], None] | None, remember: bool) -> EditReport:
        report = EditReport()
        before: list[dict[str, object]] = []
        for done, (track_id, changes) in enumerate(jobs, start=1):
            self._edit_one(track_id, changes, report, before if remember else None)
            if progress is not None:
                progress(done, len(jobs))
        if report.edited and self.bus is not None:
            self.bus.publish("library_changed", {"track_ids": list(report.edited), "reason": "tags"})
        return report

    def _edit_one(self, track_id: int, changes: dict[str, str], report: EditReport,
                  before: list[dict[str, object]] | None) -> None:
        track = self.tracks.get(track_id)
        if track is None:
            report.failed.append((track_id, "", "not in the library"))
            return
        try:
            old = current_values(track.path)
            if before is not None:
                # Saved before the file is written: an edit killed half-way can be undone.
                before.append({"id": track_id, "before": {k: old[k] for k in changes}})
                self.settings.set(UNDO_KEY, before)
            write_tags(track.path, changes)
        except KnownError as exc:
            report.failed.append((track_id, track.path, str(exc)))
            if before and before[-1]["id"] == track_id:
                before.pop()
                self.settings.set(UNDO_KEY, before)
            return
        self._update_row(track_id, track.path)
        report.edited.append(track_id)

    def _update_row(self, track_id: int, path: str) -> None:
        """The row (same id) gets the new tags, stat and fingerprint: a later move of the
        file is still recognised, and the next scan sees nothing changed."""
        st = os.stat(path)
        roots = [f for f in self.settings.folders() if path.startswith(f.rstrip("/") + "/")]
        root = max(roots, key=len) if roots else os.path.dirname(path)  # as the scanner reads it
        scanned = read_file((path, root, st.st_size, st.st_mtime))
        if isinstance(scanned, ScannedFile):
            known = {path: KnownFile(track_id, st.st_size, st.st_mtime, scanned.fingerprint, False)}
            self.tracks.write_scanned([scanned], known)
