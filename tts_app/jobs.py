"""Pre-generation jobs: create or reuse, run (idempotently), cancel, resume.

`job_run` is what the django-q2 task calls and what `manage.py pregenerate`
calls in the foreground; tests call it directly too.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from runthru_site.errors import UserError

from . import events
from .engines.base import EngineFailed, EngineUnavailable
from .engines.registry import get_engine
from .models import GenerationJob, JobEvent, JobLine
from .selectors import line_spec_for, spoken_lines
from .services import _owner, clip_for

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A running job whose worker has not been heard from for this long is resumed.
HEARTBEAT_STALE = timedelta(seconds=30)


def _fingerprint(script, engine: str, role: str, voices: dict) -> str:
    blob = json.dumps([script.pk, script.parsed_hash, engine, role, sorted(voices.items())])
    return hashlib.sha256(blob.encode()).hexdigest()


def job_for(*, script, engine: str, user_role: str | None, voice_assignments: dict, session=None,
            reuse: bool = True, enqueue: bool = True) -> GenerationJob:
    """Start a job, or hand back the one already doing (or done with) the same work."""
    role = user_role or ""
    fingerprint = _fingerprint(script, engine, role, voice_assignments)
    with transaction.atomic():
        existing = (
            GenerationJob.objects.select_for_update()
            .filter(fingerprint=fingerprint, state__in=[*GenerationJob.ACTIVE, GenerationJob.State.DONE])
            .order_by("-created_at")
            .first()
        )
        if reuse and existing and (existing.state != GenerationJob.State.DONE or existing.failed == 0):
            return existing
        lines = [el["id"] for el in spoken_lines(script, role or None)]
        if not lines:
            raise UserError("There are no lines for RunThru to speak in this script.", code="nothing_to_generate")
        job = GenerationJob.objects.create(
            script=script, session=session, engine=engine, user_role=role, voice_assignments=voice_assignments,
            fingerprint=fingerprint, total=len(lines),
        )
        JobLine.objects.bulk_create(JobLine(job=job, position=i, line_id=lid) for i, lid in enumerate(lines))
        if enqueue:
            transaction.on_commit(lambda: job_enqueue(job_id=job.pk))
    return job


def job_enqueue(*, job_id: int) -> None:
    from django_q.tasks import async_task

    async_task("tts_app.tasks.run_job", job_id, task_name=f"job-{job_id}", group="generation")


def job_cancel(*, job: GenerationJob) -> GenerationJob:
    GenerationJob.objects.filter(pk=job.pk).update(cancel_requested=True)
    if job.state == GenerationJob.State.QUEUED:
        _finish(job.pk, GenerationJob.State.CANCELLED, kind="cancelled")
    job.refresh_from_db()
    return job


def job_retry(*, job: GenerationJob) -> GenerationJob:
    """Give failed lines another go (admin action)."""
    with transaction.atomic():
        count = JobLine.objects.filter(job=job, status=JobLine.Status.FAILED).update(
            status=JobLine.Status.PENDING, attempts=0, error=""
        )
        GenerationJob.objects.filter(pk=job.pk).update(
            state=GenerationJob.State.QUEUED, failed=F("failed") - count, cancel_requested=False, error="",
            finished_at=None,
        )
        transaction.on_commit(lambda: job_enqueue(job_id=job.pk))
    job.refresh_from_db()
    return job


def job_resume_if_stalled(*, job: GenerationJob) -> bool:
    """A worker that died leaves a running job with an old heartbeat: queue it again."""
    if job.state not in GenerationJob.ACTIVE:
        return False
    now = timezone.now()
    stale = now - HEARTBEAT_STALE
    last = job.heartbeat_at or job.created_at
    if last >= stale:
        return False
    # Compare-and-set so that many watchers re-queue it once.
    claimed = GenerationJob.objects.filter(pk=job.pk, heartbeat_at=job.heartbeat_at).update(heartbeat_at=now)
    if claimed:
        job_enqueue(job_id=job.pk)
    return bool(claimed)


def _take_lease(job_id: int, owner: str) -> bool:
    now = timezone.now()
    stale = now - HEARTBEAT_STALE
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.state not in GenerationJob.ACTIVE:
            return False
        if job.state == GenerationJob.State.RUNNING and job.owner and job.owner != owner and job.heartbeat_at \
                and job.heartbeat_at >= stale:
            return False  # someone alive is on it
        job.state = GenerationJob.State.RUNNING
        job.owner = owner
        job.heartbeat_at = now
        job.started_at = job.started_at or now
        job.save(update_fields=["state", "owner", "heartbeat_at", "started_at"])
    return True


def _record(job: GenerationJob, line: JobLine, status: str, *, engine: str = "", error: str = "",
            seconds: float = 0.0) -> None:
    counter = {"done": "done", "cached": "cached", "failed": "failed"}[status]
    with transaction.atomic():
        JobLine.objects.filter(pk=line.pk).update(status=status, engine_used=engine, error=error[:2000])
        GenerationJob.objects.filter(pk=job.pk).update(
            **{counter: F(counter) + 1}, heartbeat_at=timezone.now(), audio_seconds=F("audio_seconds") + seconds
        )
        fresh = GenerationJob.objects.only("done", "cached", "failed", "total").get(pk=job.pk)
        payload = {
            "line_id": line.line_id, "status": status, "engine": engine, "error": error[:300],
            "done": fresh.finished_count, "total": fresh.total,
        }
        event = JobEvent.objects.create(job_id=job.pk, kind="line", payload=payload)
        transaction.on_commit(lambda: events.publish(job.pk, event))


def _finish(job_id: int, state: str, *, kind: str, error: str = "") -> None:
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.state not in GenerationJob.ACTIVE:
            return
        job.state, job.error, job.finished_at = state, error, timezone.now()
        job.save(update_fields=["state", "error", "finished_at"])
        payload = {"state": state, "done": job.finished_count, "total": job.total, "made": job.done,
                   "cached": job.cached, "failed": job.failed, "error": error}
        event = JobEvent.objects.create(job_id=job_id, kind=kind, payload=payload)
        transaction.on_commit(lambda: events.publish(job_id, event))


def job_run(*, job_id: int, on_line: Callable[[JobLine, str], None] | None = None) -> GenerationJob | None:
    """Work through a job's pending lines. Safe to call twice, or after a crash."""
    owner = _owner()
    if not GenerationJob.objects.filter(pk=job_id).exists() or not _take_lease(job_id, owner):
        return None
    job = GenerationJob.objects.select_related("script").get(pk=job_id)
    script = job.script
    elements = {el["id"]: el for el in spoken_lines(script, None)}
    try:
        batch_size = max(1, get_engine(job.engine).capabilities().batch_size)
    except KeyError:
        batch_size = 1
    while True:
        if GenerationJob.objects.filter(pk=job_id, cancel_requested=True).exists():
            _finish(job_id, GenerationJob.State.CANCELLED, kind="cancelled")
            break
        batch = list(JobLine.objects.filter(job_id=job_id, status=JobLine.Status.PENDING)[:batch_size])
        if not batch:
            job.refresh_from_db()
            state = GenerationJob.State.DONE
            error = f"{job.failed} line(s) could not be made." if job.failed else ""
            _finish(job_id, state, kind="complete", error=error)
            break
        for line in batch:
            _run_line(job, line, elements.get(line.line_id), on_line)
    job.refresh_from_db()
    return job


