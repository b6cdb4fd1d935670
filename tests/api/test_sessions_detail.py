"""GET /api/sessions/{id}."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions_app.models import RehearsalSession
from tts_app.jobs import job_for, job_run

from .api_helpers import assert_error


@pytest.fixture
def session(api, script):
    return api.post("/api/sessions", {"script_id": script.pk, "user_role": "tobias",
                                      "tts_engine": "espeak"}, format="json").json()


def test_it_shows_the_current_line_and_whether_it_is_yours(api, session):
    body = api.get(f"/api/sessions/{session['id']}").json()
    assert body["current_element"]["type"] == "direction"
    assert body["is_user_line"] is False
    api.patch(f"/api/sessions/{session['id']}", {"current_line_index": 1}, format="json")
    body = api.get(f"/api/sessions/{session['id']}").json()
    assert body["current_element"]["character"] == "tobias"
    assert body["is_user_line"] is True


def test_it_updates_when_the_rehearsal_was_last_opened(api, session):
    old = timezone.now() - timedelta(days=3)
    RehearsalSession.objects.filter(pk=session["id"]).update(last_accessed_at=old)
    body = api.get(f"/api/sessions/{session['id']}").json()
    assert body["last_accessed_at"] > old.isoformat()[:19]
    assert RehearsalSession.objects.get(pk=session["id"]).last_accessed_at > old


@pytest.mark.slow
def test_it_counts_the_audio_that_is_ready(api, session):
    row = RehearsalSession.objects.select_related("script").get(pk=session["id"])
    total = api.get(f"/api/sessions/{session['id']}").json()["audio"]["total"]
    job = job_for(script=row.script, engine=row.tts_engine, user_role=row.user_role,
                  voice_assignments=row.voice_assignments, enqueue=False)
    job_run(job_id=job.pk)
    assert api.get(f"/api/sessions/{session['id']}").json()["audio"] == {"ready": total, "total": total}


@pytest.mark.parametrize("pk", ["00000000-0000-0000-0000-000000000000", "nope", "1", "..%2F.."])
def test_it_says_an_unknown_rehearsal_is_not_found(api, db, pk):
    assert_error(api.get(f"/api/sessions/{pk}"), 404)
