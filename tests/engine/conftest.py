"""Rigs that run one contract suite against every engine.

A rig owns an engine and a way to let time pass: a FakeClock for NullEngine (exact and
instant), real waiting for VlcEngine (libVLC really plays, --aout=dummy, at 4x).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from player.core.clock import FakeClock
from player.engine import Engine, EngineEvent, NullEngine
from player.engine.base import Media
from player.engine.capture import SampleCapture
from tests.factories import make_audio

FREQS = {"a": 440.0, "b": 880.0, "c": 1320.0}
SECONDS = 1.5
RATE = 4.0
LONG_SECONDS = 20.0


class Rig:
    def __init__(self, engine: Engine, clock: FakeClock | None,
                 capture: SampleCapture | None = None) -> None:
        self.engine = engine
        self.clock = clock
        self.capture = capture
        self.events: list[EngineEvent] = []

    def pass_time(self, seconds: float) -> None:
        """Let `seconds` of wall time pass (virtual for NullEngine)."""
        if self.clock is not None:
            self.clock.advance(seconds)
        else:
            time.sleep(seconds)
        self.collect()

    def collect(self) -> list[EngineEvent]:
        new = self.engine.poll_events()
        self.events.extend(new)
        return new

    def wait_for(self, check: Callable[[], bool], timeout: float = 8.0) -> None:
        """Let time pass until check() holds (fails after timeout seconds)."""
        waited = 0.0
        step = 0.02
        while not check():
            if waited >= timeout:
                raise AssertionError(f"timed out; events: {self.events}")
            self.pass_time(step)
            waited += step

    def wait_event(self, kind: str, token: int | None = None, timeout: float = 8.0) -> EngineEvent:
        def seen() -> bool:
            return any(e.kind == kind and (token is None or e.token == token) for e in self.events)

        self.wait_for(seen, timeout)
        return next(e for e in self.events if e.kind == kind and (token is None or e.token == token))

    def kinds(self) -> list[tuple[str, int, int | None]]:
        return [(e.kind, e.token, e.next_token) for e in self.events]


@pytest.fixture(scope="session")
def tones(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three real Ogg Vorbis files: a (440 Hz), b (880 Hz), c (1320 Hz), 1.5 s each."""
    folder = tmp_path_factory.mktemp("tones")
    made = {name: make_audio(folder / f"{name}.ogg", seconds=SECONDS, freq=freq)
            for name, freq in FREQS.items()}
    # libVLC decodes a couple of seconds ahead; pausing needs audio not yet decoded
    # FLAC: libVLC 3 ends playback when seeking in the small Vorbis files ffmpeg makes
    made["long"] = make_audio(folder / "long.flac", seconds=LONG_SECONDS, freq=660.0)
    return made


def media(path: Path, token: int, gain: float = 1.0) -> Media:
    seconds = LONG_SECONDS if path.stem == "long" else SECONDS
    return Media(str(path), token, int(seconds * 1000), gain)


@pytest.fixture(params=["null", "vlc"])
def rig(request: pytest.FixtureRequest) -> Iterator[Rig]:
    if request.param == "null":
        clock = FakeClock()
        made = Rig(NullEngine(clock=clock), clock)
    else:
        from player.engine.vlc import VlcEngine

        capture = SampleCapture()
        made = Rig(VlcEngine("dummy", capture=capture), None, capture)
    made.engine.set_rate(RATE)
    yield made
    made.engine.close()
