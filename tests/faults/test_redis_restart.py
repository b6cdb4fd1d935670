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
from tests.helpers import REPO, ScriptedEngine, child_env, job_socket, start_worker, use_engine
from tests.needs import missing
from tts_app.engines.base import Capabilities
from tts_app.jobs import job_for, job_run
from tts_app.models import AudioClip, GenerationJob

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SCRIPTED_CLUSTER = """
import sys
from tests.helpers import ScriptedEngine
from tts_app.engines import registry
from tts_app.engines.base import Capabilities
ScriptedEngine.delay = 0.5  # 16 lines: about 8 s, far longer than the outage
# Two lines at a time, so clips appear all through the job.
ScriptedEngine.capabilities = lambda self: Capabilities(sample_rate=22050, batch_size=2)
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


def _clips_made() -> int:
    return AudioClip.objects.count()


def test_a_job_finishes_after_redis_restarts_in_the_middle(script, monkeypatch):
    if shutil.which("redis-server") is None:
        missing("redis-server (apt-get install redis-server)")
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
        while _clips_made() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.send_signal(signal.SIGKILL)  # Redis dies mid-job ...
        server.wait()
        made_when_redis_died = _clips_made()
        assert GenerationJob.objects.get(pk=job.pk).state == "running"
        assert 0 < made_when_redis_died < job.total
        time.sleep(2)
        server = _redis_server(port, workdir)  # ... and comes back, empty
        made_when_redis_came_back = _clips_made()
        assert made_when_redis_came_back < job.total, "the job finished during the outage: nothing was tested"
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
    assert _clips_made() > made_when_redis_came_back  # work went on after Redis was back


class PairsEngine(ScriptedEngine):
    """Makes two lines at a time, so progress events arrive all through the job."""

    delay = 0.3

    def capabilities(self) -> Capabilities:
        return Capabilities(sample_rate=22050, batch_size=2)


def test_a_websocket_stays_open_while_redis_restarts_mid_job_and_hears_every_line(script, signed_in, settings,
                                                                                  monkeypatch):
    if shutil.which("redis-server") is None:
        missing("redis-server (apt-get install redis-server)")
    use_engine(monkeypatch, PairsEngine())
    port, workdir = _free_port(), tempfile.mkdtemp()
    url = f"redis://127.0.0.1:{port}/0"
    settings.REDIS_URL = url
    settings.CHANNEL_LAYERS = redis_channel_layers(url)
    channel_layers.backends = {}
    servers = [_redis_server(port, workdir)]
    session = session_create(script=script, user_role="maren", tts_engine="scripted")
    job = job_for(script=script, engine="scripted", user_role="maren", voice_assignments=session.voice_assignments,
                  session_id=session.pk, enqueue=False)
    progress = {}

    def finished() -> int:
        return GenerationJob.objects.get(pk=job.pk).finished_count

    async def scenario():
        ws = job_socket(job, signed_in)
        assert (await ws.connect())[0]
        runner = asyncio.ensure_future(sync_to_async(job_run, thread_sensitive=False)(job_id=job.pk))
        messages = [await ws.receive_json_from(timeout=30)]
        servers[0].kill()  # Redis dies under a listening socket, while the job runs ...
        await sync_to_async(servers[0].wait)()
        progress["when_redis_died"] = await sync_to_async(finished)()
        await asyncio.sleep(2)
        servers[0] = await sync_to_async(_redis_server)(port, workdir)  # ... and comes back, empty
        progress["when_redis_came_back"] = await sync_to_async(finished)()
        progress["heard_before"] = len(messages)
        while messages[-1]["event"] not in ("complete", "error", "cancelled"):
            messages.append(await ws.receive_json_from(timeout=30))
        await runner
        await ws.disconnect()
        return messages

    try:
        messages = asyncio.run(scenario())
    finally:
        servers[0].kill()
        channel_layers.backends = {}
        shutil.rmtree(workdir, ignore_errors=True)
    job.refresh_from_db()
    assert 0 < progress["when_redis_died"] < job.total  # the job was running when Redis died
    assert progress["when_redis_came_back"] < job.total, "the job finished during the outage: nothing was tested"
    lines = [m["data"]["line_id"] for m in messages if m["event"] == "line"]
    assert len(lines) == len(set(lines)) == job.total  # every line once, none lost, none twice
    assert messages[-1]["event"] == "complete"
