"""Lines in a worker's hands: first cues come quickly, and a slow worker's lines are not made twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tts_app.clips import process_owner
from tts_app.jobs import job_for, job_run
from tts_app.models import AudioClip, GenerationJob, JobLine
from tts_app.services import default_voice_assignments

pytestmark = pytest.mark.django_db


def _job(script, role="maren"):
    voices = default_voice_assignments(script=script, user_role=role, engine="espeak")
    return job_for(script=script, engine="espeak", user_role=role, voice_assignments=voices, enqueue=False)


def test_the_first_cue_can_be_played_as_soon_as_it_is_made(script):
    """The rehearse page plays a cue once its clip row exists: the first one must not wait for a
    whole batch of lines behind it (with slow voices that was half a minute)."""
    ready_at_each_step = []
    job_run(job_id=_job(script).pk,
            on_line=lambda line, status: ready_at_each_step.append(AudioClip.objects.count()))
    assert ready_at_each_step[0] == 1
    assert ready_at_each_step[-1] == AudioClip.objects.count() > 2


def test_a_live_worker_keeps_its_lines_however_long_they_take(script):
    job = _job(script)
    slow = JobLine.objects.filter(job=job).order_by("position").first()
    # Another worker process on this computer (alive: it is this one) took this line a minute ago.
    JobLine.objects.filter(pk=slow.pk).update(owner=f"{process_owner()}:0ther0ne",
                                              claimed_at=timezone.now() - timedelta(minutes=1))
    job_run(job_id=job.pk)
    slow.refresh_from_db()
    assert slow.status == JobLine.Status.PENDING and slow.owner.endswith("0ther0ne")
    job.refresh_from_db()
    assert job.made + job.cached == job.total - 1  # every other line, each counted once
    assert job.state == GenerationJob.State.RUNNING


def test_a_line_held_by_another_computer_for_too_long_is_taken_over(script):
    job = _job(script)
    stuck = JobLine.objects.filter(job=job).order_by("position").first()
    JobLine.objects.filter(pk=stuck.pk).update(owner="gpu-box-that-went-away:4242:abc",
                                               claimed_at=timezone.now() - timedelta(hours=2))
    job = job_run(job_id=job.pk)
    stuck.refresh_from_db()
    assert stuck.status != JobLine.Status.PENDING
    assert job.state == GenerationJob.State.DONE and job.made + job.cached == job.total


def test_a_run_that_crashes_gives_its_lines_back_so_the_job_still_finishes(script, monkeypatch):
    """django-q2 catches a task's exception and the worker lives on: lines it had taken must not
    stay taken by a live process, or progress sticks at 15 of 16 for good."""
    from tts_app import jobs

    job = _job(script)
    real, calls = jobs.clips_make, {"n": 0}

    def locked_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(jobs, "clips_make", locked_once)
    with pytest.raises(RuntimeError):
        job_run(job_id=job.pk)
    job = job_run(job_id=job.pk)  # the stall watcher runs it again
    assert job.state == GenerationJob.State.DONE and job.made + job.cached == job.total


def test_a_line_held_for_far_too_long_is_taken_over_even_from_a_process_that_seems_alive(script):
    """A restarted worker can get the same process id as the one that died (containers): past
    any batch's possible time, the claim is void."""
    job = _job(script)
    stuck = JobLine.objects.filter(job=job).order_by("position").first()
    JobLine.objects.filter(pk=stuck.pk).update(owner=f"{process_owner()}:0ld0ne",
                                               claimed_at=timezone.now() - timedelta(hours=2))
    job = job_run(job_id=job.pk)
    assert job.state == GenerationJob.State.DONE and job.made + job.cached == job.total
