"""Speech as a parent reads it: engines by their friendly names, voices by name, clips by
the line they speak and who speaks it."""

from __future__ import annotations

from scripts_app.models import Script
from scripts_app.selectors import script_element_by_id

from .engines.registry import canonical_engine_name, engine_names, get_engine
from .models import AudioClip, Voice

# Why an engine cannot speak here, in the words the teen and a parent see (the paths and
# file names it is missing are for `manage.py tts_check`, which the one setting it up runs).
GPU_ENGINE_NOTE = ("Not set up on this computer yet: it needs a graphics card (GPU) and its voice files, "
                   "which a parent can add.")
OTHER_ENGINE_NOTE = "Not working on this computer right now."


def engine_label(name: str) -> str:
    name = canonical_engine_name(name or "")
    if name not in engine_names():
        return name or "—"
    return get_engine(name).label or name


def engine_unavailable_note(name: str) -> str:
    engine = get_engine(name)
    caps = engine.capabilities()
    return GPU_ENGINE_NOTE if caps.voice_cloning or str(caps.device).startswith("cuda") else OTHER_ENGINE_NOTE


def voice_names() -> dict[str, str]:
    """Every voice id this computer knows, to its name ("Arthur (American, older man, deep, natural)")."""
    names = {voice.pk: voice.name for voice in Voice.objects.only("id", "name")}
    for name in engine_names():
        try:
            voices = get_engine(name).voices()
        except Exception:  # an engine that is not set up lists no voices; its ids stay as they are
            continue
        names.update({voice.id: voice.name for voice in voices if voice.id not in names})
    return names


def character_name(script: Script, character_id: str) -> str:
    for character in script.characters:
        if character["id"] == character_id:
            return character["name"]
    return character_id.replace("-", " ").upper()


def cast_in_words(script: Script, voice_assignments: dict, *, names: dict | None = None) -> list[str]:
    """"ROMEO: Arthur (older man)", one a character, in the play's order of characters."""
    names = voice_names() if names is None else names
    order = [c["id"] for c in script.characters]
    ids = sorted(voice_assignments, key=lambda c: order.index(c) if c in order else len(order))
    return [f"{character_name(script, c)}: {names.get(voice_assignments[c], voice_assignments[c])}" for c in ids]


def clip_line(clip: AudioClip) -> tuple[str, str]:
    """(who says it, the words) of a script's clip; speech made on request has no character."""
    element = script_element_by_id(clip.script, clip.line_id) if clip.script_id and clip.line_id else None
    if element is None:
        return "", ""
    who = element.get("character") or ""
    return (character_name(clip.script, who) if who else "", element.get("text", ""))
