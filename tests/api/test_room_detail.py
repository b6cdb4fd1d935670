"""GET, PATCH and DELETE /api/rooms/{code}: the state, where free parts play, closing."""

from django.utils import timezone

from sessions_app import limits
from sessions_app.models import Room
from tests.api.api_helpers import assert_error, make_client
from tests.api.room_helpers import bearer, join, lines_of, open_room, state


def test_host_and_member_see_the_same_state_in_the_contracts_shape(api, script):
    room = open_room(api, script)
    member, member_id = join(room, "Sam")
    seen = state(member, room)
    assert seen == state(room.host, room) | {"members": seen["members"]}
    assert {"version", "position", "speaking", "members", "paused", "playback"} <= set(seen)
    assert set(seen["position"]) >= {"scene_id", "line_id"}
    assert seen["position"]["scene_id"] == script.scenes[0]["id"]
    assert seen["speaking"] == {"character": lines_of(script)[0]["character"],
                                "characters": [lines_of(script)[0]["character"]], "member_id": None}
    assert {"member_id", "name", "characters", "connected"} <= set(seen["members"][1])


def test_without_a_token_the_room_is_refused(api, script):
    room = open_room(api, script)
    assert_error(make_client().get(room.url()), 401, "not_in_room")
    assert_error(bearer("made-up").get(room.url()), 401, "not_in_room")


def test_the_pin_sign_in_is_not_a_room_token(api, script):
    room = open_room(api, script)
    assert_error(api.get(room.url()), 401, "not_in_room")


def test_the_host_chooses_that_every_device_plays(api, script):
    room = open_room(api, script)
    response = room.host.patch(room.url(), {"playback": "everyone"}, format="json")
    assert response.status_code == 200 and response.json()["playback"] == "everyone"


def test_a_member_cannot_change_the_playback(api, script):
    room = open_room(api, script)
    member, _ = join(room, "Sam")
    assert_error(member.patch(room.url(), {"playback": "everyone"}, format="json"), 403, "host_only")


def test_the_host_closes_the_room_and_tokens_stop_working(api, script):
    room = open_room(api, script)
    member, _ = join(room, "Sam")
    assert room.host.delete(room.url()).status_code == 204
    assert_error(member.get(room.url()), 404)


def test_a_member_cannot_close_the_room(api, script):
    room = open_room(api, script)
    member, _ = join(room, "Sam")
    assert_error(member.delete(room.url()), 403, "host_only")
    assert state(member, room)["closed"] is False


def test_a_room_left_idle_for_four_hours_closes_by_itself(api, script):
    room = open_room(api, script)
    Room.objects.filter(code=room.code).update(active_at=timezone.now() - limits.ROOM_IDLE_CLOSE)
    assert_error(room.host.get(room.url()), 404, "room_not_found")


def test_the_host_gets_the_link_and_qr_code_again(api, script):
    room = open_room(api, script)
    body = room.host.get(room.url("/invite")).json()
    assert body["code"] == room.code and body["qr_svg"].startswith("<svg")
    member, _ = join(room, "Sam")
    assert_error(member.get(room.url("/invite")), 403)
