"""Which engines exist, in order of preference, and one instance of each per process.

Adding an engine means adding its module and one line in ENGINE_CLASSES.
"""

from __future__ import annotations

import importlib
import threading

from .base import Engine, EngineUnavailable
from .env import engine_env

# Best first: the default engine is the first one that can run here, and a line
# whose engine fails falls back to the next one in this list. The GPU engines only
# count as available once a family has set them up; the natural voices come in the
# wheels, so on an ordinary computer they are the default and espeak-ng the last resort.
ENGINE_CLASSES = {
    "indextts2": "tts_app.engines.indextts:IndexTTS2Engine",
    "chatterbox": "tts_app.engines.chatterbox:ChatterboxEngine",
    "natural": "tts_app.engines.natural:NaturalEngine",
    "espeak": "tts_app.engines.espeak:EspeakEngine",
}

# Other names clients use for an engine (the original REST contract called IndexTTS2 "index-tts").
ENGINE_ALIASES = {"index-tts": "indextts2", "indextts": "indextts2", "index-tts2": "indextts2",
                  "espeak-ng": "espeak"}

_instances: dict[str, Engine] = {}
_guard = threading.Lock()


def engine_names() -> list[str]:
    return list(ENGINE_CLASSES)


def canonical_engine_name(name: str) -> str:
    """The engine's own name for a name or alias (unknown names come back as given)."""
    return ENGINE_ALIASES.get(name.strip().lower(), name) if isinstance(name, str) else name


def get_engine(name: str) -> Engine:
    """The process-wide instance of an engine (created lazily, never loaded here)."""
    if name not in ENGINE_CLASSES:
        raise KeyError(name)
    with _guard:
        if name not in _instances:
            module_name, cls_name = ENGINE_CLASSES[name].split(":")
            cls = getattr(importlib.import_module(module_name), cls_name)
            _instances[name] = cls()
        return _instances[name]


def available_engine_names() -> list[str]:
    return [n for n in ENGINE_CLASSES if get_engine(n).availability().available]


def default_engine_name() -> str:
    forced = canonical_engine_name(engine_env("RUNTHRU_TTS_ENGINE"))
    if forced:
        if forced not in ENGINE_CLASSES:
            raise EngineUnavailable(
                f"RUNTHRU_TTS_ENGINE={forced!r} is not an engine; choose one of {', '.join(ENGINE_CLASSES)}"
            )
        return forced
    for name in ENGINE_CLASSES:
        if get_engine(name).availability().available:
            return name
    return "espeak"


def engine_for_voice(voice_id: str, preferred: str) -> str:
    """The engine a voice belongs to: a cast may mix voices of every engine, and ids are unique
    across engines. The preferred engine (the session's) is asked first, and keeps an id no
    engine claims (it maps such ids onto its own voices)."""
    for name in [preferred, *(n for n in ENGINE_CLASSES if n != preferred)]:
        if name in ENGINE_CLASSES and get_engine(name).owns_voice(voice_id):
            return name
    return preferred


def fallback_chain(name: str) -> list[str]:
    """The engine itself, then every later engine that can run here."""
    names = engine_names()
    start = names.index(name) if name in names else len(names) - 1
    return [name] + [n for n in names[start + 1 :] if get_engine(n).availability().available]


def reset_for_tests() -> None:
    with _guard:
        _instances.clear()
