"""Reads for speech: engines, voices, clips, jobs and how much audio a rehearsal has."""

from __future__ import annotations

import functools
import hashlib
import json
import re

from django.db.models import Count, Max, Sum

from runthru_site.errors import UserError
from scripts_app.selectors import is_user_line, script_element_by_id

from . import cache, casting
from .clips import LineSpec, line_spec
from .engines.registry import canonical_engine_name, engine_for_voice, engine_names, get_engine
from .models import AudioClip, GenerationJob, JobLine, Voice


def voice_clues(script) -> dict[str, dict]:
    """character id -> {"kind": "female" | "male" | "child" | None, "reason": why, in plain words}:
    what the default voices were chosen to fit, for a parent to check at a glance."""
    clues = casting.character_clues(script.characters, script.scenes, script.parsed_json.get("cast_list") or ())
    return {cid: {"kind": kind, "reason": reason} for cid, (kind, reason) in clues.items()}


def engine_names_all() -> list[str]:
    return engine_names()


def engine_checked(engine) -> str:
    """The engine's name (aliases accepted), or a friendly error listing the real ones."""
    names = engine_names()
    engine = canonical_engine_name(engine)
    if not isinstance(engine, str) or engine not in names:
        raise UserError(
            f"There's no voice engine called {engine!r}. Choose one of: {', '.join(names)}.",
            code="unknown_engine", details={"valid": names},
        )
    return engine


def cloning_engines() -> list[tuple[str, bool, str]]:
    """(label, can run here, why not) for each engine that speaks in a family voice."""
    found = []
    for name in engine_names():
        engine = get_engine(name)
        if engine.capabilities().voice_cloning:
            availability = engine.availability()
            found.append((engine.label or name, availability.available, availability.reason))
    return found


def job_find(job_id) -> GenerationJob | None:
    return GenerationJob.objects.filter(pk=job_id).first() if job_id is not None else None


def job_fingerprint(script, engine: str, role: str, voices: dict) -> str:
    """Same script text, role, engine and voices: the same work, so the same job."""
    blob = json.dumps([script.pk, script.parsed_hash, engine, role, sorted(voices.items())])
    return hashlib.sha256(blob.encode()).hexdigest()


def job_latest_for(script, *, engine: str, user_role: str | None, voice_assignments: dict) -> GenerationJob | None:
    """The newest job making (or that made) exactly this rehearsal's audio."""
    fingerprint = job_fingerprint(script, engine, user_role or "", voice_assignments)
    return GenerationJob.objects.filter(fingerprint=fingerprint).order_by("-created_at").first()


def job_failures(job: GenerationJob, *, limit: int) -> list[tuple[str, str]]:
    """(line id, why) for the lines a job could not make."""
    failed = job.lines.filter(status=JobLine.Status.FAILED).order_by("position")
    return list(failed.values_list("line_id", "error")[:limit])


def voices_for(engine: str) -> list:
    return get_engine(engine).voices()


def voice_ids_for(engine: str) -> list[str]:
    return [v.id for v in voices_for(engine)]


def castable_voice_ids() -> list[str]:
    """Every voice a character may have: any voice of any engine that can run here."""
    return [v.id for name in engine_names() if get_engine(name).availability().available
            for v in get_engine(name).voices()]


def voice_shares(script, *, engine: str, user_role: str | None, voice_assignments: dict) -> list[dict]:
    """Where characters who speak in one scene are given one voice, in words for the cast page:
    [{"voice", "voice_name", "characters": [names], "scenes": [titles]}]."""
    others = {cid: vid for cid, vid in (voice_assignments or {}).items() if cid != user_role}
    shares = casting.shared_in_scenes(script.scenes, others)
    names = {c["id"]: c.get("name") or c["id"] for c in script.characters}
    voice_names: dict[str, str] = {}
    for share in shares:
        vid = share["voice"]
        if vid not in voice_names:
            found = [v.name for v in get_engine(engine_for_voice(vid, engine)).voices() if v.id == vid]
            voice_names[vid] = found[0] if found else vid
    return [{**share, "voice_name": voice_names[share["voice"]],
             "characters": [names.get(cid, cid) for cid in share["characters"]]} for share in shares]


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
    """The voice a line is spoken in: its character's, else the engine's first.

    "" when the engine has no voice at all (a cloning engine before any voice was
    uploaded, or after the last one was deleted): making the clip then falls back
    to the next engine, which picks a voice of its own."""
    voice = voice_assignments.get(element.get("character") or "")
    if voice:
        return voice
    ids = get_engine(engine).default_voice_ids()
    return ids[0] if ids else ""


def engine_voice_required(engine: str) -> list[str]:
    """The engine's voice ids; a friendly error when it has none to speak in yet."""
    ids = get_engine(engine).default_voice_ids()
    if not ids:
        label = get_engine(engine).label or engine
        raise UserError(
            f"{label} can only speak in a family voice, and none has been added yet. A parent can add one "
            "in the admin under Voices, or choose another voice engine.",
            code="engine_needs_voice", details={"engine": engine},
        )
    return ids


