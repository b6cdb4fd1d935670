"""Scale-out mode: Redis goes away in the middle of a job and comes back."""

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import pytest
import redis
from asgiref.sync import sync_to_async
from channels.layers import channel_layers

from runthru_site.settings import redis_channel_layers
from sessions_app.services import session_create
from tests.helpers import REPO, child_env, job_socket, queued_job, run_job_and_listen, start_worker
from tts_app.jobs import job_for
from tts_app.models import GenerationJob, JobLine

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SCRIPTED_CLUSTER = """
import sys
from tests.helpers import ScriptedEngine
from tts_app.engines import registry
ScriptedEngine.delay = 0.15
registry.ENGINE_CLASSES = {"scripted": "tests.helpers:ScriptedEngine", **registry.ENGINE_CLASSES}
from django.core.management import call_command
call_command("qcluster")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_server(port: int, workdir: str) -> subprocess.Popen:
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", workdir], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            return proc
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def test_a_job_finishes_after_redis_restarts_in_the_middle(script, monkeypatch):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed here")
    from tests.helpers import ScriptedEngine, use_engine

    use_engine(monkeypatch, ScriptedEngine())
    port, workdir = _free_port(), tempfile.mkdtemp()
    url = f"redis://127.0.0.1:{port}/0"
    server = _redis_server(port, workdir)
    session = session_create(script=script, user_role="maren", tts_engine="scripted")
    job = job_for(script=script, engine="scripted", user_role="maren", voice_assignments=session.voice_assignments,
                  enqueue=False)
    cluster = subprocess.Popen([sys.executable, "-c", "import django; django.setup()\n" + SCRIPTED_CLUSTER],
                               cwd=REPO, env=child_env(REDIS_URL=url, RUNTHRU_WORKERS="1",
                                                       RUNTHRU_WORKERS_PER_JOB="1"),
                               start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        start_worker(f"from tts_app.jobs import job_enqueue; job_enqueue(job_id={job.pk})", REDIS_URL=url).wait()
        deadline = time.monotonic() + 60
        while not JobLine.objects.filter(job=job, status="done").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        server.send_signal(signal.SIGKILL)  # Redis dies mid-job ...
        server.wait()
        time.sleep(2)
        server = _redis_server(port, workdir)  # ... and comes back, empty
        deadline = time.monotonic() + 90
        while GenerationJob.objects.get(pk=job.pk).state != "done" and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        os.killpg(cluster.pid, signal.SIGKILL)
        server.send_signal(signal.SIGKILL)
        shutil.rmtree(workdir, ignore_errors=True)
    job.refresh_from_db()
    assert job.state == "done"
    assert job.made + job.cached == job.total and job.failed == 0


def test_a_websocket_stays_open_while_redis_restarts_and_hears_the_whole_job(script, signed_in, settings):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed here")
    port, workdir = _free_port(), tempfile.mkdtemp()
    url = f"redis://127.0.0.1:{port}/0"
    settings.REDIS_URL = url
    settings.CHANNEL_LAYERS = redis_channel_layers(url)
    channel_layers.backends = {}
    servers = [_redis_server(port, workdir)]
    job = queued_job(script)

    async def scenario():
        ws = job_socket(job, signed_in)
        assert (await ws.connect())[0]
        servers[0].kill()  # Redis dies under a listening socket ...
        await sync_to_async(servers[0].wait)()
        assert await ws.receive_nothing(timeout=2)
        servers[0] = await sync_to_async(_redis_server)(port, workdir)  # ... and comes back, empty
        messages = await run_job_and_listen(ws, job)
        await ws.disconnect()
        return messages

    try:
        messages = asyncio.run(scenario())
    finally:
        servers[0].kill()
        channel_layers.backends = {}
        shutil.rmtree(workdir, ignore_errors=True)
    job.refresh_from_db()
    assert [m["event"] for m in messages].count("line") == job.total
    assert messages[-1]["event"] == "complete"
