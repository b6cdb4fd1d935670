"""Writes for speech that are not part of making clips: session defaults and ad-hoc speech."""

from __future__ import annotations

from runthru_site.errors import Unavailable, UserError

from . import cache
from .adhoc import AdhocClip, adhoc_clip_make
from .clips import clip_ready, clip_synthesize, line_spec
from .engines.base import EngineFailed, EngineUnavailable
from .engines.registry import available_engine_names, default_engine_name, get_engine
from .selectors import engine_checked, engine_voice_required

# Ad-hoc speech (/api/tts/synthesize, voice previews) is one speech, not a scene: 500 characters
# is about half a minute spoken (a 1.5 MB clip); 5,000 made 20 MB clips.
SYNTHESIZE_MAX_CHARS = 500


def engine_for_new_session() -> str:
    """The best engine that can run here and has a voice to speak in (a cloning engine
    has none until a parent uploads one)."""
    try:
        best = default_engine_name()
    except EngineUnavailable:
        return "espeak"
    candidates = [best] + [name for name in available_engine_names() if name != best]
    return next((name for name in candidates if get_engine(name).default_voice_ids()), "espeak")


def default_voice_assignments(*, script, user_role: str | None, engine: str) -> dict[str, str]:
    """Distinct voices for the characters the user doesn't play, chosen the same
    way every time: characters with the most lines get the first (most distinct) voices."""
    voice_ids = get_engine(engine).default_voice_ids()
    if not voice_ids:
        return {}
    others = [c for c in script.characters if c["id"] != user_role]
    others.sort(key=lambda c: (-c.get("line_count", 0), c["id"]))
    return {c["id"]: voice_ids[i % len(voice_ids)] for i, c in enumerate(others)}


def synthesize_one(*, text: str, engine: str | None = None, voice_id: str | None = None, emotion: dict | None,
                   flat: bool = False) -> AdhocClip:
    """The /api/tts/synthesize path: validate, then serve a script's clip of the same line, or the
    ad-hoc store's, or make it and keep it there (tts_app.adhoc: bounded, least recently heard first).

    With no engine, the one a new rehearsal would get; with no voice, the engine's first."""
    if not isinstance(text, str) or not text.strip():
        raise UserError("Type the words to speak.", code="empty_text")
    if len(text) > SYNTHESIZE_MAX_CHARS:
        raise UserError(f"That's too long to speak in one go. Keep it under {SYNTHESIZE_MAX_CHARS:,} characters.",
                        code="too_long")
    engine = engine_for_new_session() if engine is None else engine_checked(engine)
    if voice_id is None:
        voice_id = engine_voice_required(engine)[0]
    voices = [v.id for v in get_engine(engine).voices()]
    if voice_id not in voices:
        raise UserError(f"There's no voice {voice_id!r} for {engine}.", code="unknown_voice", details={"valid": voices})
    availability = get_engine(engine).availability()
    if not availability.available:
        raise Unavailable(availability.reason, code="engine_unavailable", details={"engine": engine})
    spec = line_spec(text=text, engine=engine, voice_id=voice_id, emotion=emotion, flat=flat)
    ready = clip_ready(spec.key)
    if ready is not None:
        try:
            return AdhocClip(data=cache.absolute(ready.path).read_bytes(), engine=ready.engine, key=ready.key)
        except OSError:
            pass  # removed just now: make it below
    try:
        return adhoc_clip_make(spec, clip_synthesize)
    except EngineFailed as exc:
        raise Unavailable(f"We couldn't make that sound right now: {exc}", code="synthesis_failed") from None
