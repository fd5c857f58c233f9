"""Track info: the tags, the file, how the track was listened to and what the audio analysis
heard. Read-only here; a tag editor can build on track_info_fields and TrackInfoDialog."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout

from player.core.paths import display
from player.core.words import times
from player.qt.track_model import format_length


def _opt(value: Any) -> str:
    return "" if value in (None, 0, "") else str(value)


def tag_fields(track) -> list[tuple[str, str]]:
    return [
        ("Title", track.title), ("Artist", track.artist), ("Album", track.album),
        ("Album artist", track.album_artist), ("Genre", track.genre), ("Year", _opt(track.year)),
        ("Track", _opt(track.track_number)), ("Disc", _opt(track.disc_number)),
        ("Length", format_length(track.duration)),
    ]


def file_fields(track) -> list[tuple[str, str]]:
    return [
        ("Format", track.codec),
        ("Bitrate", f"{track.bitrate // 1000} kb/s" if track.bitrate else ""),
        ("Sample rate", f"{track.sample_rate} Hz" if track.sample_rate else ""),
        ("ReplayGain", f"{track.rg_track_gain:+.2f} dB" if track.rg_track_gain is not None else ""),
        ("File", display(track.path)),
    ]


def listening_fields(facts) -> list[tuple[str, str]]:
    stats = facts.stats
    last = (time.strftime("%Y-%m-%d %H:%M", time.localtime(stats.last_played))
            if stats.last_played is not None else "never")
    return [("Played", times(stats.plays) if stats.plays else "never"),
            ("Last played", last),
            ("Skipped", times(stats.skips) if stats.skips else "never")]


def analysis_fields(facts) -> list[tuple[str, str]]:
    if facts.analysis_error:
        return [("Analysis", f"could not decode the audio: {facts.analysis_error}")]
    features = facts.analysis
    if features is None:
        return [("Analysis", "not analysed yet (File \u2192 Audio analysis)")]
    rows = []
    if features.get("tempo_bpm"):
        rows.append(("Tempo", f"{features['tempo_bpm']:.0f} BPM"))
    if features.get("key"):
        rows.append(("Key", str(features["key"])))
    if features.get("loudness_lufs") is not None:
        rows.append(("Loudness", f"{features['loudness_lufs']:.1f} LUFS"))
    if features.get("music_score") is not None:
        score = float(features["music_score"])
        rows.append(("Music score", f"{score:.2f} (0 speech or sounds \u2026 1 music)"))
    return rows or [("Analysis", "analysed, but no tempo, key or loudness was found")]


def track_info_fields(track, facts=None) -> list[tuple[str, str]]:
    """(name, value) rows; empty values are left out by the dialog."""
    rows = tag_fields(track)
    if facts is not None:
        rows += listening_fields(facts) + analysis_fields(facts)
    return rows + file_fields(track)


class TrackInfoDialog(QDialog):
    def __init__(self, track, parent=None, facts=None, on_edit=None) -> None:
        """facts: services.track_facts.TrackFacts; on_edit: opens the tag editor on this
        track (an "Edit tags..." button)."""
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # opened with open(): gone once closed
        self.setWindowTitle(f"Track info: {track.title}")
        self.form = QFormLayout()
        self.values: dict[str, str] = {}
        for name, value in track_info_fields(track, facts):
            if value:
                self.values[name] = value
                label = QLabel(value)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                label.setWordWrap(True)
                self.form.addRow(name, label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        if on_edit is not None:
            edit = buttons.addButton("Edit tags\u2026", QDialogButtonBox.ButtonRole.ActionRole)

            def edit_tags() -> None:
                self.accept()
                on_edit()

            edit.clicked.connect(edit_tags)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
