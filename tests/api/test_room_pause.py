"""POST /api/rooms/{code}/pause: the host holds the room (RunThru waits too) and carries on."""

from tests.api.api_helpers import assert_error
from tests.api.room_helpers import join, open_room, state


def test_the_host_carries_on_and_pauses_again(api, script):
    room = open_room(api, script)
    running = room.host.post(room.url("/pause"), {"paused": False}, format="json").json()
    assert running["paused"] is False
    # nobody plays Tobias, who has the first line: RunThru reads it and will move on by itself
    assert running["advance_at"] is not None and running["speaking"]["member_id"] is None
    paused = room.host.post(room.url("/pause"), {}, format="json").json()
    assert paused["paused"] is True and paused["advance_at"] is None


def test_a_member_may_not_pause(api, script):
    room = open_room(api, script)
    sam, _ = join(room, "Sam")
    assert_error(sam.post(room.url("/pause"), {"paused": False}, format="json"), 403, "host_only")
    assert state(sam, room)["paused"] is True
