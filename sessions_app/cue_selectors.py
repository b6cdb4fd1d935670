"""Reads of a parent's recorded lines: which lines of a rehearsal have one, and the one to play."""

from __future__ import annotations

from .cues import cue_file_ok
from .models import CueRecording, RehearsalSession


def cue_list(session: RehearsalSession) -> list[CueRecording]:
    """The rehearsal's recorded lines whose files are whole, in line-id order."""
    return [row for row in CueRecording.objects.filter(session=session) if cue_file_ok(row)]


def cue_takes(session: RehearsalSession) -> dict[str, str]:
    """line id -> the version of its recording, for the pages to put in the audio URL."""
    return dict(session.recorded_cues or {})


def cue_for_line(session: RehearsalSession, line_id: str) -> CueRecording | None:
    """The recording that is this line's voice in this rehearsal, if one is whole on disk.
    Only through its own rehearsal: a recording is never another session's."""
    if line_id not in (session.recorded_cues or {}):
        return None  # most lines: no query
    row = CueRecording.objects.filter(session_id=session.pk, line_id=line_id).first()
    return row if row is not None and cue_file_ok(row) else None
