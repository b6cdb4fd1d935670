"""POST /api/sessions: start a rehearsal."""

from tts_app.selectors import voice_ids_for

from .api_helpers import assert_error


def start(api, script, **fields):
    return api.post("/api/sessions", {"script_id": script.pk, "user_role": "maren", **fields}, format="json")


def test_it_starts_a_rehearsal_at_the_top_of_the_play(api, script):
    response = start(api, script)
    assert response.status_code == 201
    body = response.json()
    assert body["script_id"] == script.pk
    assert body["user_role"] == "maren"
    assert (body["current_scene_index"], body["current_line_index"]) == (0, 0)
    assert body["current_element"] is not None
    assert body["audio"]["ready"] == 0
    assert body["audio"]["total"] > 0


def test_a_teen_who_gives_their_first_name_sees_it_back_trimmed(api, script):
    response = start(api, script, name="  Sam ")
    assert response.status_code == 201
    assert response.json()["name"] == "Sam"
    assert api.get(f"/api/sessions/{response.json()['id']}").json()["name"] == "Sam"


def test_a_rehearsal_started_without_a_name_has_none(api, script):
    assert start(api, script).json()["name"] == ""


def test_a_name_longer_than_40_letters_is_refused_with_a_reason(api, script):
    error = assert_error(start(api, script, name="S" * 41), 400, "bad_name")
    assert "up to 40 letters" in error["message"]


def test_a_name_with_a_hidden_control_character_is_refused(api, script):
    assert_error(start(api, script, name="Sam\u202e"), 400, "bad_name")


def test_it_gives_every_other_character_a_different_voice(api, script):
    body = start(api, script, tts_engine="espeak").json()
    others = {c["id"] for c in script.characters} - {"maren"}
    assert set(body["voice_assignments"]) == others
    assert len(set(body["voice_assignments"].values())) == len(others)
    assert set(body["voice_assignments"].values()) <= set(voice_ids_for("espeak"))


def test_it_uses_the_voices_it_is_given(api, script):
    body = start(api, script, tts_engine="espeak", voice_assignments={"tobias": "en-gb-grandma"}).json()
    assert body["voice_assignments"]["tobias"] == "en-gb-grandma"
    assert body["tts_engine"] == "espeak"


def test_it_refuses_an_unknown_role_and_lists_the_valid_ones(api, script):
    error = assert_error(start(api, script, user_role="hamlet"), 400, "unknown_role")
    assert set(error["details"]["valid"]) == {c["id"] for c in script.characters}


def test_it_refuses_an_unknown_voice_and_lists_the_valid_ones(api, script):
    error = assert_error(start(api, script, tts_engine="espeak", voice_assignments={"tobias": "darth"}), 400,
                         "unknown_voice")
    assert "en-us-f2" in error["details"]["valid"]


def test_it_refuses_a_voice_for_a_character_not_in_the_play(api, script):
    assert_error(start(api, script, voice_assignments={"hamlet": "en-us-f2"}), 400, "unknown_character")


def test_it_refuses_an_unknown_engine_and_lists_the_valid_ones(api, script):
    error = assert_error(start(api, script, tts_engine="siri"), 400, "unknown_engine")
    assert "espeak" in error["details"]["valid"]


def test_it_says_an_unknown_script_is_not_found(api, db):
    assert_error(api.post("/api/sessions", {"script_id": 999, "user_role": "maren"}, format="json"), 404)


def test_it_refuses_a_request_without_a_role(api, script):
    assert_error(api.post("/api/sessions", {"script_id": script.pk}, format="json"), 400, "invalid")


def test_a_voice_engine_with_no_family_voice_yet_is_a_clear_400_and_no_rehearsal_is_made(api, script, no_family_voices):
    from sessions_app.models import RehearsalSession

    error = assert_error(start(api, script, tts_engine="indextts2"), 400, "engine_needs_voice")
    assert "Voices" in error["message"]
    assert not RehearsalSession.objects.exists()
    assert api.get("/api/sessions").status_code == 200


def test_it_accepts_index_tts_as_the_name_of_indextts2(api, script, no_family_voices):
    error = assert_error(start(api, script, tts_engine="index-tts"), 400, "engine_needs_voice")
    assert error["details"]["engine"] == "indextts2"
