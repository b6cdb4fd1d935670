"""Cue tapes of a rehearsal: which clips and silences a tape is, making it, finding it.

Three versions, the stages actors learn in: `gaps` (everyone else's lines with a silence for
each of the teen's), `lines` (the teen's lines read too, in a voice no character has) and
`cues` (only the line before each of the teen's, then the silence).
"""

from __future__ import annotations

import errno
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from runthru_site.errors import NotFound, UserError
from scripts_app.selectors import is_user_line
from tts_app.audio import count_words
from tts_app.clips import clip_make_now, clips_make, line_spec
from tts_app.engines.base import EngineFailed
from tts_app.selectors import line_spec_for, voice_ids_for
from tts_app.tapes import Segment, TapeTags, tape_write

from .cue_selectors import cue_for_line
from .cues import cue_path
from .models import CueTape, RehearsalSession

VERSIONS = ("gaps", "lines", "cues")
VERSION_NAMES = {"gaps": "gaps for your lines", "lines": "with your lines", "cues": "cues only"}
WHOLE_ROLE = "all"
GAP_MIN, GAP_MAX = 0.5, 3.0
BETWEEN_LINES_S = 0.35  # a breath between two speeches (a silence for the teen has no extra)
CLIP_BATCH = 32
# A tape left queued or making this long without a step forward lost its worker: start it again.
STALE_AFTER = timedelta(minutes=10)
# A failed tape is shown as failed (with why) for this long, then the next ask tries again.
RETRY_FAILED_AFTER = timedelta(seconds=30)
_WORD = re.compile(r"\w")
_FOLDER = "tapes"  # under the recordings folder: tapes can hold a parent's recorded lines


def line_gap_seconds(text: str, gap: float) -> float:
    """How long the teen has to say a line: the rehearse page's own wait (static/js/rehearse.js)."""
    return max(1.5, 0.45 * count_words(text) + 0.8) * gap


@dataclass(frozen=True)
class Step:
    """One piece of a tape: a line spoken (by its clip's spec or a parent's recording), or a silence."""

    element: dict
    spoken: bool
    seconds: float = 0.0
    spec: object = None
    recording: str = ""  # path of a parent's recording


def _scenes(session: RehearsalSession, scene_id: str) -> list[dict]:
    scenes = session.script.scenes
    if scene_id == WHOLE_ROLE:
        return scenes
    found = [s for s in scenes if s["id"] == scene_id]
    if not found:
        raise NotFound("That scene isn't in this script.", code="unknown_scene")
    return found


def _reader_voice(session: RehearsalSession) -> str:
    """A voice for the teen's own lines that no other character speaks in, so they stand out."""
    ids = voice_ids_for(session.tts_engine)
    used = set((session.voice_assignments or {}).values())
    return next((v for v in ids if v not in used), ids[0] if ids else "")


def _spoken(session: RehearsalSession, element: dict) -> Step:
    recording = cue_for_line(session, element["id"])
    if recording is not None:
        return Step(element, True, recording=recording.path)
    return Step(element, True, spec=line_spec_for(element, engine=session.tts_engine,
                                                  voice_assignments=session.voice_assignments))


def tape_steps(session: RehearsalSession, scene_id: str, version: str, gap: float) -> list[Step]:
    role, steps = session.user_role, []
    reader = _reader_voice(session) if version == "lines" else ""
    for scene in _scenes(session, scene_id):
        lines = [e for e in scene["elements"] if e["type"] == "dialogue" and _WORD.search(e["text"])]
        for n, element in enumerate(lines):
            mine = is_user_line(element, role)
            if mine:
                if version == "lines":
                    steps.append(Step(element, True, spec=line_spec(
                        text=element["text"], engine=session.tts_engine, voice_id=reader,
                        emotion=element.get("emotion"))))
                else:
                    steps.append(Step(element, False, seconds=line_gap_seconds(element["text"], gap)))
            elif version != "cues" or (n + 1 < len(lines) and is_user_line(lines[n + 1], role)):
                steps.append(_spoken(session, element))
    if not any(is_user_line(s.element, role) for s in steps):
        raise UserError("There are none of your lines in that scene, so there's no tape to make. "
                        "Pick a scene your character is in.", code="no_lines_here")
    return steps