def _run_line(job: GenerationJob, line: JobLine, element: dict | None, on_line) -> None:
    # The attempt is counted (and committed) before the engine is called.
    JobLine.objects.filter(pk=line.pk).update(attempts=F("attempts") + 1)
    line.refresh_from_db(fields=["attempts"])
    if element is None:
        _record(job, line, "failed", error="This line is no longer in the script.")
    elif line.attempts > MAX_ATTEMPTS:
        _record(job, line, "failed", error=f"Gave up after {MAX_ATTEMPTS} tries: the voice engine kept stopping.")
    else:
        try:
            spec = line_spec_for(element, engine=job.engine, voice_assignments=job.voice_assignments)
            started = time.monotonic()
            row, cached = clip_for(spec, script=job.script, line_id=line.line_id)
            log.debug("line %s took %.3fs", line.line_id, time.monotonic() - started)
            _record(job, line, "cached" if cached else "done", engine=row.engine, seconds=row.duration)
        except (EngineFailed, EngineUnavailable) as exc:
            _record(job, line, "failed", error=str(exc) or exc.__class__.__name__)
        except OSError as exc:
            _record(job, line, "failed", error=f"Couldn't save the audio file: {exc.strerror or exc}")
    if on_line:
        line.refresh_from_db()
        on_line(line, line.status)


def job_events_since(job_id: int, after_id: int) -> list[JobEvent]:
    return list(JobEvent.objects.filter(job_id=job_id, id__gt=after_id).order_by("id")[:500])


def job_state(job: GenerationJob) -> dict:
    elapsed = None
    if job.started_at:
        elapsed = ((job.finished_at or timezone.now()) - job.started_at).total_seconds()
    return {
        "id": job.pk, "script_id": job.script_id, "session_id": str(job.session_id) if job.session_id else None,
        "engine": job.engine, "state": job.state, "total": job.total, "done": job.finished_count,
        "made": job.done, "cached": job.cached, "failed": job.failed, "error": job.error,
        "created_at": job.created_at, "started_at": job.started_at, "finished_at": job.finished_at,
        "elapsed_seconds": elapsed, "audio_seconds": round(job.audio_seconds, 2),
        "failures": [
            {"line_id": lid, "error": err}
            for lid, err in job.lines.filter(status=JobLine.Status.FAILED).values_list("line_id", "error")[:50]
        ],
    }
