"""Writes to rehearsal sessions."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from runthru_site.errors import UserError
from scripts_app.models import Script
from scripts_app.selectors import character_ids
from tts_app.jobs import jobs_follow
from tts_app.selectors import castable_voice_ids, engine_checked, engine_voice_required
from tts_app.services import default_voice_assignments, engine_for_new_session

from . import strictness
from .attempts import recordings_purge
from .models import RehearsalSession
from .practice import practice_day_add


def _check_role(script: Script, role) -> str:
    ids = character_ids(script)
    if not isinstance(role, str) or role not in ids:
        raise UserError(
            "Pick one of the characters in this script as your role.",
            code="unknown_role",
            details={"valid": ids},
        )
    return role


NAME_MAX = 40
# Bidirectional overrides would let a name reorder the admin's title around it.
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _check_name(name) -> str:
    if not isinstance(name, str):
        raise UserError("Your name should be written as text.", code="bad_name")
    name = name.strip()
    if len(name) > NAME_MAX:
        raise UserError(f"Your name can be up to {NAME_MAX} letters long. Try just your first name.",
                        code="bad_name", details={"max": NAME_MAX})
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in _BIDI for ch in name):
        raise UserError("Your name can only have letters, numbers, spaces and punctuation.", code="bad_name")
    return name


def _engine_with_voices(engine) -> str:
    engine = engine_checked(engine)
    engine_voice_required(engine)
    return engine


def _check_voices(script: Script, voices) -> dict:
    if not isinstance(voices, dict):
        raise UserError('Voices should look like {"romeo": "voice-id"}.', code="bad_voices")
    chars = set(character_ids(script))
    valid_voices = castable_voice_ids()  # a cast may mix engines: any voice that can speak here
    for char, voice in voices.items():
        if char not in chars:
            raise UserError(
                f"There's no character {char!r} in this script.", code="unknown_character",
                details={"valid": sorted(chars)},
            )
        if voice not in valid_voices:
            raise UserError(
                f"There's no voice {voice!r} on this computer. Choose one of the listed voices.",
                code="unknown_voice",
                details={"valid": valid_voices},
            )
    return voices


def _check_position(script: Script, scene_index, line_index) -> None:
    scenes = script.scenes
    if not isinstance(scene_index, int) or not 0 <= scene_index < len(scenes):
        raise UserError(
            f"Scene number must be between 0 and {len(scenes) - 1}.",
            code="out_of_range",
            details={"field": "current_scene_index", "min": 0, "max": len(scenes) - 1},
        )
    count = len(scenes[scene_index]["elements"])
    if not isinstance(line_index, int) or not 0 <= line_index < max(count, 1):
        raise UserError(
            f"Line number must be between 0 and {max(count - 1, 0)} in this scene.",
            code="out_of_range",
            details={"field": "current_line_index", "min": 0, "max": max(count - 1, 0)},
        )


@transaction.atomic
def session_create(*, script: Script, user_role, voice_assignments=None, tts_engine=None,
                   name="") -> RehearsalSession:
    role = _check_role(script, user_role)
    name = _check_name(name)
    engine = _engine_with_voices(tts_engine) if tts_engine is not None else engine_for_new_session()
    given = _check_voices(script, voice_assignments or {})
    voices = default_voice_assignments(script=script, user_role=role, engine=engine)
    voices.update(given)
    return RehearsalSession.objects.create(
        script=script, user_role=role, tts_engine=engine, voice_assignments=voices, name=name,
    )


@transaction.atomic
def session_update(*, session: RehearsalSession, **changes) -> RehearsalSession:
    script = session.script
    fields = []
    if "name" in changes:
        session.name = _check_name(changes["name"])
        fields.append("name")
    if "user_role" in changes:
        session.user_role = _check_role(script, changes["user_role"])
        fields.append("user_role")
    if "tts_engine" in changes and engine_checked(changes["tts_engine"]) != session.tts_engine:
        session.tts_engine = _engine_with_voices(changes["tts_engine"])
        # The engine is the one preferred for default voices: switching re-picks the defaults.
        session.voice_assignments = default_voice_assignments(
            script=script, user_role=session.user_role, engine=session.tts_engine
        )
        fields += ["tts_engine", "voice_assignments"]
    if "voice_assignments" in changes:
        given = _check_voices(script, changes["voice_assignments"])
        session.voice_assignments = {**session.voice_assignments, **given}
        fields.append("voice_assignments")
    if "current_scene_index" in changes or "current_line_index" in changes:
        scene = changes.get("current_scene_index", session.current_scene_index)
        line = changes.get("current_line_index", 0 if "current_scene_index" in changes else session.current_line_index)
        _check_position(script, scene, line)
        session.current_scene_index, session.current_line_index = scene, line
        fields += ["current_scene_index", "current_line_index"]
        # A job making this rehearsal's voices turns to where the teen is now.
        jobs_follow(script=script, engine=session.tts_engine, user_role=session.user_role,
                    voice_assignments=session.voice_assignments, scene=scene, line=line)
    if "practice_seconds_add" in changes:
        add = changes["practice_seconds_add"]
        if not isinstance(add, int) or not 0 <= add <= 3600:
            raise UserError("Practice time must be between 0 and 3600 seconds at a time.", code="bad_practice")
        session.practice_seconds += add
        fields.append("practice_seconds")
        practice_day_add(session=session, seconds=add)
    if "completed_scene_index" in changes:
        idx = changes["completed_scene_index"]
        if not isinstance(idx, int) or not 0 <= idx < len(script.scenes):
            raise UserError("That scene doesn't exist.", code="out_of_range")
        runs = dict(session.scene_runs)
        runs[str(idx)] = runs.get(str(idx), 0) + 1
        session.scene_runs = runs
        fields.append("scene_runs")
    if "strictness" in changes:
        session.strictness = strictness.checked(changes["strictness"])
        fields.append("strictness")
    if "practice_minutes" in changes:
        minutes = changes["practice_minutes"]
        if not isinstance(minutes, int) or not 1 <= minutes <= 120:
            raise UserError("Practice time must be between 1 and 120 minutes.", code="bad_practice_minutes")
        session.practice_minutes = minutes
        fields.append("practice_minutes")
    if "keep_recordings" in changes:
        keep = changes["keep_recordings"]
        if not isinstance(keep, bool):
            raise UserError("Keep recordings must be true or false.", code="bad_keep_recordings")
        if session.keep_recordings and not keep:
            recordings_purge(session=session)  # turning it off forgets what was kept
        session.keep_recordings = keep
        fields.append("keep_recordings")
    if fields:
        session.save(update_fields=sorted(set(fields)))
    return session


# Reading a session records when it was last used, at most once a minute: a
# write per GET would queue every reader behind SQLite's single writer.
TOUCH_EVERY = timedelta(seconds=60)


def session_touch(*, session: RehearsalSession) -> None:
    now = timezone.now()
    if now - session.last_accessed_at < TOUCH_EVERY:
        return
    session.last_accessed_at = now
    RehearsalSession.objects.filter(pk=session.pk).update(last_accessed_at=now)


def session_delete(*, session: RehearsalSession) -> None:
    session.delete()
