"""The one interface every speech engine implements.

An engine turns a list of SynthesisRequest into a list of Clip. Everything
engine-specific (how emotion becomes parameters, where weights live, how a
model is loaded) stays inside the engine's own module; the rest of RunThru only
sees this interface and the registry.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np


class EngineUnavailable(Exception):
    """The engine cannot run on this machine (not installed, no weights, no GPU)."""


class EngineFailed(Exception):
    """The engine was running but could not speak a line."""


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    engine: str
    description: str = ""
    # "female", "male", "child", or "" when the engine cannot say (an uploaded voice): casting reads it
    gender: str = ""


@dataclass(frozen=True)
class Capabilities:
    emotion_vector: bool = False
    voice_cloning: bool = False
    batch_size: int = 1
    sample_rate: int = 22050
    device: str = "cpu"


@dataclass(frozen=True)
class Availability:
    available: bool
    reason: str = ""


@dataclass(frozen=True)
class SynthesisRequest:
    text: str
    voice_id: str
    # Engine-specific controls produced by tts_app.prosody for this engine.
    params: dict = field(default_factory=dict)


@dataclass
class Clip:
    samples: np.ndarray  # float32, mono, -1..1
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / float(self.sample_rate) if self.sample_rate else 0.0


class Engine(ABC):
    """Base class. Subclasses set `name`/`label` and implement the abstract methods.

    Models are loaded lazily on first synthesis, inside the process that
    synthesizes, and kept resident. `_lock` makes sure one model serves one
    call at a time even when a worker runs several threads.
    """

    name: str = ""
    label: str = ""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded = False

    # -- description -------------------------------------------------------
    @abstractmethod
    def capabilities(self) -> Capabilities: ...

    @abstractmethod
    def version(self) -> str:
        """Engine and model version; part of every cache key."""

    @abstractmethod
    def availability(self) -> Availability:
        """Cheap check (no model load): can this engine run here?"""

    @abstractmethod
    def voices(self) -> list[Voice]: ...

    def default_voice_ids(self) -> list[str]:
        return [v.id for v in self.voices()]

    def owns_voice(self, voice_id: str) -> bool:
        """Whether this id is one of this engine's voices (ids are unique across engines).
        Engines override it with a check that needs no listing."""
        return any(v.id == voice_id for v in self.voices())

    # -- lifecycle ---------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._loaded

    def load(self) -> None:
        with self._lock:
            if not self._loaded:
                avail = self.availability()
                if not avail.available:
                    raise EngineUnavailable(avail.reason)
                self._load()
                self._loaded = True

    def warm(self) -> None:
        """Get ready to speak at once: load() plus whatever an engine otherwise loads on first use
        (the benchmarks call it to keep model loading out of their timings)."""
        self.load()

    def unload(self) -> None:
        with self._lock:
            if self._loaded:
                self._unload()
                self._loaded = False

    def _load(self) -> None:  # noqa: B027 - engines without a model need no loading
        return None

    def _unload(self) -> None:  # noqa: B027
        return None

    # -- synthesis ---------------------------------------------------------
    def synthesize(self, requests: list[SynthesisRequest]) -> list[Clip]:
        if not self._loaded:
            self.load()
        with self._lock:
            return self._synthesize(requests)

    @abstractmethod
    def _synthesize(self, requests: list[SynthesisRequest]) -> list[Clip]: ...
