"""GET /api/sessions and DELETE /api/sessions/{id}."""

from scripts_app.services import script_create

from .api_helpers import assert_error


def start(api, script, role):
    return api.post("/api/sessions", {"script_id": script.pk, "user_role": role}, format="json").json()


def test_it_lists_rehearsals_newest_first(api, script):
    first = start(api, script, "maren")
    second = start(api, script, "tobias")
    assert [s["id"] for s in api.get("/api/sessions").json()] == [second["id"], first["id"]]


def test_it_filters_rehearsals_by_script(api, script, small_script):
    mine = start(api, script, "maren")
    start(api, small_script, "nora")
    listed = api.get(f"/api/sessions?script={script.pk}").json()
    assert [s["id"] for s in listed] == [mine["id"]]
    assert api.get("/api/sessions?script=999999").json() == []


def test_it_refuses_a_script_filter_that_is_not_a_number(api, db):
    assert_error(api.get("/api/sessions?script=abc"), 400, "bad_filter")


def test_it_deletes_a_rehearsal(api, script):
    session = start(api, script, "maren")
    assert api.delete(f"/api/sessions/{session['id']}").status_code == 204
    assert_error(api.get(f"/api/sessions/{session['id']}"), 404)
    assert api.get("/api/sessions").json() == []


def test_deleting_an_unknown_rehearsal_is_not_found(api, db):
    assert_error(api.delete("/api/sessions/00000000-0000-0000-0000-000000000000"), 404)


def test_a_session_of_another_script_is_not_served_for_this_scripts_audio(api, script):
    other = script_create(source="# B\n\n**X:** Hi there.\n\n**Y:** Hello.\n")
    session = start(api, other, "x")
    line = next(e for e in script.scenes[0]["elements"] if e["type"] == "dialogue")
    assert_error(api.get(f"/api/audio/{script.pk}/{line['id']}?session={session['id']}"), 404)
