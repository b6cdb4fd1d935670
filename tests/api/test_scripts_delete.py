"""DELETE /api/scripts/{id}: parents only; the script, its rehearsals and audio are hidden,
can be brought back for a while, and then go for good (with the audio only it used)."""

from datetime import timedelta

from django.utils import timezone

from scripts_app.models import Script
from sessions_app.models import RehearsalSession
from tts_app import cache
from tts_app.jobs import job_for, job_run
from tts_app.models import AudioClip
from tts_app.purge import purge_deleted_scripts

from .api_helpers import assert_error


def _expire_undo(script) -> None:
    Script.objects.filter(pk=script.pk).update(deleted_at=timezone.now() - timedelta(days=31))


def test_a_teen_cannot_delete_a_script(api, small_script):
    error = assert_error(api.delete(f"/api/scripts/{small_script.pk}"), 403, "parents_only")
    assert "Ask a parent" in error["message"]
    assert api.get(f"/api/scripts/{small_script.pk}").status_code == 200


def test_a_parent_deletes_a_script_undoably_then_it_goes_for_good(api, parent_api, small_script,
                                                                   django_capture_on_commit_callbacks):
    session = api.post("/api/sessions", {"script_id": small_script.pk, "user_role": "nora"}, format="json").json()
    job = job_for(script=small_script, engine="espeak", user_role="nora",
                  voice_assignments=RehearsalSession.objects.get(pk=session["id"]).voice_assignments, enqueue=False)
    job_run(job_id=job.pk)
    paths = [cache.absolute(p) for p in AudioClip.objects.filter(script=small_script).values_list("path", flat=True)]
    assert paths and all(p.exists() for p in paths)

    assert parent_api.delete(f"/api/scripts/{small_script.pk}").status_code == 204
    assert_error(api.get(f"/api/scripts/{small_script.pk}"), 404)
    assert_error(api.get(f"/api/sessions/{session['id']}"), 404)
    assert all(p.exists() for p in paths)  # nothing lost yet: a parent can bring it back

    _expire_undo(small_script)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_deleted_scripts() == 1
    assert not Script.objects.filter(pk=small_script.pk).exists()
    assert not RehearsalSession.objects.filter(pk=session["id"]).exists()
    assert not AudioClip.objects.exists()
    assert not any(p.exists() for p in paths)


def test_it_keeps_audio_another_script_still_uses(parent_api, small_script, django_capture_on_commit_callbacks):
    from scripts_app.services import script_create

    from .api_helpers import SMALL_PLAY

    twin = script_create(source=SMALL_PLAY, title="Twin")
    for s in (small_script, twin):
        job_run(job_id=job_for(script=s, engine="espeak", user_role=None, voice_assignments={}, enqueue=False).pk)
    twin_paths = [cache.absolute(p) for p in AudioClip.objects.filter(script=twin).values_list("path", flat=True)]
    assert twin_paths

    assert parent_api.delete(f"/api/scripts/{small_script.pk}").status_code == 204
    _expire_undo(small_script)
    with django_capture_on_commit_callbacks(execute=True):
        purge_deleted_scripts()

    assert all(p.exists() for p in twin_paths)


def test_it_says_an_unknown_script_is_not_found(parent_api, db):
    assert_error(parent_api.delete("/api/scripts/31337"), 404)
