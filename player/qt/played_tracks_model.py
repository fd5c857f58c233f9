"""A track table with a Plays column: how often each track was played, as the history says.

The counts are handed in (HistoryService.track_stats through TrackIntents.track_stats, which
counts the stored is_play flags, set by core/rules.py); this model only shows them. A track
never played shows an empty cell whose tooltip says so, never a made-up number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from player.core.models import Track
from player.qt.track_model import COLUMNS, TrackTableModel, track_number_text

Index = QModelIndex | QPersistentModelIndex
PLAYS_HEADER = "Plays"


class PlayedTracksModel(TrackTableModel):
    def __init__(self, tracks: Sequence[Track] | None = None) -> None:
        super().__init__()
        self._plays: dict[int, int] = {}
        self._discs = 1
        self.columns = [*COLUMNS, (PLAYS_HEADER, self._plays_text, self._plays_key)]
        self.plays_column = len(self.columns) - 1
        self.numbered = False  # rows headed by the track's number (an album's "#")
        if tracks:
            self.set_tracks(tracks)

    def set_played_tracks(self, tracks: Sequence[Track], plays: Mapping[int, int]) -> None:
        """tracks with {track id: plays} (tracks never played may be absent)."""
        self._plays = {int(k): int(v) for k, v in plays.items()}
        self.set_tracks(tracks)

    def plays_of(self, track_id: int) -> int:
        return self._plays.get(track_id, 0)

    def _plays_text(self, track: Track) -> str:
        plays = self._plays.get(track.id, 0)
        return str(plays) if plays else ""

    def _plays_key(self, track: Track) -> tuple[int]:
        return (self._plays.get(track.id, 0),)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (self.numbered and orientation == Qt.Orientation.Vertical
                and role == Qt.ItemDataRole.DisplayRole and 0 <= section < self.rowCount()):
            return track_number_text(self.track_at(section), self._discs)
        return super().headerData(section, orientation, role)

    def set_tracks(self, tracks: Sequence[Track], prepared: Any = None) -> None:
        self._discs = len({t.disc_number or 1 for t in tracks})
        super().set_tracks(tracks, prepared)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and index.isValid()
                and index.column() == self.plays_column):
            plays = self.plays_of(self.track_at(index.row()).id)
            return "Never played" if not plays else "Played once" if plays == 1 else f"Played {plays} times"
        return super().data(index, role)

