"""What the teen's PIN sign-in may do, and what only a parent (signed in to the admin) may do."""

import pytest
from django.contrib.auth.models import User

from sessions_app.services import session_create
from sessions_app.signin import pin_verify
from tests.api.api_helpers import make_client
from tts_app.jobs import job_for
from tts_app.models import GenerationJob

pytestmark = pytest.mark.django_db


def _device(pin: str):
    signed_in = pin_verify(pin=pin, client_address="192.168.1.20")
    client = make_client()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {signed_in.token}")
    return client, signed_in.token_id


def _job(script, requested_by=None, for_a_rehearsal=True):
    session = session_create(script=script, user_role="maren")
    return job_for(script=script, engine=session.tts_engine, user_role="maren",
                   voice_assignments=session.voice_assignments, enqueue=False, requested_by=requested_by,
                   session_id=session.pk if for_a_rehearsal else None)


def test_a_teen_rehearses_uploads_and_chooses_voices(api, script):
    created = api.post("/api/scripts", {"markdown_source": "**A:** Hi.\n\n**B:** Hello.\n"}, format="json")
    assert created.status_code == 201
    session = api.post("/api/sessions", {"script_id": script.pk, "user_role": "maren"}, format="json").json()
    voice = api.get("/api/tts/voices", {"engine": session["tts_engine"]}).json()[1]["id"]
    changed = api.patch(f"/api/sessions/{session['id']}", {"voice_assignments": {"tobias": voice}}, format="json")
    assert changed.status_code == 200 and changed.json()["voice_assignments"]["tobias"] == voice


def test_a_teen_stops_a_rehearsals_generation_from_any_of_their_devices(pin, script):
    laptop, token_id = _device(pin)
    phone, _ = _device(pin)
    job = _job(script, token_id)
    assert phone.delete(f"/api/jobs/{job.pk}").status_code == 200
    assert GenerationJob.objects.get(pk=job.pk).cancel_requested


def test_a_teen_cannot_stop_a_generation_a_parent_started(pin, script):
    device, _ = _device(pin)
    job = _job(script, for_a_rehearsal=False)  # the admin's "generate every role"
    response = device.delete(f"/api/jobs/{job.pk}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "parents_only"
    assert not GenerationJob.objects.get(pk=job.pk).cancel_requested


def test_a_parent_stops_any_generation(parent_api, pin, script):
    job = _job(script, for_a_rehearsal=False)
    assert parent_api.delete(f"/api/jobs/{job.pk}").status_code == 200


def test_a_parent_signed_in_to_the_admin_uses_the_api_without_the_pin(parent_api, script):
    assert parent_api.get("/api/scripts").status_code == 200


def test_an_admin_account_that_is_not_staff_is_not_a_parent(db, script):
    User.objects.create_user("cousin", "", "a long cousin password")
    client = make_client()
    assert client.login(username="cousin", password="a long cousin password")
    assert client.get("/api/scripts").status_code == 401
