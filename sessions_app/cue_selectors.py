"""Reads of a parent's recorded lines: which lines of a rehearsal have one, and the one to play."""

from __future__ import annotations

from .cues import cue_file_ok
from .models import CueRecording, RehearsalSession


def cue_list(session: RehearsalSession) -> list[CueRecording]:
    """The rehearsal's recorded lines whose files are whole, in line-id order."""
    return [row for row in CueRecording.objects.filter(session=session) if cue_file_ok(row)]


def cue_takes(session: RehearsalSession) -> dict[str, str]:
    """line id -> the version of its recording, for the pages to put in the audio URL."""
    rows = CueRecording.objects.filter(session=session).values_list("line_id", "sha256")
    return {line_id: sha256[:16] for line_id, sha256 in rows}


def cue_for_line(session: RehearsalSession, line_id: str) -> CueRecording | None:
    """The recording that is this line's voice in this rehearsal, if one is whole on disk.
    Only through its own rehearsal: a recording is never another session's."""
    row = CueRecording.objects.filter(session_id=session.pk, line_id=line_id).first()
    return row if row is not None and cue_file_ok(row) else None
