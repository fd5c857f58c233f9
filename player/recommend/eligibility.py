"""Which tracks Made for you may pick: music of song length that was not just turned down.

By default a pick is never shorter than 30 s, never a few seconds of sound padded with
near-silence to that length (a jingle), and never what the analysis calls not music (speech,
animal sounds, noise, effects); `include_non_music` (Preferences) lets those in.
A track skipped early (PRODUCT.md: the strongest negative signal) stays out until it is
played again. These are masks over the recommender's track index, so every output applies the
same rule by treating them like "don't recommend this".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from player.recommend.data import BoolArray, FloatArray, IntArray

SONG_MIN_S = 30.0  # shorter is an effect, a jingle or a fragment, not a song to be offered
# Seconds of sound (the length times the share of the audio above half its average level)
# a pick needs: a 30 s "tada" is 4 s of fanfare and 26 s of near-silence. The Debian
# soundtracks' shortest music with quiet passages keeps 28 s (March Thee to Dis, 43 s).
SOUND_MIN_S = 10.0
EARLY_SKIP_HOLD_S = 30 * 86400.0  # how long an early skip keeps a track out


@dataclass(frozen=True)
class Exclusions:
    """Why tracks are kept out (each a mask over the track index)."""

    short: BoolArray
    not_music: BoolArray
    skipped_early: BoolArray

    def mask(self) -> BoolArray:
        return self.short | self.not_music | self.skipped_early

    def indices(self) -> frozenset[int]:
        return frozenset(int(i) for i in np.flatnonzero(self.mask()))


def exclusions(durations_s: FloatArray, is_music: FloatArray, *, include_non_music: bool,
               listen_track: IntArray, listen_ts: FloatArray, listen_is_play: BoolArray,
               listen_is_early_skip: BoolArray, now: float,
               quiet_share: FloatArray | None = None) -> Exclusions:
    """`is_music` holds the analysis's verdict (1 music, 0 not, NaN not analysed yet: allowed
    until the analysis says otherwise, so a fresh library still gets picks); `quiet_share` the
    analysis's share of audio below half its average level (NaN not analysed). Listens are parallel arrays in
    time order; a track index of -1 is a listen outside the library."""
    n = durations_s.shape[0]
    quiet = np.zeros(n) if quiet_share is None else np.nan_to_num(quiet_share, nan=0.0)
    sounding = durations_s * (1.0 - quiet)
    short = np.asarray((durations_s < SONG_MIN_S) | (sounding < SOUND_MIN_S), dtype=bool)
    not_music = np.asarray(is_music == 0.0, dtype=bool)
    if include_non_music:
        short = np.zeros(n, bool)
        not_music = np.zeros(n, bool)
    return Exclusions(short, not_music, skipped_early_lately(
        n, listen_track, listen_ts, listen_is_play, listen_is_early_skip, now))


def skipped_early_lately(n: int, track: IntArray, ts: FloatArray, is_play: BoolArray,
                         is_early_skip: BoolArray, now: float,
                         hold: float = EARLY_SKIP_HOLD_S) -> BoolArray:
    """Tracks whose latest early skip (within `hold`) came after their latest play."""
    inside = (track >= 0) & (ts < now)
    last_skip = np.full(n, -np.inf)
    last_play = np.full(n, -np.inf)
    skip = inside & is_early_skip
    play = inside & is_play
    np.maximum.at(last_skip, track[skip], ts[skip])
    np.maximum.at(last_play, track[play], ts[play])
    return np.asarray((last_skip > last_play) & (last_skip >= now - hold), dtype=bool)
