"""Everything measured about one track: `analyse_file(path) -> FeatureSet`, and the
fixed-order numeric vector used for similarity.

Bump FEATURE_VERSION whenever a measure changes: stored features of an older version are
re-analysed by the next `encore analyze` (incrementally, oldest first is not needed)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from player.analysis import character, loudness, spectral, tempo, tonal
from player.analysis.decode import DecodedAudio, FallbackDecoder, decode
from player.analysis.version import FEATURE_VERSION  # noqa: E402,F401  (re-exported)


@dataclass(frozen=True, slots=True)
class FeatureSet:
    version: int
    seconds: float  # analysed audio (the first 10 minutes at most)
    truncated: bool
    # rhythm
    tempo_bpm: float
    tempo_confidence: float
    pulse_clarity: float
    onset_rate: float
    onset_strength: float
    # loudness
    loudness_lufs: float
    loudness_range: float
    peak: float
    replaygain_track_gain: float
    rms_db: float
    low_energy_ratio: float
    # spectrum and timbre
    spectral_centroid_mean: float
    spectral_centroid_std: float
    spectral_bandwidth_mean: float
    spectral_bandwidth_std: float
    spectral_rolloff_mean: float
    spectral_rolloff_std: float
    spectral_flatness_mean: float
    spectral_flatness_std: float
    zcr_mean: float
    zcr_std: float
    # tonality
    key: str
    key_tonic: int
    key_mode: int
    key_confidence: float
    chroma: list[float] = field(default_factory=list)
    mfcc_mean: list[float] = field(default_factory=list)
    mfcc_std: list[float] = field(default_factory=list)
    mel_db_mean: list[float] = field(default_factory=list)
    # heuristics (named for what they are; see docs/ANALYSIS.md)
    music_score: float = 0.0  # 0 speech/sounds .. 1 music
    is_music: bool = True
    danceability_proxy: float = 0.0
    energy: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> FeatureSet:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})


# Fixed order of the similarity vector: scalars, then the 13 MFCC means/spreads after c0
# (c0 is overall level, already in loudness). Chroma is left out: it follows the key, and
# "sounds like" should not depend on transposition.
SCALAR_VECTOR_FIELDS = (
    "tempo_bpm", "pulse_clarity", "onset_rate", "onset_strength", "loudness_lufs",
    "loudness_range", "low_energy_ratio", "spectral_centroid_mean", "spectral_centroid_std",
    "spectral_bandwidth_mean", "spectral_rolloff_mean", "spectral_flatness_mean",
    "spectral_flatness_std", "zcr_mean", "zcr_std", "key_mode", "key_confidence",
    "music_score", "danceability_proxy", "energy",
)
MFCC_IN_VECTOR = 13
VECTOR_NAMES: tuple[str, ...] = (
    *SCALAR_VECTOR_FIELDS,
    *(f"mfcc_mean_{i}" for i in range(1, MFCC_IN_VECTOR)),
    *(f"mfcc_std_{i}" for i in range(1, MFCC_IN_VECTOR)),
)


def feature_vector(features: FeatureSet) -> np.ndarray:
    values = [float(getattr(features, name)) for name in SCALAR_VECTOR_FIELDS]
    values[0] = math.log2(max(features.tempo_bpm, 1.0))  # tempo differences are ratios
    values += list(features.mfcc_mean[1:MFCC_IN_VECTOR]) + list(features.mfcc_std[1:MFCC_IN_VECTOR])
    return np.asarray(values, dtype=np.float32)


def analyse_file(path: str, fallback: FallbackDecoder | None = None) -> FeatureSet:
    """Decode and measure one file; raises DecodeError (a KnownError) when it cannot.
    fallback: a second decoder for files FFmpeg cannot read (see decode.decode)."""
    meter = loudness.LoudnessMeter()  # measures the source-rate audio as it is decoded
    audio = decode(path, native=meter.feed, fallback=fallback)
    return _measure(audio.mono, audio.rate, audio.seconds, audio.truncated, meter.result())


def analyse_audio(audio: DecodedAudio) -> FeatureSet:
    level = loudness.measure_loudness(audio.samples, audio.rate)
    return _measure(audio.mono, audio.rate, audio.seconds, audio.truncated, level)


def _measure(mono: np.ndarray, rate: int, seconds: float, truncated: bool,
             level: loudness.Loudness) -> FeatureSet:
    frames = spectral.spectral_frames(mono, rate)
    weights = spectral.audible(frames)
    envelope = tempo.onset_envelope(frames.mel_db)
    beat = tempo.estimate_tempo(envelope, frames.frame_rate)
    zcr = spectral.zero_crossing_rate(mono)
    profile = tonal.mean_chroma(frames.chroma, weights)
    key = tonal.estimate_key(profile)
    summary = spectral.spectral_summary(frames)
    rms_db = 20 * np.log10(frames.rms + 1e-10)
    onsets = tempo.onset_rate(envelope, frames.frame_rate)
    traits = character.Traits(
        pulse_clarity=beat.pulse_clarity, tempo_confidence=beat.confidence,
        low_energy_ratio=character.low_energy_ratio(frames.rms),
        flatness=float(summary["spectral_flatness_mean"]),  # type: ignore[arg-type]
        zcr_std=float(np.std(zcr)), chroma_peakiness=character.peakiness(profile),
        rms_modulation=character.syllabic_modulation(frames.rms, frames.frame_rate),
        onset_rate=onsets, seconds=seconds, loudness_lufs=level.integrated_lufs,
        onset_strength=float(np.mean(envelope)),
    )
    music = character.music_score(traits)
    return FeatureSet(
        version=FEATURE_VERSION, seconds=round(seconds, 3), truncated=truncated,
        tempo_bpm=beat.bpm, tempo_confidence=round(beat.confidence, 4),
        pulse_clarity=round(beat.pulse_clarity, 4), onset_rate=round(onsets, 4),
        onset_strength=round(traits.onset_strength, 4),
        loudness_lufs=round(level.integrated_lufs, 2), loudness_range=round(level.loudness_range, 2),
        peak=round(level.peak, 5), replaygain_track_gain=round(level.replaygain_gain, 2),
        rms_db=round(float(np.average(rms_db, weights=weights)), 3),
        low_energy_ratio=round(traits.low_energy_ratio, 4),
        **{k: round(float(v), 6) for k, v in summary.items() if not isinstance(v, list)},  # type: ignore[arg-type]
        zcr_mean=round(float(np.mean(zcr)), 6), zcr_std=round(float(np.std(zcr)), 6),
        key=key.name, key_tonic=key.tonic, key_mode=key.mode,
        key_confidence=round(key.confidence, 4),
        chroma=[round(float(v), 4) for v in profile],
        mfcc_mean=summary["mfcc_mean"], mfcc_std=summary["mfcc_std"],  # type: ignore[arg-type]
        mel_db_mean=summary["mel_db_mean"],  # type: ignore[arg-type]
        music_score=round(music, 4), is_music=music >= character.MUSIC_THRESHOLD,
        danceability_proxy=round(character.danceability_proxy(traits, beat.bpm), 4),
        energy=round(character.energy(traits), 4),
    )
