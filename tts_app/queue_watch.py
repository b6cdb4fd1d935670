"""Notice a wedged task queue.

Killing an idle django-q2 worker while it waits on the task queue leaves the queue's read
lock held forever (django-q2 issue #23): the replacement worker waits on that lock, and
every later job stays queued. From outside this looks like tasks waiting while none start,
and no job making progress. ``manage.py runthru`` checks this every few seconds and then
restarts the cluster and queues those jobs again (jobs.jobs_requeue_unstarted).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import GenerationJob, QueueTicket

KEEP_STARTED = timedelta(hours=1)
# A running job whose worker has not been heard from for this long is resumed (jobs.py), and
# is no sign that the queue still moves.
HEARTBEAT_STALE = timedelta(seconds=30)


def ticket_issue(*, job_id: int) -> int:
    return QueueTicket.objects.create(job_id=job_id).pk


def ticket_started(*, ticket_id) -> None:
    if not isinstance(ticket_id, int):
        return  # a task queued before tickets existed
    now = timezone.now()
    QueueTicket.objects.filter(pk=ticket_id, started_at=None).update(started_at=now)
    QueueTicket.objects.filter(started_at__lt=now - KEEP_STARTED).delete()


def queue_stall(now=None) -> str | None:
    """Why the queue looks wedged, or None: tasks waiting longer than the stall time, none
    started within it, and no job whose worker is still heard from."""
    now = now or timezone.now()
    after = timedelta(seconds=settings.RUNTHRU_QUEUE_STALL_SECONDS)
    waiting = QueueTicket.objects.filter(started_at=None, enqueued_at__lt=now - after)
    if not waiting.exists():
        return None
    if QueueTicket.objects.filter(started_at__gte=now - after).exists():
        return None  # the workers are just busy
    running = GenerationJob.objects.filter(state=GenerationJob.State.RUNNING, heartbeat_at__gte=now - HEARTBEAT_STALE)
    if running.exists():
        return None  # a long job is still making progress
    return (f"{waiting.count()} generation task(s) waited over {after.seconds} s and no worker started any "
            "(a worker probably died while waiting for work)")
