"""Dataclasses shared by every layer. Database rows become these before they leave db/."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

AUDIO_EXTENSIONS: frozenset[str] = frozenset(
    {
        ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".m4b", ".mp4", ".aac", ".alac",
        ".wav", ".aif", ".aiff", ".aifc", ".wma", ".asf", ".ape", ".wv", ".mpc", ".mp+",
        ".spx", ".tta", ".ofr", ".ofs", ".dsf", ".dff", ".tak", ".ac3", ".eac3",
    }
)
# Formats libVLC 3 cannot decode (its FFmpeg bridge maps no DSD codec) but FFmpeg can: they
# play through a converted copy (playback/playable_copies.py). Extension -> what to call it.
PLAYED_THROUGH_COPY: dict[str, str] = {".dsf": "DSD (DSF)", ".dff": "DSD (DFF)"}
# Audio that people keep but Encore cannot play: the scanner lists these with the reason
# instead of passing over them in silence.
UNSUPPORTED_AUDIO: dict[str, str] = {
    ".mid": "MIDI is a score, not audio: Encore has no synthesizer to play it",
    ".midi": "MIDI is a score, not audio: Encore has no synthesizer to play it",
    ".kar": "MIDI karaoke is a score, not audio: Encore has no synthesizer to play it",
    ".mka": "Matroska audio is not supported yet (no tag reader for it)",
    ".shn": "Shorten audio is not supported (no tag reader for it)",
    ".ra": "RealAudio is not supported (no tag reader for it)",
    ".amr": "AMR speech audio is not supported (no tag reader for it)",
}


@dataclass(frozen=True, slots=True)
class TrackTags:
    """One file's tags and stream facts, normalised across formats."""

    title: str
    artists: tuple[str, ...] = ()
    album: str = ""
    album_artist: str = ""
    track_number: int | None = None
    track_total: int | None = None
    disc_number: int | None = None
    disc_total: int | None = None
    date: str = ""
    year: int | None = None
    genres: tuple[str, ...] = ()
    duration: float = 0.0
    bitrate: int = 0
    sample_rate: int = 0
    channels: int = 0
    codec: str = ""
    compilation: bool = False
    mb_track_id: str = ""
    mb_recording_id: str = ""
    mb_album_id: str = ""
    mb_artist_id: str = ""
    rg_track_gain: float | None = None
    rg_track_peak: float | None = None
    rg_album_gain: float | None = None
    rg_album_peak: float | None = None
    bpm: float | None = None
    has_cover: bool = False
    has_lyrics: bool = False
    title_from_path: bool = False

    @property
    def artist(self) -> str:
        """The display artist: all credited artists joined with "; " (the tag editor's
        separator, which a name itself rarely holds, unlike "," in "Crosby, Stills & Nash")."""
        return "; ".join(self.artists)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Pickled once per file a scan worker reads: a plain tuple of values is about twice
        # as cheap as the slots dataclass's default state protocol.
        return (TrackTags, tuple(getattr(self, name) for name in _TRACK_TAGS_FIELDS))


_TRACK_TAGS_FIELDS = tuple(f.name for f in fields(TrackTags))


@dataclass(frozen=True, slots=True)
class Track:
    """A track of the library as stored."""

    id: int
    path: str
    title: str
    artist: str = ""
    album: str = ""
    album_artist: str = ""
    genre: str = ""
    track_number: int | None = None
    disc_number: int | None = None
    year: int | None = None
    duration: float = 0.0
    codec: str = ""
    bitrate: int = 0
    sample_rate: int = 0
    channels: int = 0
    rg_track_gain: float | None = None
    rg_track_peak: float | None = None
    rg_album_gain: float | None = None
    rg_album_peak: float | None = None
    bpm: float | None = None
    has_cover: bool = False
    mb_recording_id: str = ""
    added_at: float = 0.0
    missing: bool = False
    size: int = 0


@dataclass(frozen=True, slots=True)
class ScanIssue:
    """A file or folder the scanner could not read, and why."""

    path: str
    reason: str
    kind: str = "file"  # file | folder
    seen_at: float = 0.0


@dataclass(slots=True)
class ScanReport:
    """What one scan did."""

    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    missing: int = 0
    issues: int = 0
    cancelled: bool = False
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class ScanProgress:
    """Progress of a running scan: files handled of files found so far."""

    done: int
    total: int
    current: str = ""


@dataclass(frozen=True, slots=True)
class LibraryStats:
    """Counts for `encore library`."""

    tracks: int
    missing: int
    total_duration: float
    by_format: dict[str, int] = field(default_factory=dict)
    scan_issues: int = 0
    folders: tuple[str, ...] = ()
