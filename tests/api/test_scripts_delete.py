"""DELETE /api/scripts/{id}: the script, its rehearsals and the audio only it used."""

from scripts_app.models import Script
from sessions_app.models import RehearsalSession
from tts_app import cache
from tts_app.jobs import job_for, job_run
from tts_app.models import AudioClip

from .api_helpers import assert_error


def test_it_deletes_a_script_its_sessions_and_its_audio(api, small_script, django_capture_on_commit_callbacks):
    session = api.post("/api/sessions", {"script_id": small_script.pk, "user_role": "nora"}, format="json").json()
    job = job_for(script=small_script, engine="espeak", user_role="nora",
                  voice_assignments=RehearsalSession.objects.get(pk=session["id"]).voice_assignments, enqueue=False)
    job_run(job_id=job.pk)
    paths = [cache.absolute(p) for p in AudioClip.objects.filter(script=small_script).values_list("path", flat=True)]
    assert paths and all(p.exists() for p in paths)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(f"/api/scripts/{small_script.pk}")

    assert response.status_code == 204
    assert not Script.objects.filter(pk=small_script.pk).exists()
    assert not RehearsalSession.objects.filter(pk=session["id"]).exists()
    assert not AudioClip.objects.exists()
    assert not any(p.exists() for p in paths)
    assert_error(api.get(f"/api/scripts/{small_script.pk}"), 404)


def test_it_keeps_audio_another_script_still_uses(api, small_script, django_capture_on_commit_callbacks):
    from scripts_app.services import script_create

    from .api_helpers import SMALL_PLAY

    twin = script_create(source=SMALL_PLAY, title="Twin")
    for s in (small_script, twin):
        job_run(job_id=job_for(script=s, engine="espeak", user_role=None, voice_assignments={}, enqueue=False).pk)
    twin_paths = [cache.absolute(p) for p in AudioClip.objects.filter(script=twin).values_list("path", flat=True)]
    assert twin_paths

    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"/api/scripts/{small_script.pk}").status_code == 204

    assert all(p.exists() for p in twin_paths)


def test_it_says_an_unknown_script_is_not_found(api, db):
    assert_error(api.delete("/api/scripts/31337"), 404)
