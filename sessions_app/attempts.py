"""Writes for listen mode: checking and saving an attempt, kept recordings, deleting.

Recognition takes a few tenths of a second of one core, so it runs before any
transaction: the database is only touched to count the device's recent
attempts and, once the result is known, to save it.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import soundfile
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from runthru_site.errors import UserError
from tts_app.cache import write_file_atomic

from . import limits
from .ladder import grade_for_score
from .listening import SAMPLE_RATE, AudioRejected, check_line
from .models import LineAttempt, RefusedAttempt, RehearsalSession
from .practice import line_review, my_line


class TooManyAttempts(UserError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, retry_after: int):
        super().__init__("You're going a bit fast! Wait a few seconds and say the line again.",
                         details={"retry_after": retry_after})
        self.retry_after = retry_after


def recordings_root() -> Path:
    return Path(settings.RUNTHRU_RECORDINGS_DIR)


def recording_path(relative: str) -> Path:
    """The file behind a recording path, refusing anything that would leave the folder."""
    root = recordings_root().resolve()
    path = (root / relative).resolve()
    if not relative or root not in path.parents:
        raise ValueError("not a recording path")
    return path


def _scene_context(session: RehearsalSession, line_id: str) -> list[str]:
    for scene in session.script.scenes:
        if any(e.get("id") == line_id for e in scene["elements"]):
            return [e["text"] for e in scene["elements"] if e.get("type") == "dialogue" and e.get("id") != line_id]
    return []


def _check_rate(device_id: int | None) -> None:
    if device_id is None:
        return
    since = timezone.now() - limits.ATTEMPTS_WINDOW
    heard = LineAttempt.objects.filter(device_id=device_id, created_at__gte=since)
    refused = RefusedAttempt.objects.filter(device_id=device_id, created_at__gte=since)
    if heard.count() + refused.count() >= limits.ATTEMPTS_PER_DEVICE:
        times = [t for t in (heard.order_by("created_at").values_list("created_at", flat=True).first(),
                             refused.order_by("created_at").values_list("created_at", flat=True).first()) if t]
        wait = (min(times) + limits.ATTEMPTS_WINDOW - timezone.now()).total_seconds() if times else 60
        raise TooManyAttempts(max(1, int(wait) + 1))


def _count_refusal(device_id: int | None) -> None:
    if device_id is None:
        return
    RefusedAttempt.objects.filter(created_at__lt=timezone.now() - limits.ATTEMPTS_WINDOW).delete()  # stays small
    RefusedAttempt.objects.create(device_id=device_id)


def attempt_record(*, session: RehearsalSession, line_id, data: bytes, device_id: int | None = None) -> LineAttempt:
    """Hear one attempt at one of the teen's lines and save the result (and the recording, if kept);
    its grade moves the line on the ladder and in the schedule."""
    element = my_line(session, line_id)
    _check_rate(device_id)
    try:
        result = check_line(data, element["text"], _scene_context(session, line_id),
                            session.strictness)  # slow: no transaction here
    except AudioRejected:
        _count_refusal(device_id)
        raise
    recording = ""
    if session.keep_recordings:
        recording = f"{session.pk}/{uuid.uuid4().hex}.wav"
        buffer = io.BytesIO()
        soundfile.write(buffer, result.samples, SAMPLE_RATE, format="WAV", subtype="PCM_16")
        write_file_atomic(recording_path(recording), buffer.getvalue())  # whole file before the row names it
    with transaction.atomic():
        attempt = LineAttempt.objects.create(
            session=session, line_id=line_id, score=result.score, heard=result.heard,
            words=[{"word": w.word, "status": w.status} for w in result.words], duration=result.duration,
            device_id=device_id, recording=recording,
        )
        line_review(session=session, line_id=line_id, grade=grade_for_score(attempt.score), attempt=attempt)
        if recording:
            # Only the last recording of each line is kept.
            older = LineAttempt.objects.filter(session=session, line_id=line_id).exclude(pk=attempt.pk)
            stale = list(older.exclude(recording="").values_list("recording", flat=True))
            older.exclude(recording="").update(recording="")
            transaction.on_commit(lambda: recordings_remove(stale))
    return attempt


def recordings_remove(paths) -> int:
    removed = 0
    for relative in paths:
        try:
            recording_path(relative).unlink()
            removed += 1
        except (FileNotFoundError, ValueError):
            pass
    return removed


def attempt_delete(*, attempt: LineAttempt) -> None:
    attempt.delete()  # the post_delete signal removes its recording after the commit


def recordings_purge(*, session: RehearsalSession | None = None) -> int:
    """A parent's purge: forget every kept recording (of one session, or all). Returns how many."""
    rows = LineAttempt.objects.exclude(recording="")
    if session is not None:
        rows = rows.filter(session=session)
    with transaction.atomic():
        paths = list(rows.values_list("recording", flat=True))
        rows.update(recording="")
        transaction.on_commit(lambda: recordings_remove(paths))
    return len(paths)
