"""POST /api/rooms/{code}/goto: the host goes back, skips ahead or jumps to a scene."""

from tests.api.api_helpers import assert_error
from tests.api.room_helpers import join, lines_of, open_room


def test_the_host_jumps_to_a_line(api, script):
    room = open_room(api, script)
    target = lines_of(script)[5]
    moved = room.host.post(room.url("/goto"), {"line_id": target["id"]}, format="json").json()
    assert moved["position"]["line_id"] == target["id"]


def test_the_host_jumps_to_the_first_line_of_a_scene_and_back(api, script):
    room = open_room(api, script)
    second = script.scenes[1]
    moved = room.host.post(room.url("/goto"), {"scene_id": second["id"]}, format="json").json()
    first_spoken = next(e for e in second["elements"] if e["type"] == "dialogue")
    assert moved["position"] == {"scene_id": second["id"], "line_id": first_spoken["id"], "scene_index": 1}
    back = room.host.post(room.url("/goto"), {"scene_id": script.scenes[0]["id"]}, format="json").json()
    assert back["position"]["line_id"] == lines_of(script)[0]["id"]


def test_a_member_may_not_move_the_room(api, script):
    room = open_room(api, script)
    sam, _ = join(room, "Sam")
    assert_error(sam.post(room.url("/goto"), {"line_id": lines_of(script)[3]["id"]}, format="json"), 403, "host_only")


def test_a_line_that_is_not_in_the_play_is_a_400(api, script):
    room = open_room(api, script)
    assert_error(room.host.post(room.url("/goto"), {"line_id": "nope"}, format="json"), 400, "unknown_line")
    assert_error(room.host.post(room.url("/goto"), {}, format="json"), 400)
