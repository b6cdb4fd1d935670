"""Speech engines behind one interface (see base.py) and the registry that picks one."""

from .base import (
    Availability,
    Capabilities,
    Clip,
    Engine,
    EngineFailed,
    EngineUnavailable,
    SynthesisRequest,
    Voice,
)

__all__ = [
    "Availability",
    "Capabilities",
    "Clip",
    "Engine",
    "EngineFailed",
    "EngineUnavailable",
    "SynthesisRequest",
    "Voice",
]