def line_spec_for(element: dict, *, engine: str, voice_assignments: dict) -> LineSpec:
    """The clip spec of a line: in the engine its character's voice belongs to (a cast can mix
    engines); `engine`, the session's preferred one, speaks characters without a voice."""
    voice = line_voice(voice_assignments, element, engine)
    return line_spec(
        text=element["text"], engine=engine_for_voice(voice, engine), voice_id=voice, emotion=element.get("emotion"),
    )


def _engines_stamp(engine: str, voice_assignments: dict) -> str:
    """The versions of every engine a cast uses (each is part of its clips' keys)."""
    names = sorted({engine, *(engine_for_voice(v, engine) for v in voice_assignments.values())})
    return ";".join(f"{name}={get_engine(name).version()}" for name in names)


def rehearsal_line_specs(script, *, user_role: str | None, engine: str,
                         voice_assignments: dict) -> list[tuple[dict, LineSpec]]:
    """The lines RunThru speaks to someone playing user_role, each with its clip's spec."""
    return [
        (el, line_spec_for(el, engine=engine, voice_assignments=voice_assignments))
        for el in spoken_lines(script, user_role)
    ]


def ready_keys(keys: set[str]) -> set[str]:
    found = set()
    keys = list(keys)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        found.update(AudioClip.objects.filter(key__in=chunk).values_list("key", flat=True))
    return found


def audio_readiness(script, *, user_role: str | None, engine: str, voice_assignments: dict) -> dict:
    """How many of the clips a rehearsal needs are ready."""
    keys = _rehearsal_keys(
        script, script.parsed_hash, engine, _engines_stamp(engine, voice_assignments), user_role,
        json.dumps(voice_assignments, sort_keys=True), _voices_stamp(voice_assignments),
    )
    ready = ready_keys(set(keys))
    return {"ready": sum(1 for key in keys if key in ready), "total": len(keys)}


def _voices_stamp(voice_assignments: dict) -> str:
    """Changes when uploaded voices change (their file hashes are part of the keys)."""
    if not any("-ref-" in v for v in voice_assignments.values()):
        return ""
    stamp = Voice.objects.aggregate(n=Count("id"), last=Max("created_at"))
    return f"{stamp['n']}:{stamp['last']}"


@functools.lru_cache(maxsize=256)
def _rehearsal_keys(script, parsed_hash: str, engine: str, version: str, role: str | None, voices_json: str,
                    stamp: str) -> tuple:
    """The cache keys of the lines a rehearsal speaks. Hashing every line is the
    costly part of a session read, and it only changes with these arguments."""
    specs = rehearsal_line_specs(script, user_role=role, engine=engine, voice_assignments=json.loads(voices_json))
    return tuple(spec.key for _, spec in specs)


# Clips found for (script version, line, engine and version, voices): rehearsal asks for
# the same clips over and over, and finding one costs hashing the line's spec and a query.
# A clip's key hashes everything that shapes its sound, so a found clip stays right for
# as long as its file is whole; only found clips are kept, and the file is checked each time.
_found_clips: dict[tuple, AudioClip] = {}
_FOUND_CLIPS_MAX = 4096


def clip_for_line(script, line_id: str, *, engine: str, voice_assignments: dict) -> AudioClip | None:
    memo = (script.pk, script.parsed_hash, line_id, engine, _engines_stamp(engine, voice_assignments),
            json.dumps(voice_assignments, sort_keys=True), _voices_stamp(voice_assignments))
    row = _found_clips.get(memo)
    if row is not None and cache.file_ok(row.path, row.size):
        return row
    element = script_element_by_id(script, line_id)
    if element is None or element["type"] != "dialogue":
        return None
    spec = line_spec_for(element, engine=engine, voice_assignments=voice_assignments)
    for row in AudioClip.objects.filter(key=spec.key)[:3]:
        if cache.file_ok(row.path, row.size):
            if len(_found_clips) >= _FOUND_CLIPS_MAX:
                _found_clips.clear()
            _found_clips[memo] = row
            return row
    return None


def script_clip_paths(script_id: int) -> set[str]:
    return set(AudioClip.objects.filter(script_id=script_id).values_list("path", flat=True))


def script_audio_totals(script_id: int | None) -> tuple[int, int]:
    """(clips, bytes) of one script's audio, or of the whole cache when script_id is None."""
    rows = AudioClip.objects.all() if script_id is None else AudioClip.objects.filter(script_id=script_id)
    totals = rows.aggregate(n=Count("id"), size=Sum("size"))
    return totals["n"], totals["size"] or 0


def clip_find(clip_id) -> AudioClip | None:
    """A clip row whose file is there and whole."""
    clip = AudioClip.objects.filter(pk=clip_id).first()
    return clip if clip is not None and cache.file_ok(clip.path, clip.size) else None


def voice_find(voice_id) -> Voice | None:
    return Voice.objects.filter(pk=voice_id).first()


def jobs_running():
    """What is being made now, or waits its turn, the oldest first."""
    return GenerationJob.objects.filter(state__in=GenerationJob.ACTIVE).select_related("script").order_by("created_at")
