"""Writes for a parent reading the cues: one line of another character, recorded in the
browser, becomes that line's voice in one rehearsal.

A recording goes through the same steps as a synthesized clip (tts_app.audio): silence
trimmed, loudness matched to the clips' target, MP3, written whole (temp file, fsync,
rename) before its row names it. Decoding is bounded and checked from the header first
(sessions_app.listening.audio), and all of it happens before any transaction.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from runthru_site.errors import NotFound, UserError
from runthru_site.files import write_file_atomic
from scripts_app.selectors import is_user_line, script_element_by_id
from tts_app import audio as clip_audio
from tts_app.engines.base import Clip

from .listening import AudioRejected, decode_attempt
from .models import CueRecording, RehearsalSession

# The rate recordings are kept at: the natural voices' own, and one MP3 (MPEG-2 layer III) encodes.
CUE_SAMPLE_RATE = 24000
# Quieter than this over the whole recording is a microphone that heard nothing (a quiet
# room is about -60 LUFS; speech at arm's length about -35 to -25).
SILENT_LUFS = -55.0
# A parent reads a whole speech in one take, and a few run long (Mercutio's Queen Mab speech
# is about 2½ minutes). The page records at 48 kbps, so 3 minutes is about 1.1 MB: inside
# the upload limit (MAX_ATTEMPT_BYTES); 3 minutes at 24 kHz is 17 MB of samples to process.
MAX_CUE_SECONDS = 180.0
_FOLDER = "cues"  # under the recordings folder, apart from the teen's kept attempts


def cue_path(relative: str) -> Path:
    """The file behind a recording's path, refusing anything that would leave its folder."""
    root = (Path(settings.RUNTHRU_RECORDINGS_DIR) / _FOLDER).resolve()
    path = (root / relative).resolve()
    if not relative or root not in path.parents:
        raise ValueError("not a recorded line's path")
    return path


def cue_file_ok(row: CueRecording) -> bool:
    try:
        return cue_path(row.path).stat().st_size == row.size
    except (OSError, ValueError):
        return False


def cue_line(session: RehearsalSession, line_id) -> dict:
    """The line a parent may record: a speech of a character the teen does not play."""
    element = script_element_by_id(session.script, line_id) if isinstance(line_id, str) else None
    if element is None or element.get("type") != "dialogue":
        raise NotFound("That line isn't in this script.", code="unknown_line")
    if is_user_line(element, session.user_role):
        raise UserError("That's one of the teen's own lines: RunThru never reads it out, so there's nothing "
                        "to record. Pick a line of another character.", code="own_line")
    return element


def cue_clip(data: bytes) -> Clip:
    """The recording, checked, trimmed and loudness-matched like a synthesized clip."""
    samples = decode_attempt(data, rate=CUE_SAMPLE_RATE, max_seconds=MAX_CUE_SECONDS)  # header checks first, bounded
    raw = Clip(samples, CUE_SAMPLE_RATE)
    loudness = clip_audio.measure_loudness(raw)
    if not math.isfinite(loudness) or loudness < SILENT_LUFS:
        raise AudioRejected("We couldn't hear anything in that recording. Check the microphone is on and "
                            "not muted, then record the line again.", code="audio_silent")
    return clip_audio.postprocess(raw)


def cue_remove_files(paths) -> int:
    removed = 0
    for relative in paths:
        try:
            path = cue_path(relative)
            path.unlink()
            removed += 1
        except (OSError, ValueError):
            # Gone already, or not removable now (a purge sweeps it later); never worth failing
            # the request that replaced or deleted the recording. The rehearsal's folder is left:
            # removing it could race a recording being written into it.
            continue
    return removed


def cue_folder_remove(session_id) -> None:
    """A deleted rehearsal's (empty) folder: nothing can be recorded into it any more."""
    try:
        cue_path(str(session_id)).rmdir()
    except (OSError, ValueError):
        pass


def cue_record(*, session: RehearsalSession, line_id, data: bytes) -> CueRecording:
    """Keep a parent's reading of one line for this rehearsal, replacing any earlier one."""
    element = cue_line(session, line_id)
    clip = cue_clip(data)
    encoded = clip_audio.encode_clip(clip)
    relative = f"{session.pk}/{uuid.uuid4().hex}.mp3"  # a new name each time: a player never gets half of two
    write_file_atomic(cue_path(relative), encoded)
    fields = {"character": element.get("character") or "", "path": relative, "size": len(encoded),
              "sha256": hashlib.sha256(encoded).hexdigest(), "duration": round(clip.duration, 3)}
    try:
        with transaction.atomic():
            _lock(session)
            row, old = _upsert(session, line_id, fields)
            _sync_takes(session)
            if old:
                transaction.on_commit(lambda: cue_remove_files([old]))
    except BaseException:
        cue_remove_files([relative])
        raise
    return row


def _lock(session: RehearsalSession) -> None:
    # Changes to one rehearsal's recordings queue here (SQLite's IMMEDIATE transactions queue anyway),
    # so the map written by _sync_takes always matches the rows.
    RehearsalSession.objects.select_for_update().filter(pk=session.pk).values_list("pk", flat=True).first()


def _sync_takes(session: RehearsalSession) -> None:
    rows = CueRecording.objects.filter(session_id=session.pk).values_list("line_id", "sha256")
    session.recorded_cues = {line_id: sha256[:16] for line_id, sha256 in rows}
    RehearsalSession.objects.filter(pk=session.pk).update(recorded_cues=session.recorded_cues)


def _upsert(session: RehearsalSession, line_id: str, fields: dict) -> tuple[CueRecording, str]:
    row = CueRecording.objects.select_for_update().filter(session=session, line_id=line_id).first()
    if row is None:
        try:
            with transaction.atomic():
                return CueRecording.objects.create(session=session, line_id=line_id, **fields), ""
        except IntegrityError:  # recorded at the same moment from another tab: the later one wins
            row = CueRecording.objects.select_for_update().get(session=session, line_id=line_id)
    old = row.path
    for name, value in fields.items():
        setattr(row, name, value)
    row.save(update_fields=[*fields, "updated_at"])
    return row, old


def cue_delete(*, session: RehearsalSession, line_id) -> None:
    with transaction.atomic():
        _lock(session)
        deleted, _ = CueRecording.objects.filter(session=session, line_id=line_id).delete()
        if not deleted:
            raise NotFound("That line hasn't been recorded.", code="no_recording")
        _sync_takes(session)
    # the post_delete signal removes the file after the commit


def cue_recordings_purge(*, session: RehearsalSession | None = None) -> int:
    """A parent's purge: every recorded line (of one rehearsal, or all), files included. Returns how many."""
    rows = CueRecording.objects.all() if session is None else CueRecording.objects.filter(session=session)
    with transaction.atomic():
        sessions = RehearsalSession.objects.select_for_update().filter(pk__in=rows.values("session_id"))
        touched = list(sessions.values_list("pk", flat=True))
        _, counts = rows.filter(session_id__in=touched).delete()  # post_delete removes each file after the commit
        RehearsalSession.objects.filter(pk__in=touched).update(recorded_cues={})
    if session is not None:
        session.recorded_cues = {}
    return counts.get(CueRecording._meta.label, 0)
