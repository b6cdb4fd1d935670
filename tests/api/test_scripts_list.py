"""GET /api/scripts."""

from scripts_app.services import script_create


def test_it_lists_scripts_with_counts(api, script):
    response = api.get("/api/scripts")
    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == script.pk
    assert item["title"] == "The Lighthouse Keepers"
    assert item["character_count"] == len(script.characters) >= 3
    assert item["line_count"] == script.line_count > 10
    assert item["updated_at"]
    assert item["last_rehearsed_at"] is None


def test_it_lists_an_empty_library_as_an_empty_list(api):
    assert api.get("/api/scripts").json() == []


def test_it_lists_the_most_recently_changed_script_first(api, script):
    newer = script_create(source="# Newer\n\n**A:** Hello.\n\n**B:** Hi.\n")
    assert [s["id"] for s in api.get("/api/scripts").json()] == [newer.pk, script.pk]


def test_it_accepts_a_trailing_slash(api, script):
    assert api.get("/api/scripts/").status_code == 200


def test_it_shows_when_a_script_was_last_rehearsed(api, script):
    api.post("/api/sessions", {"script_id": script.pk, "user_role": "maren"}, format="json")
    assert api.get("/api/scripts").json()[0]["last_rehearsed_at"] is not None


def _rehearsal(api, script) -> dict:
    return api.post("/api/sessions", {"script_id": script.pk, "user_role": "maren"}, format="json").json()


def test_rehearse_opens_the_cast_page_while_no_role_is_picked(api, script):
    assert api.get("/api/scripts").json()[0]["rehearse_url"] == f"/scripts/{script.pk}/cast"


def test_rehearse_opens_the_cast_page_while_the_voices_still_need_making(api, script):
    _rehearsal(api, script)
    assert api.get("/api/scripts").json()[0]["rehearse_url"] == f"/scripts/{script.pk}/cast"


def test_rehearse_goes_straight_to_the_rehearsal_once_its_voices_are_ready(api, script):
    from tts_app.jobs import job_for, job_run

    session = _rehearsal(api, script)
    job = job_for(script=script, engine=session["tts_engine"], user_role="maren",
                  voice_assignments=session["voice_assignments"], enqueue=False)
    job_run(job_id=job.pk)
    assert api.get("/api/scripts").json()[0]["rehearse_url"] == f"/rehearse/{session['id']}"


def test_rehearse_goes_straight_to_the_rehearsal_while_its_voices_are_being_made(api, script):
    from tts_app.jobs import job_for

    session = _rehearsal(api, script)
    job_for(script=script, engine=session["tts_engine"], user_role="maren",
            voice_assignments=session["voice_assignments"], enqueue=False)
    assert api.get("/api/scripts").json()[0]["rehearse_url"] == f"/rehearse/{session['id']}"
