"""PRODUCT.md's listening-history definitions, the one rulebook (tests pin each one).

- play: heard >= 30 s, or >= 50% when the track is shorter than 60 s;
- skip: the user ended the listen (next, chose another) having heard less than 50% of it;
- early skip: a skip with less than 30 s heard (the strongest negative signal);
- repeat: the track was last heard, as a play, less than 30 minutes before this listen began
  (repeat-one included);
- session: a new one starts after 30 minutes without listening.

"Heard" is the time the track was actually playing (pauses excluded, seeks not counted as
time), which is why skips are measured in heard time, not in end position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EndReason = Literal["finished", "next", "previous", "chose_another", "stopped", "app_quit",
                    "error", "crash_recovered"]
# crash_recovered: the app died (crash, kill -9, power loss); the listen was closed on the next
# start at its last heartbeat.
END_REASONS: tuple[EndReason, ...] = ("finished", "next", "previous", "chose_another",
                                      "stopped", "app_quit", "error", "crash_recovered")
USER_SKIP_REASONS: frozenset[str] = frozenset({"next", "chose_another"})
SOURCES = ("library", "album", "artist", "genre", "playlist", "daily_mix", "context_queue",
           "radio", "search", "queue", "file")

PLAY_MIN_MS = 30_000
SHORT_TRACK_MS = 60_000
HALF = 0.5
EARLY_SKIP_MS = 30_000
REPEAT_WINDOW_S = 30 * 60
SESSION_GAP_S = 30 * 60
# A scrobble records no time heard: it counts its track's length, else this (a typical song).
SCROBBLE_HEARD_MS = 210_000


@dataclass(frozen=True, slots=True)
class ListenFlags:
    is_play: bool
    is_skip: bool
    is_early_skip: bool


def is_play(ms_heard: int, duration_ms: int) -> bool:
    if ms_heard >= PLAY_MIN_MS:
        return True
    return 0 < duration_ms < SHORT_TRACK_MS and ms_heard >= duration_ms * HALF


def is_skip(end_reason: str, ms_heard: int, duration_ms: int) -> bool:
    if end_reason not in USER_SKIP_REASONS:
        return False
    half = duration_ms * HALF if duration_ms > 0 else PLAY_MIN_MS  # unknown length: 30 s
    return ms_heard < half


def is_early_skip(end_reason: str, ms_heard: int, duration_ms: int) -> bool:
    return is_skip(end_reason, ms_heard, duration_ms) and ms_heard < EARLY_SKIP_MS


def classify(end_reason: str, ms_heard: int, duration_ms: int) -> ListenFlags:
    return ListenFlags(
        is_play=is_play(ms_heard, duration_ms),
        is_skip=is_skip(end_reason, ms_heard, duration_ms),
        is_early_skip=is_early_skip(end_reason, ms_heard, duration_ms),
    )


def classify_imported(ms_heard: int | None, duration_ms: int | None, ended_by: str | None,
                      marked_skipped: bool | None = None) -> ListenFlags:
    """The flags of a listen read from another service's export, with what the export knows.

    ended_by: Encore's end reason (END_REASONS) when the export says how the listen ended
    (Spotify's extended history: reason_end), else None. marked_skipped: the export's own skip
    mark (.scrobbler.log "S", Spotify's `skipped`), None when it has none.
    - Time heard unknown (a scrobble): a play, unless the export marks it skipped (then a
      skip; how early is unknown, so never an early skip).
    - Nobody said who ended it (Spotify account data): under 30 s (or under half of a known
      length) the listen was cut short, an early skip below 30 s; otherwise a play.
    - The export says: PRODUCT.md's rules as for Encore's own listens (a skip only when the
      user ended it; under half of the track, or under 30 s when its length is unknown).
    """
    if ms_heard is None:
        return _MARKED_SKIP if marked_skipped else _PLAY
    length = duration_ms if duration_ms and duration_ms > 0 else 0
    # Nobody said who ended it (account data): a listen cut short was skipped.
    by_user = bool(marked_skipped) or (ended_by in USER_SKIP_REASONS if ended_by is not None
                                       else marked_skipped is None)
    return _FLAGS[(is_play(ms_heard, length), by_user and is_skip("next", ms_heard, length),
                   by_user and is_early_skip("next", ms_heard, length))]


# Every combination made once: an import classifies millions of rows.
_FLAGS = {(p, s, e): ListenFlags(p, s, e) for p in (False, True) for s in (False, True)
          for e in (False, True)}
_PLAY = _FLAGS[(True, False, False)]
_MARKED_SKIP = _FLAGS[(False, True, False)]


def is_repeat(started_at: float, last_play_heard_at: float | None) -> bool:
    """last_play_heard_at: when the track's latest play was last heard (its end), UTC s."""
    if last_play_heard_at is None:
        return False
    return started_at - last_play_heard_at < REPEAT_WINDOW_S


def is_new_session(started_at: float, last_heard_at: float | None) -> bool:
    """last_heard_at: when anything was last heard (the latest listen's last heartbeat)."""
    return last_heard_at is None or started_at - last_heard_at >= SESSION_GAP_S


def label(is_play_: bool, is_skip_: bool, is_early_skip_: bool, is_repeat_: bool) -> str:
    """A short mark for people: "play", "skip", "early skip", plus ", repeat"."""
    if is_early_skip_:
        text = "early skip"
    elif is_skip_:
        text = "skip"
    elif is_play_:
        text = "play"
    else:
        text = "-"
    return f"{text}, repeat" if is_repeat_ else text


# -- the same rules as SQL expressions (db/ builds its queries from these) -----------------
# Each builder takes SQL expressions (column names or sub-expressions) and returns an SQL
# boolean expression (0/1 in SQLite) with the constants above inlined, so a query never
# spells a threshold of its own. An unknown length (NULL or <= 0) is handled as in Python.


def sql_is_play(heard_ms: str, duration_ms: str) -> str:
    """is_play() in SQL; NULL heard -> 0 (callers decide what an unknown time means)."""
    return (f"(({heard_ms}) >= {PLAY_MIN_MS} OR (({duration_ms}) > 0 AND ({duration_ms}) < "
            f"{SHORT_TRACK_MS} AND ({heard_ms}) >= ({duration_ms}) * {HALF}))")


def sql_is_skip(end_reason: str, heard_ms: str, duration_ms: str) -> str:
    """is_skip() in SQL: ended by the user before half the track (30 s if length unknown)."""
    reasons = ", ".join(f"'{r}'" for r in sorted(USER_SKIP_REASONS))
    half = (f"CASE WHEN ({duration_ms}) > 0 THEN ({duration_ms}) * {HALF} "
            f"ELSE {PLAY_MIN_MS} END")
    return f"(({end_reason}) IN ({reasons}) AND ({heard_ms}) < {half})"


def sql_is_early_skip(end_reason: str, heard_ms: str, duration_ms: str) -> str:
    return f"({sql_is_skip(end_reason, heard_ms, duration_ms)} AND ({heard_ms}) < {EARLY_SKIP_MS})"


def sql_is_repeat(started_at: str, last_play_heard_at: str) -> str:
    """is_repeat() in SQL (NULL last play -> 0)."""
    return (f"(({last_play_heard_at}) IS NOT NULL AND "
            f"({started_at}) - ({last_play_heard_at}) < {REPEAT_WINDOW_S})")


def sql_is_new_session(started_at: str, last_heard_at: str) -> str:
    """is_new_session() in SQL (no previous listen -> a new session)."""
    return (f"(({last_heard_at}) IS NULL OR "
            f"({started_at}) - ({last_heard_at}) >= {SESSION_GAP_S})")


def session_ordinals(started_at: list[float], heard_at: list[float]) -> list[int]:
    """Session ordinals (0, 0, 1, ...) of listens in start order: is_new_session() against the
    previous listen's last heard moment (its end), not its start."""
    out: list[int] = []
    ordinal, last = -1, None
    for start, heard in zip(started_at, heard_at, strict=True):
        if is_new_session(start, last):
            ordinal += 1
        out.append(ordinal)
        last = heard
    return out
