"""What every importer yields, and the small helpers they share (time, zones, keys)."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from player.core.errors import KnownError

# Listens before this are not real (no scrobbling service existed); 1970 means "no clock".
EARLIEST_LISTEN = 946684800.0  # 2000-01-01T00:00:00Z
FUTURE_SLACK_S = 86400.0  # a day of clock skew is tolerated
MAX_LISTEN_MS = 86_400_000  # no single listen (or track) lasts more than a day
MAX_OFFSET_MIN = 18 * 60  # UTC offsets run from -12:00 to +14:00; +-18 h is the ISO bound
# What a bad value in a row can raise while it is read (NaN into int, 1e400, wrong types...).
VALUE_ERRORS = (ValueError, TypeError, OverflowError, AttributeError, KeyError, IndexError,
                ArithmeticError, UnicodeError, RecursionError, OSError)


class ImportFormatError(KnownError):
    """A file that is not a listening history we know, or is broken beyond reading."""


@dataclass(frozen=True, slots=True)
class ImportedListen:
    """One listen read from another service's export. Times are UTC epoch seconds."""

    user: str
    started_at: float
    utc_offset_min: int
    ms_played: int | None  # None: a scrobble, the time heard is unknown
    duration_ms: int | None
    artist: str
    title: str
    album: str
    mbid: str  # recording MBID or ""
    skipped: bool | None
    end_reason: str | None
    origin: str  # spotify | lastfm | listenbrainz | scrobbler
    origin_key: str  # stable across re-imports, for dedupe
    is_music: bool = True


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row that could not become a listen, and why (counted in the report, never silent)."""

    reason: str
    where: str = ""


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A whole file (or zip entry) that was not read, and why."""

    reason: str
    where: str


Row = ImportedListen | Rejected | SkippedFile


def origin_key(origin: str, user: str, when: float | int, artist: str, title: str,
               ms_played: int | None = None) -> str:
    """A short stable key: one listen (PRODUCT.md) -> one key, whatever file it came from.

    Two rows are one listen only when they have the same time at the export's resolution
    (`when`, as the export gives it), the same track (case-insensitive) and, where the export
    gives it, the same ms played: so Spotify's same-minute listens of one track with different
    msPlayed get different keys, and a re-import of the same rows gets the same keys.
    The time comes first so keys of a chronological export land next to each other in the
    UNIQUE index (appends, not random B-tree inserts: 2,000,000 rows stay fast).
    """
    text = f"{user}\x1f{artist.casefold()}\x1f{title.casefold()}"
    if ms_played is not None:
        text += f"\x1f{ms_played}"
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    return f"{origin}:{int(when)}:{digest}"


_latest = [0.0, 0.0]  # [checked at (monotonic), latest plausible time]


def time_problem(when: float) -> str | None:
    """Why a timestamp is absurd, or None when it is plausible."""
    if not math.isfinite(when):
        return f"timestamp {when} is not a time"
    if when < EARLIEST_LISTEN:
        return f"timestamp {_iso(when)} is before 2000"
    if when > _latest[1]:
        now = time.time()
        _latest[:] = [now, now + FUTURE_SLACK_S]
        if when > _latest[1]:
            return f"timestamp {_iso(when)} is in the future"
    return None


def _iso(when: float) -> str:
    try:
        return datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):
        return str(when)


def resolve_zone(tz: str | None) -> tzinfo:
    """The zone the user lived in: a name like Europe/Paris, UTC, or None for this computer's."""
    if tz is None or tz == "" or tz == "local":
        local = datetime.now().astimezone().tzinfo
        return _LocalZone() if local is not None else UTC
    if tz.upper() in ("UTC", "Z", "GMT"):
        return UTC
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ImportFormatError(
            f"Unknown time zone {tz!r}.", "Use a name like Europe/Paris, America/New_York or UTC."
        ) from exc


class _LocalZone(tzinfo):
    """This computer's zone with its DST rules (via the C library), for past dates too."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return timedelta(0)
        stamp = dt.replace(tzinfo=UTC).timestamp()
        return timedelta(seconds=time.localtime(stamp).tm_gmtoff)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "local"

    def fromutc(self, dt: datetime) -> datetime:
        stamp = dt.replace(tzinfo=UTC).timestamp()
        return dt + timedelta(seconds=time.localtime(stamp).tm_gmtoff)


class OffsetCache:
    """UTC offset (minutes) of a zone at an instant; cached per quarter hour because it is hot."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self._cache: dict[int, int] = {}

    def __call__(self, when: float) -> int:
        bucket = int(when // 900)
        offset = self._cache.get(bucket)
        if offset is None:
            if len(self._cache) > 200_000:
                self._cache.clear()
            delta = datetime.fromtimestamp(bucket * 900, UTC).astimezone(self.zone).utcoffset()
            offset = int(delta.total_seconds() // 60) if delta is not None else 0
            self._cache[bucket] = offset
        return offset

    def local_to_utc(self, naive_seconds: float) -> float:
        """Seconds that were written as local wall-clock time -> real UTC epoch seconds."""
        guess = naive_seconds - self(naive_seconds) * 60
        return naive_seconds - self(guess) * 60


def parse_iso_utc(text: str) -> float:
    """'2021-03-04T05:06:07Z' or '2021-03-04 05:06' (UTC when no zone) -> epoch seconds."""
    stamp = datetime.fromisoformat(text.strip())
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.timestamp()


def guarded(make_row: Callable[..., Row]) -> Callable[..., Row]:
    """A row maker that turns any unreadable value into a Rejected row (named by `where`,
    its last argument) instead of an exception that would end the whole file."""

    @functools.wraps(make_row)
    def make(*args: object) -> Row:
        where = args[-1] if args and isinstance(args[-1], str) else ""
        try:
            return checked(make_row(*args), where)
        except VALUE_ERRORS as exc:
            return Rejected(f"unreadable value ({_short(exc)})", where)

    return make


def _short(exc: BaseException) -> str:
    text = str(exc).encode("utf-8", "replace").decode("utf-8")
    return text[:80] + ("..." if len(text) > 80 else "") if text else type(exc).__name__


def checked(row: Row, where: str = "") -> Row:
    """A listen whose values cannot be right becomes a Rejected row naming the field; text
    with lone surrogates (invalid UTF-16 in JSON) keeps its readable part (U+FFFD)."""
    if type(row) is not ImportedListen:
        return row
    ms, duration = row.ms_played, row.duration_ms
    if ms is not None and not 0 <= ms <= MAX_LISTEN_MS:
        return Rejected(f"ms_played {ms} is impossible (0 to 24 h)", where)
    if duration is not None and not 0 <= duration <= MAX_LISTEN_MS:
        return Rejected(f"duration {duration} ms is impossible (0 to 24 h)", where)
    if not -MAX_OFFSET_MIN <= row.utc_offset_min <= MAX_OFFSET_MIN:
        return Rejected(f"UTC offset {row.utc_offset_min} min is impossible", where)
    problem = time_problem(row.started_at)
    if problem:
        return Rejected(problem, where)
    texts = (row.user, row.artist, row.title, row.album, row.mbid, row.origin_key)
    if all(t.isascii() for t in texts):
        return row
    try:
        for text in texts:
            text.encode("utf-8")
    except UnicodeEncodeError:
        return dataclasses.replace(row, user=_clean(row.user), artist=_clean(row.artist),
                                   title=_clean(row.title), album=_clean(row.album),
                                   mbid=_clean(row.mbid), origin_key=_clean(row.origin_key))
    return row


def _clean(text: str) -> str:
    """Lone surrogates replaced by U+FFFD (SQLite text must be valid UTF-8)."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
