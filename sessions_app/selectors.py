"""Reads of rehearsal sessions."""

from __future__ import annotations

import re
import uuid

from django.db.models import OuterRef, Subquery

from runthru_site.errors import NotFound
from scripts_app.models import Script
from scripts_app.selectors import is_user_line, script_get, script_list
from tts_app.selectors import audio_readiness, clip_for_line, job_latest_for
from tts_app.services import default_voice_assignments, engine_for_new_session

from .models import RehearsalSession

# A database id as it comes in a URL: ASCII digits only (int() would also take "+1",
# " 1", "1_0" or a fullwidth "１", and "²" passes str.isdigit() but not int()), and
# short enough for a 64-bit column (longer ones overflow SQLite's INTEGER).
_PLAIN_ID = re.compile(r"[0-9]{1,18}")


def plain_id(raw) -> int | None:
    """The integer id in raw (a URL segment or query value), or None when it isn't one."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    return int(raw) if isinstance(raw, str) and _PLAIN_ID.fullmatch(raw) else None


def script_by_id(raw) -> Script:
    """script_get for an id that came from a URL."""
    script_id = plain_id(raw)
    if script_id is None:
        raise NotFound("We couldn't find that script. It may have been deleted.")
    return script_get(script_id)


def _live_sessions():
    # A deleted script's rehearsals are hidden with it (and come back with it).
    return RehearsalSession.objects.filter(script__deleted_at=None)


def session_list(*, script_id=None):
    qs = _live_sessions().select_related("script").order_by("-created_at")
    if script_id is not None:
        qs = qs.filter(script_id=script_id)
    return qs


def _one_session(queryset, session_id) -> RehearsalSession:
    try:
        return queryset.get(pk=uuid.UUID(str(session_id)))
    except (RehearsalSession.DoesNotExist, ValueError, TypeError):
        raise NotFound("We couldn't find that rehearsal. It may have been deleted.") from None


def session_get(session_id) -> RehearsalSession:
    return _one_session(_live_sessions().select_related("script"), session_id)


def session_for_audio(session_id) -> RehearsalSession:
    """session_get without the script's text and parsed JSON: an audio request usually only
    needs the script's id and version (tts_app.selectors.clip_for_line remembers found clips),
    and decoding a whole play's JSON on every clip would cost more than serving the clip."""
    queryset = _live_sessions().select_related("script").defer("script__markdown_source",
                                                                      "script__parsed_json")
    return _one_session(queryset, session_id)


def session_current_element(session: RehearsalSession) -> dict | None:
    """The script element at the session's position, if the position is inside the script."""
    scenes = session.script.scenes
    if 0 <= session.current_scene_index < len(scenes):
        elements = scenes[session.current_scene_index]["elements"]
        if 0 <= session.current_line_index < len(elements):
            return elements[session.current_line_index]
    return None


def session_is_user_line(session: RehearsalSession) -> bool:
    return is_user_line(session_current_element(session), session.user_role)


def session_audio_readiness(session: RehearsalSession) -> dict:
    return audio_readiness(session.script, user_role=session.user_role, engine=session.tts_engine,
                           voice_assignments=session.voice_assignments)


def session_job(session: RehearsalSession):
    """The newest job for this rehearsal's audio, so any browser can follow one that is running."""
    return job_latest_for(session.script, engine=session.tts_engine, user_role=session.user_role,
                          voice_assignments=session.voice_assignments)


def script_rehearsal_ready(script) -> RehearsalSession | None:
    """The rehearsal "Rehearse" in the script list opens straight away: the latest one, when its
    voices are ready or being made (the rehearse page plays what is ready). None: a role or the
    voices still need choosing or making, on the Cast page."""
    session = RehearsalSession.objects.filter(script=script).order_by("-last_accessed_at").first()
    if session is None:
        return None
    audio = session_audio_readiness(session)
    if audio["total"] and audio["ready"] >= audio["total"]:
        return session
    job = session_job(session)
    return session if job is not None and job.state in job.ACTIVE else None


def scripts_with_last_rehearsal():
    """Every script, each with `last_rehearsed_at` (None when nobody rehearsed it yet)."""
    last = RehearsalSession.objects.filter(script=OuterRef("pk")).order_by("-last_accessed_at")
    return script_list().annotate(last_rehearsed_at=Subquery(last.values("last_accessed_at")[:1]))


# How many of a script's most recent rehearsals a session-less audio request looks through.
RECENT_REHEARSALS = 20


def script_line_clip(script: Script, line_id: str):
    """A line's clip when no rehearsal is named: the one of the most recently used
    rehearsal of this script that has it, else the default cast's (None when none exists)."""
    recent = RehearsalSession.objects.filter(script=script).order_by("-last_accessed_at")
    for engine, voices in recent.values_list("tts_engine", "voice_assignments")[:RECENT_REHEARSALS]:
        row = clip_for_line(script, line_id, engine=engine, voice_assignments=voices)
        if row is not None:
            return row
    engine = engine_for_new_session()
    voices = default_voice_assignments(script=script, user_role=None, engine=engine)
    return clip_for_line(script, line_id, engine=engine, voice_assignments=voices)
