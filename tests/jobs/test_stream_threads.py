"""Progress streams that wait cost no thread: idle streams cannot starve a new one (each used to
hold one of the web process's stream threads: with 100 idle streams a new stream's first event
took 16 s), and one device cannot open streams without end."""

import asyncio
import json
import time

import pytest

from runthru_site.http import PooledASGIHandler
from sessions_app import limits
from tests.helpers import queued_job

pytestmark = pytest.mark.django_db(transaction=True)


class Stream:
    """One GET /api/jobs/{id} as an event stream, driven over ASGI like daphne does."""

    def __init__(self, app, job_id: int, token: str):
        self.gone = asyncio.Event()
        self.first_part = asyncio.Event()
        self.messages: list[dict] = []
        scope = {"type": "http", "method": "GET", "path": f"/api/jobs/{job_id}", "raw_path": b"",
                 "query_string": b"", "server": ("localhost", 80), "client": ("127.0.0.1", 5000),
                 "scheme": "http", "root_path": "", "http_version": "1.1", "asgi": {"version": "3.0"},
                 "headers": [(b"host", b"localhost"), (b"accept", b"text/event-stream"),
                             (b"authorization", f"Bearer {token}".encode())]}
        self.task = asyncio.ensure_future(app(scope, self._receive, self._send))

    async def _receive(self):
        if not hasattr(self, "_asked"):
            self._asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message):
        self.messages.append(message)
        if message["type"] == "http.response.body" and message.get("body"):
            self.first_part.set()

    @property
    def status(self) -> int:
        return self.messages[0]["status"]

    async def close(self):
        self.gone.set()
        await asyncio.wait_for(self.task, 10)


def sign_in(client, pin: str) -> str:
    return client.post("/api/auth/verify", {"pin": pin}, content_type="application/json",
                       HTTP_HOST="localhost").json()["token"]


def test_a_new_stream_starts_at_once_while_others_wait_idle(script, signed_in):
    job = queued_job(script)
    app = PooledASGIHandler(threads=2, stream_threads=1)

    async def scenario() -> float:
        idle = [Stream(app, job.pk, signed_in) for _ in range(limits.PROGRESS_STREAMS_PER_DEVICE - 1)]
        for stream in idle:
            await asyncio.wait_for(stream.first_part.wait(), 10)
        await asyncio.sleep(0.5)  # they are all waiting for events now
        t0 = time.monotonic()
        new = Stream(app, job.pk, signed_in)
        await asyncio.wait_for(new.first_part.wait(), 20)
        waited = time.monotonic() - t0
        for stream in [*idle, new]:
            await stream.close()
        return waited

    assert asyncio.run(scenario()) < 1.5


def test_one_device_may_follow_a_few_streams_at_once_not_more(client, script, signed_in):
    job = queued_job(script)
    app = PooledASGIHandler(threads=2, stream_threads=2)
    other_device = sign_in(client, "246813")

    async def scenario():
        allowed = [Stream(app, job.pk, signed_in) for _ in range(limits.PROGRESS_STREAMS_PER_DEVICE)]
        for stream in allowed:
            await asyncio.wait_for(stream.first_part.wait(), 10)
        refused = Stream(app, job.pk, signed_in)
        await asyncio.wait_for(refused.task, 10)
        body = json.loads(b"".join(m.get("body", b"") for m in refused.messages[1:]))
        elsewhere = Stream(app, job.pk, other_device)
        await asyncio.wait_for(elsewhere.first_part.wait(), 10)
        await allowed[0].close()  # a tab closed: its place is free again
        again = Stream(app, job.pk, signed_in)
        await asyncio.wait_for(again.first_part.wait(), 10)
        for stream in [*allowed[1:], elsewhere, again]:
            await stream.close()
        return refused.status, body, elsewhere.status, again.status

    refused, body, elsewhere, again = asyncio.run(scenario())
    assert refused == 429 and body["error"]["code"] == "too_many_streams"
    assert "other tabs" in body["error"]["message"]
    assert elsewhere == again == 200
