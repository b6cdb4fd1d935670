"""POST /api/rooms/{code}/notes: the director's note on a line, for the actor who says it, in the
room and later in their own rehearsal of the play."""

from tests.api.api_helpers import assert_error
from tests.api.room_helpers import join, lines_of, open_room


def test_a_note_on_the_current_line_reaches_the_room(api, script):
    room = open_room(api, script)
    line = lines_of(script)[0]
    noted = room.host.post(room.url("/notes"), {"line_id": line["id"], "text": "louder here"}, format="json").json()
    assert noted["note"] == "louder here"
    sam, _ = join(room, "Sam")
    elements = sam.get(room.url("/script")).json()["scenes"][0]["elements"]
    assert next(e for e in elements if e["id"] == line["id"])["note"] == "louder here"


def test_the_actor_sees_the_note_in_their_own_rehearsal_later(api, script):
    room = open_room(api, script)
    marens = next(e for e in lines_of(script) if e["character"] == "maren")
    room.host.post(room.url("/notes"), {"line_id": marens["id"], "text": "wait for the laugh"}, format="json")
    own = api.post("/api/sessions", {"script_id": script.pk, "user_role": "maren"}, format="json").json()
    assert own["notes"] == {marens["id"]: "wait for the laugh"}
    other = api.post("/api/sessions", {"script_id": script.pk, "user_role": "tobias"}, format="json").json()
    assert other["notes"] == {}


def test_an_empty_note_removes_it(api, script):
    room = open_room(api, script)
    line = lines_of(script)[0]
    room.host.post(room.url("/notes"), {"line_id": line["id"], "text": "louder"}, format="json")
    assert room.host.post(room.url("/notes"), {"line_id": line["id"], "text": ""}, format="json").json()["note"] is None


def test_only_the_host_writes_notes_and_only_short_ones(api, script):
    room = open_room(api, script)
    line = lines_of(script)[0]
    sam, _ = join(room, "Sam")
    assert_error(sam.post(room.url("/notes"), {"line_id": line["id"], "text": "hi"}, format="json"), 403)
    assert_error(room.host.post(room.url("/notes"), {"line_id": line["id"], "text": "x" * 201}, format="json"), 400)
