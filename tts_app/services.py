"""Writes for speech that are not part of making clips: session defaults and ad-hoc speech."""

from __future__ import annotations

from runthru_site.errors import Unavailable, UserError

from . import audio, cache, casting
from .adhoc import AdhocClip, adhoc_clip_make
from .clips import Unspeakable, clip_ready, clip_synthesize, line_spec
from .described import engine_unavailable_note
from .engines.base import EngineFailed, EngineUnavailable
from .engines.registry import available_engine_names, default_engine_name, fallback_chain, get_engine
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
    """Voices for the characters the user doesn't play, chosen the same way every time:
    each fits what the script says about the character (casting.py), the characters
    with the most lines get distinct voices first, and characters who share a scene never
    share a voice while there are voices enough."""
    # The preferred engine's voices first, then those of the engines it falls back to, so a
    # cast bigger than one engine's voices still gets distinct voices (natural, then espeak-ng).
    voices, fallback = [], []
    for position, name in enumerate(fallback_chain(engine)):
        eng = get_engine(name)
        genders_by_voice = {v.id: v.gender for v in eng.voices()}
        ids = eng.default_voice_ids()
        voices += [(vid, genders_by_voice.get(vid, "")) for vid in ids]
        fallback += ids if position else []
    if not voices:
        return {}
    others = [c for c in script.characters if c["id"] != user_role]
    others.sort(key=lambda c: (-c.get("line_count", 0), c["id"]))
    genders = casting.character_genders(script.characters, script.scenes, script.parsed_json.get("cast_list") or ())
    return casting.cast(others, genders, voices, scenes=script.scenes, fallback=fallback)


def synthesize_one(*, text: str, engine: str | None = None, voice_id: str | None = None, emotion: dict | None,
                   flat: bool = False) -> AdhocClip:
    """The /api/tts/synthesize path: validate, then serve a script's clip of the same line, or the
    ad-hoc store's, or make it and keep it there (tts_app.adhoc: bounded, least recently heard first).

    With no engine, the one a new rehearsal would get; with no voice, the engine's first."""
    if not isinstance(text, str) or not text.strip() or not audio.count_words(text):
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
        raise Unavailable(f"{get_engine(engine).label}: {engine_unavailable_note(engine)}", code="engine_unavailable",
                          details={"engine": engine})
    spec = line_spec(text=text, engine=engine, voice_id=voice_id, emotion=emotion, flat=flat)
    ready = clip_ready(spec.key)
    if ready is not None:
        try:
            return AdhocClip(data=cache.absolute(ready.path).read_bytes(), engine=ready.engine, key=ready.key,
                             content_type=cache.content_type(ready.path))
        except OSError:
            pass  # removed just now: make it below
    try:
        return adhoc_clip_make(spec, clip_synthesize)
    except Unspeakable:
        raise UserError("We couldn't say that clearly. Try ordinary words and sentences.",
                        code="unspeakable") from None
    except EngineFailed as exc:
        raise Unavailable(f"We couldn't make that sound right now: {exc}", code="synthesis_failed") from None
