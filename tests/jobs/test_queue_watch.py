"""What counts as a wedged task queue: tasks waiting while none start and no job makes progress.
Busy workers (a long job still heard from, or a task started lately) are not a stall."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.helpers import queued_job
from tts_app.jobs import jobs_requeue_unstarted
from tts_app.models import GenerationJob, QueueTicket
from tts_app.queue_watch import queue_stall, ticket_issue, ticket_started

pytestmark = pytest.mark.django_db


def _age(ticket_id: int, seconds: float, started: bool = False) -> None:
    when = timezone.now() - timedelta(seconds=seconds)
    QueueTicket.objects.filter(pk=ticket_id).update(enqueued_at=when, started_at=when if started else None)


def test_a_task_waiting_over_a_minute_with_nothing_started_is_a_stall(script):
    job = queued_job(script)
    _age(ticket_issue(job_id=job.pk), 61)
    assert "waited over 60 s" in queue_stall()


def test_a_task_queued_just_now_is_not_a_stall(script):
    job = queued_job(script)
    _age(ticket_issue(job_id=job.pk), 30)
    assert queue_stall() is None


def test_workers_that_started_a_task_lately_are_busy_not_stuck(script):
    job = queued_job(script)
    _age(ticket_issue(job_id=job.pk), 120)
    _age(ticket_issue(job_id=job.pk), 20, started=True)
    assert queue_stall() is None


def test_a_long_job_still_heard_from_is_not_a_stall(script):
    job = queued_job(script)
    _age(ticket_issue(job_id=job.pk), 300)
    GenerationJob.objects.filter(pk=job.pk).update(state="running", heartbeat_at=timezone.now())
    assert queue_stall() is None


def test_a_started_task_is_marked_and_old_marks_are_cleared(script):
    job = queued_job(script)
    old, new = ticket_issue(job_id=job.pk), ticket_issue(job_id=job.pk)
    _age(old, 7200, started=True)
    ticket_started(ticket_id=new)
    assert list(QueueTicket.objects.values_list("pk", flat=True)) == [new]
    assert QueueTicket.objects.get().started_at is not None


def test_after_a_restart_the_jobs_whose_tasks_never_started_are_queued_again(script, monkeypatch):
    queued: list[int] = []
    job = queued_job(script)
    finished = queued_job(script, user_role="tobias")
    GenerationJob.objects.filter(pk=finished.pk).update(state="done")
    for j in (job, finished):
        _age(ticket_issue(job_id=j.pk), 120)
    monkeypatch.setattr("tts_app.jobs.job_enqueue", lambda *, job_id: queued.append(job_id))
    assert jobs_requeue_unstarted() == 1
    assert queued == [job.pk]
    assert not QueueTicket.objects.exists()
    assert jobs_requeue_unstarted() == 0
