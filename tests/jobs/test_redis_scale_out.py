"""Scale-out mode on the real Redis at 127.0.0.1:6379: the django-q2 Redis broker
carries the work and channels_redis carries progress to WebSocket clients."""

import asyncio
import logging
import os
import signal
import subprocess
import sys

import pytest
import redis
from channels.layers import channel_layers

# Loaded here, not first inside a test: its django.setup() resets logging, which would drop caplog's handler.
import runthru_site.asgi  # noqa: F401, I001
from runthru_site.settings import redis_channel_layers
from tests.helpers import REPO, child_env, job_socket, queued_job, run_job_and_listen, start_worker
from tests.needs import missing
from web import consumers

REDIS_URL = "redis://127.0.0.1:6379/14"
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def redis_db():
    try:
        client = redis.Redis.from_url(REDIS_URL)
        client.ping()
    except redis.ConnectionError:
        missing("a Redis server at 127.0.0.1:6379")
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def redis_layer(redis_db, settings):
    settings.REDIS_URL = REDIS_URL
    settings.CHANNEL_LAYERS = redis_channel_layers(REDIS_URL)
    channel_layers.backends = {}
    yield
    channel_layers.backends = {}


def test_a_redis_worker_cluster_makes_the_audio_and_pushes_every_event_to_a_websocket(
    script, signed_in, redis_layer, monkeypatch
):
    # Only a Redis push makes the consumer look: proves events cross through channels_redis.
    monkeypatch.setattr(consumers, "POLL_SECONDS", 3600)
    job = queued_job(script)
    cluster = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=REPO,
                               env=child_env(REDIS_URL=REDIS_URL), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    async def scenario():
        ws = job_socket(job, signed_in)
        assert (await ws.connect())[0]
        enqueuer = start_worker(f"from tts_app.jobs import job_enqueue; job_enqueue(job_id={job.pk})",
                                REDIS_URL=REDIS_URL)
        messages = []
        while True:
            message = await ws.receive_json_from(timeout=60)
            messages.append(message)
            if message["event"] in ("complete", "error", "cancelled"):
                break
        await ws.disconnect()
        enqueuer.wait()
        return messages

    try:
        messages = asyncio.run(scenario())
    finally:
        os.killpg(cluster.pid, signal.SIGTERM)
        try:
            cluster.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(cluster.pid, signal.SIGKILL)
    job.refresh_from_db()
    assert job.state == "done" and job.made + job.cached == job.total
    assert [m["event"] for m in messages].count("line") == job.total
    assert messages[-1]["event"] == "complete"


def test_a_websocket_that_hears_nothing_for_a_while_stays_open_and_still_hears_pushes(
    script, signed_in, redis_layer, monkeypatch, caplog
):
    # The wait is longer than redis-py's default 5 s socket read: with that default the
    # socket closed with "internal error" before the job had even started.
    monkeypatch.setattr(consumers, "POLL_SECONDS", 3600)
    job = queued_job(script)

    async def scenario():
        ws = job_socket(job, signed_in)
        assert (await ws.connect())[0]
        assert await ws.receive_nothing(timeout=7.5)
        messages = await run_job_and_listen(ws, job)
        await ws.disconnect()
        return messages

    with caplog.at_level(logging.WARNING, logger="tts_app"):
        messages = asyncio.run(scenario())
    job.refresh_from_db()
    assert [m["event"] for m in messages].count("line") == job.total
    assert messages[-1]["event"] == "complete"
    assert not [r for r in caplog.records if "Redis is not answering" in r.getMessage()]