def _key(steps: list[Step], tags: TapeTags) -> str:
    parts = [[s.element["id"], s.spec.key if s.spec is not None else s.recording, round(s.seconds, 2)] for s in steps]
    blob = json.dumps({"steps": parts, "tags": tags.__dict__, "between": BETWEEN_LINES_S}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def _names(session: RehearsalSession) -> dict[str, str]:
    return {c["id"]: c["name"] for c in session.script.characters}


def tape_tags(session: RehearsalSession, scene_id: str, version: str) -> TapeTags:
    scenes = session.script.scenes
    role = _names(session).get(session.user_role, session.user_role)
    if scene_id == WHOLE_ROLE:
        what, track = "Whole role", f"0/{len(scenes)}"
    else:
        scene = next(s for s in scenes if s["id"] == scene_id)
        what, track = scene.get("title") or f"Scene {scene['index'] + 1}", f"{scene['index'] + 1}/{len(scenes)}"
    return TapeTags(title=f"{what}: {VERSION_NAMES[version]}", artist=f"RunThru cues for {role}",
                    album=session.script.title, track=track)


def _root() -> Path:
    return Path(settings.RUNTHRU_RECORDINGS_DIR) / _FOLDER


def tape_file(tape: CueTape) -> Path:
    return _root() / tape.path


def tape_file_ok(tape: CueTape) -> bool:
    try:
        return bool(tape.path) and tape_file(tape).stat().st_size == tape.size
    except OSError:
        return False


def parse_request(version, gap) -> tuple[str, float]:
    if version not in VERSIONS:
        raise UserError("Pick which tape: gaps (gaps for your lines), lines (your lines read too) or cues "
                        "(only your cues).", code="bad_version", details={"versions": list(VERSIONS)})
    try:
        gap = round(float(gap), 2) if gap not in (None, "") else 1.0
    except (TypeError, ValueError):
        gap = -1.0
    if not GAP_MIN <= gap <= GAP_MAX:
        raise UserError(f"The gap setting goes from {GAP_MIN}× to {GAP_MAX}×.", code="bad_gap")
    return version, gap


def tape_request(*, session: RehearsalSession, scene_id: str, version: str, gap: float) -> CueTape:
    """The tape as it is now: done (its file is whole) or being made (queued here if need be)."""
    steps = tape_steps(session, scene_id, version, gap)
    key = _key(steps, tape_tags(session, scene_id, version))
    with transaction.atomic():
        tape, created = CueTape.objects.select_for_update().get_or_create(
            session=session, scene_id=scene_id, version=version, gap=gap, defaults={"key": key})
        fresh = tape.key == key and not created
        if fresh and tape.state == CueTape.State.DONE and tape_file_ok(tape):
            return tape
        if fresh and tape.state in (CueTape.State.QUEUED, CueTape.State.RUNNING) \
                and tape.updated_at > timezone.now() - STALE_AFTER:
            return tape
        if fresh and tape.state == CueTape.State.FAILED and tape.updated_at > timezone.now() - RETRY_FAILED_AFTER:
            return tape
        tape.key, tape.state, tape.done, tape.total, tape.error = key, CueTape.State.QUEUED, 0, len(steps), ""
        tape.save()
        transaction.on_commit(lambda: _enqueue(tape.pk))
    return tape


def _enqueue(tape_id: int) -> None:
    from django_q.tasks import async_task

    async_task("sessions_app.tasks.make_tape", tape_id, group="tapes")


def _progress(tape_id: int, done: int) -> None:
    CueTape.objects.filter(pk=tape_id).update(done=done, updated_at=timezone.now())


def _clip_paths(tape: CueTape, steps: list[Step]) -> list[Path | None]:
    """Each spoken step's file, making the clips not made yet (the teen's lines in the reader's
    voice, lines generation has not reached). None for a line no engine could speak."""
    from tts_app import cache

    paths: list[Path | None] = []
    for start in range(0, len(steps), CLIP_BATCH):
        batch = steps[start:start + CLIP_BATCH]
        wanted = [(s.spec, s.element["id"]) for s in batch if s.spec is not None]
        results = iter(clips_make(wanted, script_id=tape.session.script_id) if wanted else [])
        for step in batch:
            if not step.spoken:
                paths.append(None)
            elif step.recording:
                paths.append(cue_path(step.recording))
            else:
                result = next(results)
                row = result.row
                if result.status == "busy":  # generation is making this very clip now: wait for it
                    try:
                        row = clip_make_now(step.spec)
                    except EngineFailed:
                        row = None
                paths.append(cache.absolute(row.path) if row is not None else None)
        _progress(tape.pk, min(len(steps), start + len(batch)) // 2)
    return paths


def tape_make(*, tape_id: int) -> CueTape | None:
    """Make a queued tape (running it twice is harmless: a done tape is left as it is)."""
    tape = CueTape.objects.select_related("session__script").filter(pk=tape_id).first()
    if tape is None or tape.state == CueTape.State.DONE and tape_file_ok(tape):
        return tape
    CueTape.objects.filter(pk=tape_id).update(state=CueTape.State.RUNNING, updated_at=timezone.now())
    session = tape.session
    try:
        steps = tape_steps(session, tape.scene_id, tape.version, tape.gap)
        tags = tape_tags(session, tape.scene_id, tape.version)
        key = _key(steps, tags)
        paths = _clip_paths(tape, steps)
        names = _names(session)
        segments: list[Segment] = []
        for step, path in zip(steps, paths, strict=True):
            who = names.get(step.element.get("character"), step.element.get("character") or "")
            words = " ".join(step.element["text"].split()[:6])
            if step.spoken and path is None:
                continue  # a line no engine could speak: the tape goes on without it
            if step.spoken and segments and segments[-1].path is not None:
                segments.append(Segment(None, BETWEEN_LINES_S))
            if step.spoken:
                segments.append(Segment(path, title=f"{who}: {words}"))
            else:
                segments.append(Segment(None, step.seconds, title=f"Your line: {words}"))
        half = len(steps) // 2

        def encoded(n: int) -> None:  # the second half of the progress bar
            if n % 64 == 0:
                _progress(tape_id, half + n * (len(steps) - half) // len(segments))

        relative = f"{session.pk}/{key}.mp3"
        result = tape_write(_root() / relative, segments, tags=tags, on_segment=encoded)
    except (OSError, ValueError, UserError) as exc:
        CueTape.objects.filter(pk=tape_id).update(state=CueTape.State.FAILED, updated_at=timezone.now(),
                                                  error=_failure_message(exc))
        return CueTape.objects.filter(pk=tape_id).first()
    old = tape.path
    CueTape.objects.filter(pk=tape_id).update(
        state=CueTape.State.DONE, key=key, path=relative, size=result.size, duration=result.duration,
        done=len(steps), total=len(steps), updated_at=timezone.now())
    if old and old != relative:
        tape_remove_files([old])
    return CueTape.objects.filter(pk=tape_id).first()


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, UserError):
        return exc.message
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return ("The computer running RunThru is out of disk space, so the tape couldn't be saved. "
                "Ask a parent to free some space, then try again.")
    return "Something went wrong making this tape. Try again in a minute."


def tape_remove_files(paths) -> None:
    root = _root().resolve()
    for relative in paths:
        path = (root / relative).resolve()
        if root in path.parents:
            path.unlink(missing_ok=True)
