"""The recap's inputs (arrays and names the queries return) and its result (plain dataclasses).

What counts (PRODUCT.md's definitions; the queries in player/db/recap_queries.py apply them):
- The year of a listen is the year of its LOCAL start (UTC start + the listen's own UTC offset,
  so a listen at 23:30 UTC on 31 December in Berlin (+01:00) belongs to the next year).
- Minutes: every listen's heard time (plays and non-plays alike; a scrobble of unknown length
  counts its track's duration, else 3.5 min), summed in whole seconds, shown rounded to minutes.
- Counts ("plays"): listens heard >= 30 s, or >= 50% of a track shorter than 60 s.
- Tops rank by plays, then minutes, then name. An item's minutes are all its heard time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@dataclass(frozen=True, slots=True)
class YearListens:
    """The year's listens in start order; local_s counts seconds from local 1 January 00:00."""

    year: int
    local_s: np.ndarray
    heard_s: np.ndarray
    key: np.ndarray
    offset_min: np.ndarray  # each listen's UTC offset; UTC start = local_s - 60 * offset_min
    is_play: np.ndarray
    is_skip: np.ndarray

    def __len__(self) -> int:
        return int(self.key.shape[0])


@dataclass(frozen=True, slots=True)
class TrackInfo:
    title: str
    artist: str
    album: str
    album_artist: str
    liked: bool = False


@dataclass(frozen=True, slots=True)
class Cluster:
    """A Daily Mix cluster ("musical personality"): its name and the library tracks in it."""

    name: str
    track_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class YearTotals:
    year: int
    listens: int
    plays: int
    heard_s: int


# -- the result ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Ranked:
    name: str
    detail: str  # the artist of a track or album, "" otherwise
    plays: int
    minutes: int
    extra: str = ""  # e.g. the date a favourite was first heard


@dataclass(frozen=True, slots=True)
class MonthStat:
    month: int  # 1..12
    plays: int
    minutes: int


@dataclass(frozen=True, slots=True)
class Streak:
    days: int
    start: str  # ISO local dates
    end: str


@dataclass(frozen=True, slots=True)
class Repeat:
    name: str
    detail: str
    times: int  # plays in a row
    date: str  # ISO local date of the first of them


@dataclass(frozen=True, slots=True)
class Skips:
    listens: int  # listens whose skip is known (see measured); all listens when every one is
    skips: int
    rate: float  # skips / listens, 0..1, rounded to 4 places (0.0 when listens is 0)
    most_skipped: Ranked | None  # plays = its skips
    unmeasured: int = 0  # listens that cannot show a skip: scrobbles record plays only


@dataclass(frozen=True, slots=True)
class SoundMonth:
    month: int
    tempo: float | None  # plays-weighted mean BPM, 1 decimal
    energy: float | None  # plays-weighted mean energy, 3 decimals


@dataclass(frozen=True, slots=True)
class Personality:
    name: str
    plays: int
    share: float  # of the year's plays, 0..1, 4 places


@dataclass(frozen=True, slots=True)
class Versus:
    previous_year: int
    minutes: int
    plays: int
    previous_minutes: int
    previous_plays: int
    minutes_change: float | None  # (this - last) / last, 4 places; None when last year was 0


@dataclass(frozen=True, slots=True)
class Recap:
    year: int
    size: str  # "empty", "tiny" (fewer than TINY_PLAYS plays) or "full"
    listens: int
    plays: int
    minutes: int
    tracks: int  # distinct tracks played
    artists: int  # distinct artists played
    days: int  # local days with at least one play
    top_tracks: list[Ranked] = field(default_factory=list)
    top_artists: list[Ranked] = field(default_factory=list)
    top_albums: list[Ranked] = field(default_factory=list)
    top_genres: list[Ranked] = field(default_factory=list)
    clock: list[list[int]] = field(default_factory=list)  # [weekday Mon=0][hour] plays
    peak_weekday: int | None = None
    peak_hour: int | None = None
    months: list[MonthStat] = field(default_factory=list)
    daily: list[int] = field(default_factory=list)  # plays per local day, 1 January first
    favourites: list[Ranked] = field(default_factory=list)
    streak: Streak | None = None
    repeat: Repeat | None = None
    skips: Skips | None = None
    sound: list[SoundMonth] = field(default_factory=list)  # empty when nothing is analysed
    sound_coverage: float = 0.0  # share of plays whose track has a tempo or an energy
    personalities: list[Personality] | None = None  # None: no mixes were given
    versus: Versus | None = None
    # What the data holds, so a card can say what is missing instead of showing a zero:
    library_plays: int = 0  # plays of songs in the library (the rest: imported, unmatched)
    album_plays: int = 0  # plays of songs whose album is known
    analysed_tracks: int = 0  # library songs with a tempo or energy (analysis or BPM tag)
    mixes: int = 0  # Daily Mixes given (personalities lists only those with plays)
    history_start: str | None = None  # ISO local date of the first listen ever, any year

    def headline(self) -> dict[str, Any]:
        """The figures a script reads first (`encore recap YEAR --json`, top level)."""
        skips = self.skips
        return {
            "year": self.year, "minutes": self.minutes, "listens": self.listens,
            "plays": self.plays, "distinct_tracks": self.tracks, "artists": self.artists,
            "days": self.days,
            "skips": skips.skips if skips is not None and skips.listens else None,
            "skip_rate": skips.rate if skips is not None and skips.listens else None,
            "top_artist": self.top_artists[0].name if self.top_artists else None,
            "top_artist_plays": self.top_artists[0].plays if self.top_artists else None,
            "top_track": self.top_tracks[0].name if self.top_tracks else None,
            "top_track_artist": self.top_tracks[0].detail if self.top_tracks else None,
            "top_track_plays": self.top_tracks[0].plays if self.top_tracks else None,
        }

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
