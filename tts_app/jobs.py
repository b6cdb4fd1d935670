"""Pre-generation jobs: create or reuse, run (idempotently), cancel, resume.

`job_run` is what the django-q2 task calls and what `manage.py pregenerate`
calls in the foreground; tests call it directly too.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from runthru_site.errors import UserError

from . import eta, events
from .clips import clips_make, owner_is_dead, process_owner
from .engines.registry import engine_names, get_engine
from .models import GenerationJob, JobEvent, JobLine, QueueTicket
from .queue_watch import HEARTBEAT_STALE, ticket_issue
from .selectors import job_fingerprint, line_spec_for, spoken_lines

log = logging.getLogger(__name__)

# Longer than any batch can take (32 lines, each allowed RUNTHRU_LINE_TIMEOUT on a slow engine
# before falling back): a claim this old is void even if its process id seems alive.
LINE_CLAIM_LIMIT = timedelta(hours=1)
# A line is tried at most this often: the count is committed before each try, so a
# line that kills its worker is given up instead of crashing every worker in turn.
MAX_ATTEMPTS = 3


@dataclass
class Outcome:
    line: JobLine
    status: str  # done | cached | failed | deferred (another worker is making the same clip)
    engine: str = ""
    error: str = ""
    seconds: float = 0.0


def _rehearsal_order(script, role: str | None, start_scene: int, start_line: int) -> list[str]:
    """The lines to make, the teen's current scene first (from their line on), then the scenes
    after it, then the ones before: rehearsal can start while the rest is made."""
    spoken = {el["id"] for el in spoken_lines(script, role)}
    scenes = [[el["id"] for el in scene["elements"] if el["id"] in spoken] for scene in script.scenes]
    if not scenes:
        return []
    current = min(max(0, int(start_scene or 0)), len(scenes) - 1)
    elements = script.scenes[current]["elements"]
    from_here = {el["id"] for el in elements[min(max(0, int(start_line or 0)), len(elements)):]}
    ordered = [lid for lid in scenes[current] if lid in from_here]
    ordered += [lid for lid in scenes[current] if lid not in from_here]
    for scene in scenes[current + 1:] + scenes[:current]:
        ordered += scene
    return ordered


def job_for(*, script, engine: str, user_role: str | None, voice_assignments: dict, session_id=None,
            start_scene: int = 0, start_line: int = 0, reuse: bool = True, enqueue: bool = True,
            requested_by: int | None = None) -> GenerationJob:
    """Start a job, or hand back the one already doing (or done with) the same work.

    `start_scene`/`start_line` is where the teen is: those lines are made first."""
    role = user_role or ""
    fingerprint = job_fingerprint(script, engine, role, voice_assignments)
    with transaction.atomic():
        existing = (
            GenerationJob.objects.select_for_update()
            .filter(fingerprint=fingerprint, state__in=[*GenerationJob.ACTIVE, GenerationJob.State.DONE])
            .order_by("-created_at")
            .first()
        )
        if reuse and existing and (existing.state != GenerationJob.State.DONE or existing.failed == 0):
            if existing.state in GenerationJob.ACTIVE and session_id is not None:
                _focus(GenerationJob.objects.filter(pk=existing.pk), start_scene, start_line)
            return existing
        lines = _rehearsal_order(script, role or None, start_scene, start_line)
        if not lines:
            raise UserError("There are no lines for RunThru to speak in this script.", code="nothing_to_generate")
        chars = {el["id"]: len(el["text"]) for el in spoken_lines(script, role or None)}
        job = GenerationJob.objects.create(
            script=script, session_id=session_id, engine=engine, user_role=role, voice_assignments=voice_assignments,
            fingerprint=fingerprint, total=len(lines), requested_by=requested_by,
            focus_scene=max(0, int(start_scene or 0)), focus_line=max(0, int(start_line or 0)),
            total_chars=sum(chars.get(lid, 0) for lid in lines),
        )
        JobLine.objects.bulk_create(JobLine(job=job, position=i, line_id=lid) for i, lid in enumerate(lines))
        if enqueue:
            transaction.on_commit(lambda: job_enqueue(job_id=job.pk))
    return job


def _focus(jobs, scene, line) -> int:
    return jobs.update(focus_scene=max(0, int(scene or 0)), focus_line=max(0, int(line or 0)),
                       focus_seq=F("focus_seq") + 1)


def jobs_follow(*, script, engine: str, user_role: str | None, voice_assignments: dict,
                scene: int, line: int) -> int:
    """The teen moved: the running job making this rehearsal's audio turns to their new place
    at its next batch. One UPDATE, so two devices moving at once end where the later one is."""
    fingerprint = job_fingerprint(script, engine, user_role or "", voice_assignments)
    return _focus(GenerationJob.objects.filter(fingerprint=fingerprint, state__in=GenerationJob.ACTIVE), scene, line)


def _follow_teen(job: GenerationJob, seen: dict) -> None:
    """Give the lines still waiting the order of the teen's latest place (lines being made or
    made already keep theirs, so nothing is made twice). Whichever worker sees the move first
    does it; the others find ordered_seq caught up."""
    with transaction.atomic():
        current = (GenerationJob.objects.select_for_update()
                   .only("focus_scene", "focus_line", "focus_seq", "ordered_seq").get(pk=job.pk))
        if current.ordered_seq >= current.focus_seq:
            return
        key = (current.focus_scene, current.focus_line)
        if key not in seen:
            seen.clear()  # bounded: only the latest place is kept
            order = _rehearsal_order(job.script, job.user_role or None, *key)
            seen[key] = {lid: i for i, lid in enumerate(order)}
        rank = seen[key]
        waiting = list(JobLine.objects.filter(job_id=job.pk, status=JobLine.Status.PENDING, owner="")
                       .only("pk", "line_id", "position"))
        moved = []
        for line in waiting:
            position = rank.get(line.line_id, len(rank) + line.position)
            if position != line.position:
                line.position = position
                moved.append(line)
        JobLine.objects.bulk_update(moved, ["position"], batch_size=500)
        GenerationJob.objects.filter(pk=job.pk).update(ordered_seq=current.focus_seq)


def job_enqueue(*, job_id: int) -> None:
    """Queue the job once per worker we want on it: they share its lines."""
    from django_q.tasks import async_task

    for _ in range(max(1, settings.RUNTHRU_WORKERS_PER_JOB)):
        async_task("tts_app.tasks.run_job", job_id, ticket_issue(job_id=job_id), group="generation")


def jobs_requeue_unstarted() -> int:
    """After a wedged cluster's restart (queue_watch): queue again the jobs whose tasks never
    started (they sat in the dead cluster's memory). Running a job's task twice is harmless."""
    unstarted = QueueTicket.objects.filter(started_at=None)
    job_ids = set(unstarted.values_list("job_id", flat=True))
    unstarted.delete()
    active = list(GenerationJob.objects.filter(pk__in=job_ids, state__in=GenerationJob.ACTIVE)
                  .values_list("pk", flat=True))
    for job_id in active:
        job_enqueue(job_id=job_id)
    return len(active)


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


def _start(job_id: int) -> bool:
    """Mark the job running (first worker in); False if it is over already."""
    now = timezone.now()
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.state not in GenerationJob.ACTIVE:
            return False
        job.state = GenerationJob.State.RUNNING
        job.heartbeat_at = now
        job.started_at = job.started_at or now
        job.save(update_fields=["state", "heartbeat_at", "started_at"])
    return True


def _lines_of_dead_workers(job_id: int, limit: int) -> list[int]:
    """Lines whose worker is gone: a process on this computer that no longer exists (known at
    once), or any claim older than LINE_CLAIM_LIMIT (a worker on another computer that went
    quiet, or a process id reused by a restarted worker). A live worker keeps its lines however
    slow it is: slow voices on a busy laptop can take a minute for a batch, and taking its lines
    then made every one of them twice (and counted twice)."""
    busy = JobLine.objects.filter(job_id=job_id, status=JobLine.Status.PENDING).exclude(owner="")
    dead = [o for o in busy.values_list("owner", flat=True).distinct() if owner_is_dead(o)]
    gone = busy.filter(models.Q(owner__in=dead) | models.Q(claimed_at__lt=timezone.now() - LINE_CLAIM_LIMIT))
    if connection.features.has_select_for_update_skip_locked:
        gone = gone.select_for_update(skip_locked=True)  # two workers never take the same line
    return list(gone.order_by("position").values_list("pk", flat=True)[:limit])


def _claim_batch(job_id: int, owner: str, size: int) -> list[JobLine]:
    """Take the next lines nobody is working on (or whose worker is gone).

    PostgreSQL: SKIP LOCKED lets workers claim side by side; SQLite's
    IMMEDIATE transactions queue them.
    """
    now = timezone.now()
    with transaction.atomic():
        free = JobLine.objects.filter(job_id=job_id, status=JobLine.Status.PENDING, owner="").order_by("position")
        if connection.features.has_select_for_update_skip_locked:
            free = free.select_for_update(skip_locked=True)
        ids = list(free.values_list("pk", flat=True)[:size])
        if len(ids) < size:
            ids += _lines_of_dead_workers(job_id, size - len(ids))
        JobLine.objects.filter(pk__in=ids).update(owner=owner, claimed_at=now)
    return list(JobLine.objects.filter(pk__in=ids, owner=owner).order_by("position"))


def _record(job: GenerationJob, outcomes: list[Outcome], owner: str, elements: dict) -> None:
    """Store a batch's results: line statuses, counters and one progress event per line."""
    deferred = [o.line.pk for o in outcomes if o.status == "deferred"]
    if deferred:
        JobLine.objects.filter(pk__in=deferred, owner=owner).update(owner="", claimed_at=None,
                                                                     attempts=F("attempts") - 1)
    outcomes = [o for o in outcomes if o.status != "deferred"]
    if not outcomes:
        return
    counts = {"made": 0, "cached": 0, "failed": 0}
    seconds = 0.0
    chars = {"finished_chars": 0, "made_chars": 0}
    for o in outcomes:
        counts["made" if o.status == "done" else o.status] += 1
        seconds += o.seconds
        length = len((elements.get(o.line.line_id) or {}).get("text", ""))
        chars["finished_chars"] += length
        chars["made_chars"] += length if o.status == "done" else 0
        o.line.status, o.line.engine_used, o.line.error = o.status, o.engine, o.error[:2000]
    with transaction.atomic():
        # One UPDATE per kind of result (a batch is nearly always all made by one engine): bulk_update's
        # CASE per row cost more than the rest of the bookkeeping (bench/pregenerate.py, espeak).
        same: dict[tuple, list[int]] = {}
        for o in outcomes:
            same.setdefault((o.line.status, o.line.engine_used, o.line.error), []).append(o.line.pk)
        for (status, engine, error), ids in same.items():
            JobLine.objects.filter(pk__in=ids).update(status=status, engine_used=engine, error=error)
        now = timezone.now()
        GenerationJob.objects.filter(pk=job.pk).update(
            **{k: F(k) + v for k, v in {**counts, **chars}.items()}, heartbeat_at=now,
            audio_seconds=F("audio_seconds") + seconds,
        )
        fresh = (GenerationJob.objects.select_for_update()
                 .only("made", "cached", "failed", "total", "started_at", "total_chars", "finished_chars",
                       "made_chars", "eta_seconds", "eta_at").get(pk=job.pk))
        left = _time_left(fresh, now)
        finished = fresh.finished_count - len(outcomes)
        new_events = []
        for o in outcomes:
            finished += 1
            new_events.append(JobEvent(job_id=job.pk, kind="line", payload={
                "line_id": o.line.line_id, "status": o.status, "engine": o.engine, "error": o.error[:300],
                "done": finished, "total": fresh.total, "seconds_left": left, "time_left": eta.time_left_words(left),
            }))
        created = JobEvent.objects.bulk_create(new_events)
        if created and created[-1].pk:
            transaction.on_commit(lambda: events.publish(job.pk, created[-1]))


def _time_left(job: GenerationJob, now) -> float | None:
    """Smooth the job's time left and store it, so every worker's next figure starts from the one shown."""
    if not job.total_chars:
        return None  # a job from before characters were counted
    elapsed = (now - job.started_at).total_seconds() if job.started_at else 0.0
    since = (now - job.eta_at).total_seconds() if job.eta_at else 0.0
    left = eta.seconds_left(remaining_chars=job.total_chars - job.finished_chars, made_chars=job.made_chars,
                            elapsed=elapsed, previous=job.eta_seconds, since_previous=since)
    if left is not None:
        left = round(left, 1)
        GenerationJob.objects.filter(pk=job.pk).update(eta_seconds=left, eta_at=now)
    return left


def _finish(job_id: int, state: str, *, kind: str, error: str = "") -> None:
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.state not in GenerationJob.ACTIVE:
            return
        job.state, job.error, job.finished_at = state, error, timezone.now()
        job.save(update_fields=["state", "error", "finished_at"])
        payload = {"state": state, "done": job.finished_count, "total": job.total, "made": job.made,
                   "cached": job.cached, "failed": job.failed, "error": error}
        event = JobEvent.objects.create(job_id=job_id, kind=kind, payload=payload)
        transaction.on_commit(lambda: events.publish(job_id, event))


def job_run(*, job_id: int, on_line: Callable[[JobLine, str], None] | None = None) -> GenerationJob | None:
    """Work through a job's pending lines. Safe to call twice, or after a crash."""
    owner = f"{process_owner()}:{uuid.uuid4().hex[:8]}"
    if not GenerationJob.objects.filter(pk=job_id).exists() or not _start(job_id):
        return None
    job = GenerationJob.objects.select_related("script").get(pk=job_id)
    script = job.script
    elements = {el["id"]: el for el in spoken_lines(script, None)}
    engine = get_engine(job.engine) if job.engine in engine_names() else None
    # Fast engines get big batches (bookkeeping per batch, not per line); GPU
    # engines get what they can decode at once.
    largest = 32 if engine is None or engine.capabilities().batch_size <= 1 else engine.capabilities().batch_size
    # Start with one line and double: a cue can be played once its batch is stored, so the
    # first one is ready after one line's work, not after a whole batch of slow voices.
    batch_size = 1
    orders: dict = {}
    try:
        while True:
            cancel, focus_seq, ordered_seq = GenerationJob.objects.filter(pk=job_id).values_list(
                "cancel_requested", "focus_seq", "ordered_seq").get()
            if cancel:
                _finish(job_id, GenerationJob.State.CANCELLED, kind="cancelled")
                break
            if focus_seq > ordered_seq:
                _follow_teen(job, orders)
            batch = _claim_batch(job_id, owner, batch_size)
            batch_size = min(largest, batch_size * 2)
            if not batch:
                if JobLine.objects.filter(job_id=job_id, status=JobLine.Status.PENDING).exists():
                    break  # the rest is in another worker's hands
                job.refresh_from_db()
                if job.failed and job.failed * 2 > job.total:
                    # Nothing (or too little) to rehearse with: say so as an error, with the first
                    # line's reason (a disk that filled up part way, say), not "complete".
                    what = ("None of the lines could be made." if job.failed == job.total
                            else f"{job.failed} of {job.total} lines could not be made.")
                    _finish(job_id, GenerationJob.State.FAILED, kind="error",
                            error=f"{what} {_first_failure(job_id)}".strip())
                else:
                    error = f"{job.failed} line(s) could not be made." if job.failed else ""
                    _finish(job_id, GenerationJob.State.DONE, kind="complete", error=error)
                break
            outcomes = _run_batch(job, batch, elements)
            _record(job, outcomes, owner, elements)
            if all(o.status == "deferred" for o in outcomes):
                time.sleep(0.1)  # everything here is being made elsewhere right now
            if on_line:
                for o in outcomes:
                    on_line(o.line, o.status)
    except BaseException:
        # django-q2 keeps a worker alive after a task's exception: give its lines back, or they
        # stay taken by a live process and the job never finishes (the attempt counts stay, so a
        # line that keeps crashing still gives up).
        JobLine.objects.filter(job_id=job_id, owner=owner, status=JobLine.Status.PENDING).update(
            owner="", claimed_at=None)
        raise
    job.refresh_from_db()
    return job


def _first_failure(job_id: int) -> str:
    failed = JobLine.objects.filter(job_id=job_id, status=JobLine.Status.FAILED).order_by("position")
    return failed.values_list("error", flat=True).first() or ""


def _run_batch(job: GenerationJob, lines: list[JobLine], elements: dict) -> list[Outcome]:
    # The attempt is counted (and committed) before any engine is called.
    ids = [line.pk for line in lines]
    JobLine.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1)
    attempts = dict(JobLine.objects.filter(pk__in=ids).values_list("pk", "attempts"))
    outcomes: list[Outcome] = []
    todo: list[JobLine] = []
    items = []
    for line in lines:
        element = elements.get(line.line_id)
        if element is None:
            outcomes.append(Outcome(line, "failed", error="This line is no longer in the script."))
        elif attempts[line.pk] > MAX_ATTEMPTS:
            outcomes.append(Outcome(line, "failed",
                                    error=f"Gave up after {MAX_ATTEMPTS} tries: the voice engine kept stopping."))
        else:
            todo.append(line)
            items.append((line_spec_for(element, engine=job.engine, voice_assignments=job.voice_assignments),
                          line.line_id))
    results = clips_make(items, script_id=job.script_id) if items else []
    for line, result in zip(todo, results, strict=True):
        if result.status == "busy":
            # Come back to it: by then the other worker has made it (cached) or died (claim void).
            outcomes.append(Outcome(line, "deferred"))
        elif result.status == "failed":
            outcomes.append(Outcome(line, "failed", error=result.error))
        else:
            outcomes.append(Outcome(line, "done" if result.status == "made" else "cached", engine=result.engine,
                                    seconds=result.row.duration))
    return outcomes


def job_events_since(job_id: int, after_id: int) -> list[JobEvent]:
    return list(JobEvent.objects.filter(job_id=job_id, id__gt=after_id).order_by("id")[:500])
