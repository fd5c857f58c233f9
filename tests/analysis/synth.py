"""Synthesised test signals for analysis accuracy: drum patterns, chords, scales, speech-like
noise. Deterministic (seeded), numpy only, at the analysis rate."""

from __future__ import annotations

import numpy as np

from player.analysis.decode import TARGET_RATE, DecodedAudio

RATE = TARGET_RATE
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


def audio(signal: np.ndarray, channels: int = 1) -> DecodedAudio:
    samples = np.tile(signal.astype(np.float32), (channels, 1))
    return DecodedAudio(samples, RATE, False, RATE, channels, "synth")


def _hit(kind: str, rng: np.random.Generator) -> np.ndarray:
    n = int(0.25 * RATE)
    t = np.arange(n) / RATE
    if kind == "kick":
        sweep = 2 * np.pi * np.cumsum(50 + 100 * np.exp(-t * 30)) / RATE
        return 0.9 * np.sin(sweep) * np.exp(-t * 12)
    if kind == "snare":
        return 0.5 * rng.standard_normal(n) * np.exp(-t * 25) + 0.3 * np.sin(2 * np.pi * 190 * t) * np.exp(-t * 20)
    noise = rng.standard_normal(n)
    return 0.15 * np.diff(noise, prepend=0.0) * np.exp(-t * 60)  # hi-hat: bright, short


def drum_pattern(bpm: float, seconds: float = 20.0, seed: int = 0) -> np.ndarray:
    """Rock beat: kick on 1 and 3, snare on 2 and 4, closed hi-hat on every eighth."""
    rng = np.random.default_rng(seed)
    out = np.zeros(int(seconds * RATE) + RATE)
    beat = 60.0 / bpm
    for i in range(int(seconds / beat * 2)):
        start = int(i * beat / 2 * RATE)
        parts = ["hat"] + (["kick"] if i % 4 == 0 else ["snare"] if i % 4 == 2 else [])
        for kind in parts:
            hit = _hit(kind, rng)
            end = min(len(out), start + len(hit))
            out[start:end] += hit[: end - start]
    return out[: int(seconds * RATE)] * 0.5


def tone(midi: float, seconds: float, harmonics: int = 5) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    f0 = 440.0 * 2 ** ((midi - 69) / 12)
    wave = sum(np.sin(2 * np.pi * f0 * h * t) / h for h in range(1, harmonics + 1) if f0 * h < RATE / 2)
    envelope = np.minimum(1.0, t / 0.01) * np.exp(-t * 1.5)
    return np.asarray(wave * envelope)


def chord_progression(tonic: int, minor: bool, seconds_per_chord: float = 1.5) -> np.ndarray:
    """I-IV-V-I (i-iv-V-i in minor, harmonic minor's major V) with the tonic in octave 4."""
    third = 3 if minor else 4
    chords = [(0, third, 7), (5, 5 + third, 12), (7, 11, 14), (0, third, 7)]
    root = 60 + tonic
    parts = [sum(tone(root + i, seconds_per_chord) for i in chord) + tone(root - 12 + chord[0], seconds_per_chord)
             for chord in chords]
    signal = np.concatenate(parts)
    return np.asarray(0.2 * signal / np.abs(signal).max())


def scale(tonic: int, minor: bool, seconds_per_note: float = 0.4) -> np.ndarray:
    """Ascending and descending scale (natural minor), ending on the tonic."""
    steps = [0, 2, 3, 5, 7, 8, 10, 12] if minor else [0, 2, 4, 5, 7, 9, 11, 12]
    notes = steps + steps[-2::-1] + [0]
    root = 60 + tonic
    signal = np.concatenate([tone(root + s, seconds_per_note * (3 if s == 0 else 1)) for s in notes])
    return np.asarray(0.3 * signal / np.abs(signal).max())


def key_name(tonic: int, minor: bool) -> str:
    return f"{NOTE_NAMES[tonic]} {'minor' if minor else 'major'}"
