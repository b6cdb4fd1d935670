"""WebSocket /ws/jobs/{id}/: the same events as SSE, the same sign-in rules, and an origin check."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from runthru_site.asgi import application
from tests.helpers import queued_job
from tts_app.jobs import job_run
from tts_app.models import JobEvent

pytestmark = pytest.mark.django_db(transaction=True)

LOCAL = [(b"host", b"localhost"), (b"origin", b"http://localhost")]


async def _receive_all(communicator, limit=200):
    messages = []
    while len(messages) < limit:
        message = await communicator.receive_json_from(timeout=10)
        messages.append(message)
        if message["event"] in ("complete", "error", "cancelled"):
            break
    return messages


def test_a_signed_in_client_hears_every_line_then_complete(script, signed_in):
    job = queued_job(script)

    async def scenario():
        ws = WebsocketCommunicator(application, f"/ws/jobs/{job.pk}/?token={signed_in}", headers=LOCAL)
        connected, _ = await ws.connect()
        assert connected
        # the job runs after the client connected: events arrive live
        runner = asyncio.ensure_future(sync_to_async(job_run, thread_sensitive=False)(job_id=job.pk))
        messages = await _receive_all(ws)
        await runner
        await ws.disconnect()
        return messages

    messages = asyncio.run(scenario())
    lines = [m for m in messages if m["event"] == "line"]
    assert len(lines) == job.total
    assert messages[-1]["event"] == "complete"
    assert [m["id"] for m in messages] == sorted(m["id"] for m in messages)


def test_a_client_that_reconnects_resumes_after_the_last_event_it_saw(script, signed_in):
    job = queued_job(script)
    job_run(job_id=job.pk)
    ids = list(JobEvent.objects.filter(job=job).values_list("id", flat=True))

    async def scenario():
        ws = WebsocketCommunicator(application, f"/ws/jobs/{job.pk}/?token={signed_in}&last_event_id={ids[3]}",
                                   headers=LOCAL)
        assert (await ws.connect())[0]
        messages = await _receive_all(ws)
        await ws.disconnect()
        return messages

    assert [m["id"] for m in asyncio.run(scenario())] == ids[4:]


def test_a_client_without_sign_in_is_turned_away(script):
    job = queued_job(script)

    async def scenario():
        ws = WebsocketCommunicator(application, f"/ws/jobs/{job.pk}/?token=forged", headers=LOCAL)
        connected, code = await ws.connect()
        return connected, code

    connected, code = asyncio.run(scenario())
    assert not connected and code == 4401


@pytest.mark.parametrize(("origin", "allowed"), [
    (b"http://localhost:8000", True),
    (b"http://localhost:3000", False),  # another program's page on the same computer
    (b"http://localhost", False),  # port 80 is another server too
    (b"https://localhost:8000", True),
    (b"http://127.0.0.1:8000", False),
    (b"null", False),
])
def test_only_a_page_on_the_same_host_and_port_may_connect(script, signed_in, origin, allowed):
    job = queued_job(script)

    async def scenario():
        ws = WebsocketCommunicator(application, f"/ws/jobs/{job.pk}/?token={signed_in}",
                                   headers=[(b"host", b"localhost:8000"), (b"origin", origin)])
        connected, _ = await ws.connect()
        if connected:
            await ws.disconnect()
        return connected

    assert asyncio.run(scenario()) is allowed


def test_a_page_from_another_site_is_turned_away(script, signed_in):
    job = queued_job(script)

    async def scenario():
        ws = WebsocketCommunicator(application, f"/ws/jobs/{job.pk}/?token={signed_in}",
                                   headers=[(b"host", b"localhost"), (b"origin", b"http://evil.example")])
        connected, _ = await ws.connect()
        return connected

    assert asyncio.run(scenario()) is False
