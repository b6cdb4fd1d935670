"""The HTTP handler daphne serves (runthru_site/http.py), driven in this process over ASGI."""

import asyncio
import threading

import pytest
from django.db import connection
from django.db.backends.signals import connection_created
from django.http import JsonResponse, StreamingHttpResponse
from django.test import override_settings
from django.urls import path

from runthru_site.http import PooledASGIHandler

pytestmark = pytest.mark.django_db(transaction=True)

release = threading.Event()
produced = []


def count_view(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"thread": threading.current_thread().name})


def slow_stream_view(request):
    def parts():
        produced.append("first")
        yield b"first\n"
        # The second part waits until the client has seen the first.
        release.wait(10)
        produced.append("second")
        yield b"second\n"

    return StreamingHttpResponse(parts(), content_type="text/plain")


urlpatterns = [path("count", count_view), path("stream", slow_stream_view)]


async def _get(app, url, on_body=None, disconnect=None):
    scope = {"type": "http", "method": "GET", "path": url, "raw_path": url.encode(), "query_string": b"",
             "headers": [(b"host", b"localhost")], "server": ("localhost", 80), "client": ("127.0.0.1", 5000),
             "scheme": "http", "root_path": "", "http_version": "1.1", "asgi": {"version": "3.0"}}
    sent_body = [False]
    gone = disconnect or asyncio.Event()

    async def receive():
        if not sent_body[0]:
            sent_body[0] = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    messages = []

    async def send(message):
        messages.append(message)
        if message["type"] == "http.response.body" and on_body:
            on_body(message)

    await app(scope, receive, send)
    gone.set()
    return messages


@override_settings(ROOT_URLCONF=__name__)
def test_requests_reuse_a_few_threads_and_their_database_connections():
    if not connection.settings_dict["CONN_MAX_AGE"]:
        pytest.skip("with PostgreSQL, connections are reused through a pool instead")
    app = PooledASGIHandler(threads=2, stream_threads=2)
    opened = []

    def on_open(sender, connection, **kwargs):
        opened.append(threading.current_thread().name)

    connection_created.connect(on_open)
    try:
        async def many():
            return await asyncio.gather(*(_get(app, "/count") for _ in range(30)))

        answers = asyncio.run(many())
    finally:
        connection_created.disconnect(on_open)
    assert all(msgs[0]["status"] == 200 for msgs in answers)
    # 30 requests, 2 threads: at most one connection each, not one per request.
    assert 1 <= len(opened) <= 2
    assert all(name.startswith("http") for name in opened)


@override_settings(ROOT_URLCONF=__name__)
def test_a_stream_reaches_the_client_part_by_part():
    app = PooledASGIHandler(threads=2, stream_threads=2)
    release.clear()
    produced.clear()
    seen_before_second = []

    def on_body(message):
        if message.get("body"):
            seen_before_second.append((message["body"], list(produced)))
            release.set()

    messages = asyncio.run(_get(app, "/stream", on_body=on_body))
    assert messages[0]["status"] == 200
    # The first part was sent while the generator was still waiting to make the second.
    assert seen_before_second[0] == (b"first\n", ["first"])
    assert b"".join(m.get("body", b"") for m in messages[1:]) == b"first\nsecond\n"
    assert messages[-1] == {"type": "http.response.body"}


@override_settings(ROOT_URLCONF=__name__)
def test_it_stops_reading_a_stream_when_the_client_goes_away():
    app = PooledASGIHandler(threads=2, stream_threads=2)
    release.clear()
    produced.clear()

    async def run():
        gone = asyncio.Event()

        def on_body(message):
            if message.get("body") == b"first\n":
                gone.set()  # the client hangs up after the first part

        task = asyncio.ensure_future(_get(app, "/stream", on_body=on_body, disconnect=gone))
        await gone.wait()
        await asyncio.sleep(0.1)
        release.set()
        return await asyncio.wait_for(task, 5)

    messages = asyncio.run(run())
    bodies = [m.get("body") for m in messages if m["type"] == "http.response.body"]
    assert b"second\n" not in bodies
