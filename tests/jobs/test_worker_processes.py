"""Real worker processes: progress crosses processes, and a killed worker loses nothing."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from sessions_app.services import session_create
from tests.helpers import REPO, child_env, start_worker
from tts_app import audio, cache, jobs
from tts_app.jobs import job_for, job_run
from tts_app.models import AudioClip, GenerationJob, JobEvent, JobLine

pytestmark = [pytest.mark.django_db(transaction=True)]


def _session_job(script, enqueue):
    session = session_create(script=script, user_role="maren")
    return job_for(script=script, engine=session.tts_engine, user_role="maren",
                   voice_assignments=session.voice_assignments, session_id=session.pk, enqueue=enqueue)


def _wait(predicate, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _database_and_cache_agree(job):
    for line in JobLine.objects.filter(job=job):
        assert line.status in ("done", "cached", "failed"), line.status
        if line.status == "failed":
            assert line.error
    for row in AudioClip.objects.all():
        assert cache.file_ok(row.path, row.size)
        clip = audio.decode_wav(cache.absolute(row.path))
        assert audio.quality_problem(clip, "a few words here") is None or clip.duration > 0.2
    on_disk = {p.relative_to(cache.audio_root()).as_posix() for p in cache.audio_root().glob("*/*.mp3")}
    assert set(AudioClip.objects.all().values_list("path", flat=True)) <= on_disk
    assert not list(cache.audio_root().glob("*/.tmp-*"))


def _qcluster(**env):
    return subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=REPO, env=child_env(**env),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# Not marked slow, so the PostgreSQL run has it too: there a connection pool made before
# django-q2 forked its processes once handed one server connection to several of them.
def test_a_qcluster_with_the_orm_broker_makes_the_audio_and_the_web_side_sees_progress(script, monkeypatch):
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)  # enqueue for real, into the database broker
    cluster = _qcluster()
    try:
        job = _session_job(script, enqueue=True)
        assert _wait(lambda: GenerationJob.objects.get(pk=job.pk).state == "done", 90)
    finally:
        _stop(cluster)
    job.refresh_from_db()
    assert job.made + job.cached == job.total and job.failed == 0
    events = list(JobEvent.objects.filter(job=job).values_list("kind", flat=True))
    assert events.count("line") == job.total and events[-1] == "complete"
    _database_and_cache_agree(job)


SLOW_WORKER = """
from tests.helpers import ScriptedEngine, REPO
from tts_app.engines import registry
engine = ScriptedEngine(); engine.delay = 0.25
registry.ENGINE_CLASSES = {"scripted": "tests.helpers:ScriptedEngine", **registry.ENGINE_CLASSES}
registry._instances["scripted"] = engine
from tts_app.jobs import job_run
job_run(job_id=JOB_ID)
"""


@pytest.mark.slow
def test_a_worker_killed_mid_job_is_replaced_and_the_job_finishes(script, monkeypatch):
    from tests.helpers import ScriptedEngine, use_engine

    use_engine(monkeypatch, ScriptedEngine())
    session = session_create(script=script, user_role="maren", tts_engine="scripted")
    job = job_for(script=script, engine="scripted", user_role="maren", voice_assignments=session.voice_assignments,
                  enqueue=False)
    monkeypatch.setattr(jobs, "HEARTBEAT_STALE", jobs.timedelta(seconds=1))
    worker = start_worker(SLOW_WORKER.replace("JOB_ID", str(job.pk)))
    assert _wait(lambda: JobLine.objects.filter(job=job, attempts__gt=0).exists(), 60)
    time.sleep(0.6)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    job.refresh_from_db()
    assert job.state == "running" and job.finished_count < job.total  # it really died mid-job
    time.sleep(1.2)  # its claims go stale
    connection.close()
    finished = job_run(job_id=job.pk)
    assert finished.state == "done"
    assert finished.made + finished.cached + finished.failed == finished.total
    assert finished.failed == 0
    _database_and_cache_agree(finished)
