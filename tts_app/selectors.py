"""Reads for speech: engines, voices, clips and how much audio a session has."""

from __future__ import annotations

import functools
import json
import re

from scripts_app.selectors import is_user_line

from .engines.registry import engine_names, get_engine
from .models import AudioClip


def engine_names_all() -> list[str]:
    return engine_names()


def voices_for(engine: str) -> list:
    return get_engine(engine).voices()


def voice_ids_for(engine: str) -> list[str]:
    return [v.id for v in voices_for(engine)]


_WORD = re.compile(r"\w")


def spoken_lines(script, user_role: str | None):
    """The dialogue elements RunThru speaks: everything the user doesn't say.

    A speech with no words at all ("…", "—") is a pause, not something to synthesize.
    """
    for scene in script.scenes:
        for element in scene["elements"]:
            if element["type"] == "dialogue" and _WORD.search(element["text"]):
                if user_role is None or not is_user_line(element, user_role):
                    yield element


def line_voice(voice_assignments: dict, element: dict, engine: str) -> str:
    voice = voice_assignments.get(element.get("character") or "")
    if voice:
        return voice
    ids = get_engine(engine).default_voice_ids()
    return ids[0]


def line_spec_for(element: dict, *, engine: str, voice_assignments: dict):
    from .services import line_spec

    return line_spec(
        text=element["text"], engine=engine, voice_id=line_voice(voice_assignments, element, engine),
        emotion=element.get("emotion"),
    )


def session_line_specs(session) -> list[tuple[dict, object]]:
    return [
        (el, line_spec_for(el, engine=session.tts_engine, voice_assignments=session.voice_assignments))
        for el in spoken_lines(session.script, session.user_role)
    ]


def ready_keys(keys: set[str]) -> set[str]:
    found = set()
    keys = list(keys)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        found.update(
            AudioClip.objects.filter(key__in=chunk, status=AudioClip.Status.READY).values_list("key", flat=True)
        )
    return found


def session_audio_readiness(session) -> dict:
    keys = _session_keys(
        session.script, session.script.parsed_hash, session.tts_engine, get_engine(session.tts_engine).version(),
        session.user_role,
        json.dumps(session.voice_assignments, sort_keys=True), _voices_stamp(session.voice_assignments),
    )
    ready = ready_keys(set(keys))
    return {"ready": sum(1 for key in keys if key in ready), "total": len(keys)}


def _voices_stamp(voice_assignments: dict) -> str:
    """Changes when uploaded voices change (their file hashes are part of the keys)."""
    if not any("-ref-" in v for v in voice_assignments.values()):
        return ""
    from django.db.models import Count, Max

    from .models import Voice

    stamp = Voice.objects.aggregate(n=Count("id"), last=Max("created_at"))
    return f"{stamp['n']}:{stamp['last']}"


@functools.lru_cache(maxsize=256)
def _session_keys(script, parsed_hash: str, engine: str, version: str, role: str, voices_json: str,
                  stamp: str) -> tuple:
    """The cache keys of the lines a session speaks. Hashing every line is the
    costly part of a session read, and it only changes with these arguments."""
    fake = type("S", (), {"script": script, "tts_engine": engine, "user_role": role,
                          "voice_assignments": json.loads(voices_json)})
    return tuple(spec.key for _, spec in session_line_specs(fake))


# Clips found for (script version, line, engine and version, voices): rehearsal asks for
# the same clips over and over, and finding one costs hashing the line's spec and a query.
# A clip's key hashes everything that shapes its sound, so a found clip stays right for
# as long as its file is whole; only found clips are kept, and the file is checked each time.
_found_clips: dict[tuple, AudioClip] = {}
_FOUND_CLIPS_MAX = 4096


def clip_for_line(script, line_id: str, *, engine: str, voice_assignments: dict) -> AudioClip | None:
    from scripts_app.selectors import script_element_by_id

    from . import cache

    memo = (script.pk, script.parsed_hash, line_id, engine, get_engine(engine).version(),
            json.dumps(voice_assignments, sort_keys=True), _voices_stamp(voice_assignments))
    row = _found_clips.get(memo)
    if row is not None and cache.file_ok(row.path, row.size):
        return row
    element = script_element_by_id(script, line_id)
    if element is None or element["type"] != "dialogue":
        return None
    spec = line_spec_for(element, engine=engine, voice_assignments=voice_assignments)
    for row in AudioClip.objects.filter(key=spec.key, status=AudioClip.Status.READY)[:3]:
        if cache.file_ok(row.path, row.size):
            if len(_found_clips) >= _FOUND_CLIPS_MAX:
                _found_clips.clear()
            _found_clips[memo] = row
            return row
    return None
