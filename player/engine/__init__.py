"""Playback engines. `create_engine()` picks one; only engine/vlc.py imports vlc."""

from __future__ import annotations

from player.core.clock import Clock
from player.core.errors import EngineUnavailable
from player.engine.base import (
    Engine,
    EngineEvent,
    EngineState,
    Media,
    PlayableCopies,
    replaygain_factor,
)
from player.engine.null import NullEngine

ENGINES = ("vlc", "null")

__all__ = [
    "ENGINES", "Engine", "EngineEvent", "EngineState", "EngineUnavailable", "Media",
    "NullEngine", "PlayableCopies", "create_engine", "replaygain_factor",
]


def create_engine(name: str = "vlc", audio_output: str | None = None,
                  clock: Clock | None = None, copies: PlayableCopies | None = None) -> Engine:
    """The engine called name. vlc: audio_output, else ENCORE_AUDIO_OUTPUT, else automatic;
    copies: where it gets playable copies of what libVLC cannot decode (DSD).

    Raises EngineUnavailable (with the install hint) when libVLC is missing or broken.
    """
    if name == "null":
        return NullEngine(clock=clock)
    if name == "vlc":
        from player.engine.vlc import VlcEngine

        return VlcEngine(audio_output=audio_output, copies=copies)
    raise EngineUnavailable(f"Unknown playback engine {name!r}.", f"Choose one of: {', '.join(ENGINES)}.")
