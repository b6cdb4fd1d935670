"""PATCH /api/sessions/{id}."""

import pytest

from tts_app.engines.registry import get_engine

from .api_helpers import assert_error


@pytest.fixture
def session(api, script):
    return api.post("/api/sessions", {"script_id": script.pk, "user_role": "maren",
                                      "tts_engine": "espeak"}, format="json").json()


def patch(api, session, **fields):
    return api.patch(f"/api/sessions/{session['id']}", fields, format="json")


def test_it_moves_the_position(api, session):
    body = patch(api, session, current_scene_index=1, current_line_index=2).json()
    assert (body["current_scene_index"], body["current_line_index"]) == (1, 2)
    assert body["current_element"] is not None


def test_a_teen_can_add_their_name_later_and_take_it_away(api, session):
    assert patch(api, session, name="Sam").json()["name"] == "Sam"
    assert patch(api, session, current_line_index=1).json()["name"] == "Sam"
    assert patch(api, session, name="").json()["name"] == ""


def test_a_new_name_longer_than_40_letters_is_refused_and_the_old_one_kept(api, session):
    patch(api, session, name="Sam")
    error = assert_error(patch(api, session, name="Samantha " * 5), 400, "bad_name")
    assert "up to 40 letters" in error["message"]
    assert api.get(f"/api/sessions/{session['id']}").json()["name"] == "Sam"


def test_moving_to_another_scene_starts_at_its_first_line(api, session):
    patch(api, session, current_line_index=3)
    body = patch(api, session, current_scene_index=1).json()
    assert (body["current_scene_index"], body["current_line_index"]) == (1, 0)


def test_it_refuses_a_scene_out_of_range_and_names_the_range(api, session, script):
    error = assert_error(patch(api, session, current_scene_index=7), 400, "out_of_range")
    last = len(script.scenes) - 1
    assert f"0 and {last}" in error["message"]
    assert error["details"] == {"field": "current_scene_index", "min": 0, "max": last}


def test_it_refuses_a_line_out_of_range_and_names_the_range(api, session, script):
    error = assert_error(patch(api, session, current_line_index=9999), 400, "out_of_range")
    assert error["details"]["max"] == len(script.scenes[0]["elements"]) - 1


def test_it_refuses_a_negative_position(api, session):
    assert_error(patch(api, session, current_line_index=-1), 400)


def test_it_changes_the_role_and_says_whose_line_it_is(api, session):
    patch(api, session, current_line_index=1)
    body = patch(api, session, user_role="tobias").json()
    assert body["user_role"] == "tobias"
    assert body["is_user_line"] is True


def test_it_refuses_an_unknown_role(api, session):
    assert_error(patch(api, session, user_role="hamlet"), 400, "unknown_role")


def test_it_changes_one_voice_and_keeps_the_others(api, session):
    before = session["voice_assignments"]
    body = patch(api, session, voice_assignments={"tobias": "en-us-grandpa"}).json()
    assert body["voice_assignments"] == {**before, "tobias": "en-us-grandpa"}


def test_it_refuses_an_unknown_voice(api, session):
    error = assert_error(patch(api, session, voice_assignments={"tobias": "nope"}), 400, "unknown_voice")
    assert error["details"]["valid"]


def test_changing_the_engine_puts_that_engines_voices_first(api, session):
    from tts_app.engines.registry import fallback_chain

    body = patch(api, session, tts_engine="chatterbox").json()
    assert body["tts_engine"] == "chatterbox"
    chatterbox_voices = {v.id for v in get_engine("chatterbox").voices()}
    # Chatterbox has one voice of its own here: the biggest part gets it, the rest get distinct
    # voices of the engines Chatterbox falls back to
    assert set(body["voice_assignments"].values()) & chatterbox_voices
    allowed = {v.id for name in fallback_chain("chatterbox") for v in get_engine(name).voices()}
    assert set(body["voice_assignments"].values()) <= allowed
    assert len(set(body["voice_assignments"].values())) == len(body["voice_assignments"])


def test_it_refuses_an_unknown_engine(api, session):
    assert_error(patch(api, session, tts_engine="siri"), 400, "unknown_engine")


def test_it_records_practice_time_and_scene_runs(api, session):
    patch(api, session, practice_seconds_add=90)
    body = patch(api, session, practice_seconds_add=30, completed_scene_index=0).json()
    assert body["practice_seconds"] == 120
    assert body["scene_runs"] == {"0": 1}


def test_it_says_an_unknown_rehearsal_is_not_found(api, db):
    assert_error(api.patch("/api/sessions/00000000-0000-0000-0000-000000000000", {}, format="json"), 404)


def test_switching_to_an_engine_with_no_family_voice_is_refused_and_nothing_is_saved(api, script, no_family_voices):
    from sessions_app.models import RehearsalSession

    created = api.post("/api/sessions", {"script_id": script.pk, "user_role": "maren", "tts_engine": "espeak"},
                       format="json").json()
    assert_error(api.patch(f"/api/sessions/{created['id']}", {"tts_engine": "indextts2"}, format="json"),
                 400, "engine_needs_voice")
    assert RehearsalSession.objects.get(pk=created["id"]).tts_engine == "espeak"
    assert api.get("/api/sessions").status_code == 200


def test_a_rehearsal_whose_engine_lost_its_last_voice_still_lists_and_reads(api, script, no_family_voices):
    from sessions_app.models import RehearsalSession

    created = api.post("/api/sessions", {"script_id": script.pk, "user_role": "maren", "tts_engine": "espeak"},
                       format="json").json()
    # As if a parent deleted the last family voice of the rehearsal's cloning engine in the admin.
    RehearsalSession.objects.filter(pk=created["id"]).update(tts_engine="indextts2", voice_assignments={})
    listed = api.get("/api/sessions")
    assert listed.status_code == 200
    assert listed.json()[0]["audio"]["total"] > 0
    assert api.get(f"/api/sessions/{created['id']}").status_code == 200
