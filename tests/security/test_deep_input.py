"""Input built to break a parser: deep JSON and a resume id that is not a number get 400-class
answers, never a 500 with a traceback."""

import asyncio

import pytest

from tests.api.api_helpers import assert_error
from tests.helpers import job_socket, queued_job


def test_json_nested_a_thousand_deep_is_a_400_before_sign_in(anon):
    deep = "[" * 1000 + "]" * 1000
    response = anon.post("/api/auth/verify", deep, content_type="application/json")
    assert_error(response, 400)


def test_json_nested_a_thousand_deep_is_a_400_for_a_signed_in_device_too(api):
    deep = '{"markdown_source": ' + "[" * 5000 + "]" * 5000 + "}"
    assert_error(api.post("/api/scripts", deep, content_type="application/json"), 400)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("last_event_id", ["abc", "1.5", "%F0%9F%98%80"])
def test_a_websocket_resuming_from_a_nonsense_event_id_is_refused_cleanly(script, signed_in, last_event_id):
    job = queued_job(script)

    async def connect():
        ws = job_socket(job, signed_in)
        ws.scope["query_string"] += f"&last_event_id={last_event_id}".encode()
        try:
            return await ws.connect()
        finally:
            await ws.disconnect()

    connected, code = asyncio.run(connect())
    assert not connected and code == 4400
