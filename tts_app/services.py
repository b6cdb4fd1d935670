"""Writes for speech that are not part of making clips: session defaults and ad-hoc speech."""

from __future__ import annotations

from runthru_site.errors import Unavailable, UserError

from . import casting
from .clips import clip_make_now, line_spec
from .engines.base import EngineFailed, EngineUnavailable
from .engines.registry import default_engine_name, fallback_chain, get_engine
from .models import AudioClip
from .selectors import engine_checked

# Ad-hoc speech (/api/tts/synthesize, voice previews) is one breath of text, not a scene.
SYNTHESIZE_MAX_CHARS = 5000


def engine_for_new_session() -> str:
    try:
        return default_engine_name()
    except EngineUnavailable:
        return "espeak"


def default_voice_assignments(*, script, user_role: str | None, engine: str) -> dict[str, str]:
    """Voices for the characters the user doesn't play, chosen the same way every time:
    each fits what the script says about the character (casting.py), and the characters
    with the most lines get distinct voices first."""
    # The preferred engine's voices first, then those of the engines it falls back to, so a
    # cast bigger than one engine's voices still gets distinct voices (natural, then espeak-ng).
    voices = []
    for name in fallback_chain(engine):
        eng = get_engine(name)
        genders_by_voice = {v.id: v.gender for v in eng.voices()}
        voices += [(vid, genders_by_voice.get(vid, "")) for vid in eng.default_voice_ids()]
    if not voices:
        return {}
    others = [c for c in script.characters if c["id"] != user_role]
    others.sort(key=lambda c: (-c.get("line_count", 0), c["id"]))
    genders = casting.character_genders(script.characters, script.scenes)
    return casting.cast(others, genders, voices)


def synthesize_one(*, text: str, engine: str, voice_id: str, emotion: dict | None, flat: bool = False) -> AudioClip:
    """The /api/tts/synthesize path: validate, then serve from the cache or make it."""
    if not isinstance(text, str) or not text.strip():
        raise UserError("Type the words to speak.", code="empty_text")
    if len(text) > SYNTHESIZE_MAX_CHARS:
        raise UserError(f"That's too long to speak in one go. Keep it under {SYNTHESIZE_MAX_CHARS:,} characters.",
                        code="too_long")
    engine_checked(engine)
    voices = [v.id for v in get_engine(engine).voices()]
    if voice_id not in voices:
        raise UserError(f"There's no voice {voice_id!r} for {engine}.", code="unknown_voice", details={"valid": voices})
    availability = get_engine(engine).availability()
    if not availability.available:
        raise Unavailable(availability.reason, code="engine_unavailable", details={"engine": engine})
    try:
        return clip_make_now(line_spec(text=text, engine=engine, voice_id=voice_id, emotion=emotion, flat=flat))
    except EngineFailed as exc:
        raise Unavailable(f"We couldn't make that sound right now: {exc}", code="synthesis_failed") from None
