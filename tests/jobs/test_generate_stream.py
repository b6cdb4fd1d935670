"""POST /api/sessions/{id}/generate: progress as server-sent events."""

import json

import pytest

from sessions_app.services import session_create
from tts_app.models import GenerationJob

pytestmark = pytest.mark.django_db(transaction=True)


def _events(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    events = []
    for block in body.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in fields:
            events.append({"id": int(fields["id"]), "event": fields["event"], "data": json.loads(fields["data"])})
    return events


def _generate(client, token, session, **headers):
    return client.post(f"/api/sessions/{session.pk}/generate", HTTP_HOST="localhost",
                       HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT="text/event-stream", **headers)


def test_it_streams_an_event_per_line_and_a_final_complete_event(client, signed_in, script):
    session = session_create(script=script, user_role="maren")
    response = _generate(client, signed_in, session)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    events = _events(response)
    lines = [e for e in events if e["event"] == "line"]
    job = GenerationJob.objects.get(pk=int(response["X-RunThru-Job"]))
    assert len(lines) == job.total > 0
    assert {e["data"]["status"] for e in lines} <= {"done", "cached"}
    assert all(e["data"]["engine"] == "espeak" for e in lines)
    assert [e["data"]["done"] for e in lines] == list(range(1, job.total + 1))
    assert events[-1]["event"] == "complete" and events[-1]["data"]["done"] == job.total


def test_a_client_that_reconnects_with_last_event_id_gets_only_what_it_missed(client, signed_in, script):
    session = session_create(script=script, user_role="maren")
    everything = _events(_generate(client, signed_in, session))
    middle = everything[5]["id"]
    resumed = _events(_generate(client, signed_in, session, HTTP_LAST_EVENT_ID=str(middle)))
    assert [e["id"] for e in resumed] == [e["id"] for e in everything if e["id"] > middle]


def test_generating_again_reuses_the_job(client, signed_in, script):
    session = session_create(script=script, user_role="maren")
    first = _generate(client, signed_in, session)
    b"".join(first.streaming_content)
    second = _generate(client, signed_in, session)
    assert first["X-RunThru-Job"] == second["X-RunThru-Job"]
    assert GenerationJob.objects.count() == 1


def test_the_job_can_be_followed_by_polling_and_cancelled(client, signed_in, script):
    session = session_create(script=script, user_role="maren")
    job_id = _generate(client, signed_in, session)["X-RunThru-Job"]
    auth = {"HTTP_HOST": "localhost", "HTTP_AUTHORIZATION": f"Bearer {signed_in}"}
    state = client.get(f"/api/jobs/{job_id}", **auth).json()
    assert state["state"] == "done" and state["done"] == state["total"] and state["failed"] == 0
    assert client.delete(f"/api/jobs/{job_id}", **auth).status_code == 200
    assert client.get("/api/jobs/999999", **auth).json()["error"]["code"] == "not_found"


def test_generating_needs_sign_in(client, script):
    session = session_create(script=script, user_role="maren")
    response = client.post(f"/api/sessions/{session.pk}/generate", HTTP_HOST="localhost")
    assert response.status_code == 401
    assert GenerationJob.objects.count() == 0


def test_after_generating_the_session_reports_every_line_ready(client, signed_in, script):
    session = session_create(script=script, user_role="maren")
    b"".join(_generate(client, signed_in, session).streaming_content)
    state = client.get(f"/api/sessions/{session.pk}", HTTP_HOST="localhost",
                       HTTP_AUTHORIZATION=f"Bearer {signed_in}").json()
    assert state["audio"]["ready"] == state["audio"]["total"] > 0
