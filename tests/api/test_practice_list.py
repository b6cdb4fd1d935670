"""GET /api/sessions/{id}/practice: Today's practice, the teen's lines in order with rung, cue and due time."""



from .api_helpers import assert_error
from .practice_helpers import ids


def test_todays_practice_lists_the_teens_lines_with_rung_cue_and_due_time(api, party_session, party):
    body = api.get(f"/api/sessions/{party_session['id']}/practice").json()
    maya, dad, maya2 = ids(party)
    assert [x["line_id"] for x in body["lines"]] == [maya, maya2]
    first, second = body["lines"]
    assert first["rung"] == 0 and first["rung_name"] == "full" and first["shown"] == first["text"]
    assert first["new"] is True and first["due"] is None and first["cue_text"] is None
    assert second["cue_text"] == "Then you can help me paint the fence." and second["cue_character"] == "DAD"
    assert body["minutes"] == 10 and body["next_due"] is None


def test_practice_needs_the_pin(anon, party_session):
    assert_error(anon.get(f"/api/sessions/{party_session['id']}/practice"), 401)


def test_the_practice_length_is_a_setting(api, party_session):
    assert api.patch(f"/api/sessions/{party_session['id']}", {"practice_minutes": 5}, format="json").status_code == 200
    assert api.get(f"/api/sessions/{party_session['id']}/practice").json()["minutes"] == 5
    assert_error(api.patch(f"/api/sessions/{party_session['id']}", {"practice_minutes": 0}, format="json"), 400)
