"""POST /api/rooms/{code}/claim and /release: each member picks the characters they play."""

from datetime import timedelta

from django.utils import timezone

from sessions_app import limits
from sessions_app.models import RoomMember
from tests.api.api_helpers import assert_error
from tests.api.room_helpers import join, open_room, state


def characters_of(room_state: dict, member_id: int) -> list[str]:
    return next(m["characters"] for m in room_state["members"] if m["member_id"] == member_id)


def test_a_member_claims_two_characters(api, script):
    room = open_room(api, script)
    sam, sam_id = join(room, "Sam")
    sam.post(room.url("/claim"), {"character": "tobias"}, format="json")
    response = sam.post(room.url("/claim"), {"character": "captain-ida"}, format="json")
    assert response.status_code == 200
    assert characters_of(response.json(), sam_id) == ["tobias", "captain-ida"]
    assert response.json()["speaking"]["member_id"] == sam_id  # Tobias has the first line


def test_a_character_another_member_plays_is_a_409(api, script):
    room = open_room(api, script)
    sam, _ = join(room, "Sam")
    kim, kim_id = join(room, "Kim")
    sam.post(room.url("/claim"), {"character": "tobias"}, format="json")
    error = assert_error(kim.post(room.url("/claim"), {"character": "tobias"}, format="json"), 409, "character_taken")
    assert "Sam" in error["message"]
    assert characters_of(state(kim, room), kim_id) == []


def test_a_character_not_in_the_play_is_a_400(api, script):
    room = open_room(api, script)
    sam, _ = join(room, "Sam")
    assert_error(sam.post(room.url("/claim"), {"character": "hamlet"}, format="json"), 400, "unknown_character")


def test_a_released_character_is_free_for_someone_else(api, script):
    room = open_room(api, script)
    sam, sam_id = join(room, "Sam")
    kim, kim_id = join(room, "Kim")
    sam.post(room.url("/claim"), {"character": "tobias"}, format="json")
    released = sam.post(room.url("/release"), {"character": "tobias"}, format="json").json()
    assert characters_of(released, sam_id) == [] and released["speaking"]["member_id"] is None
    assert kim.post(room.url("/claim"), {"character": "tobias"}, format="json").status_code == 200


def test_the_part_of_a_member_gone_past_the_grace_period_can_be_taken(api, script):
    room = open_room(api, script)
    sam, sam_id = join(room, "Sam")
    kim, kim_id = join(room, "Kim")
    sam.post(room.url("/claim"), {"character": "tobias"}, format="json")
    RoomMember.objects.filter(pk=sam_id).update(seen_at=timezone.now() - limits.ROOM_GRACE - timedelta(seconds=1))
    taken = kim.post(room.url("/claim"), {"character": "tobias"}, format="json").json()
    assert characters_of(taken, kim_id) == ["tobias"] and characters_of(taken, sam_id) == []
