"""GET /api/rooms/{code}/script: the play as the room reads it, for members without a PIN."""

from tests.api.api_helpers import assert_error, make_client
from tests.api.room_helpers import join, lines_of, open_room


def test_a_member_reads_the_whole_play_with_its_characters(api, script):
    room = open_room(api, script)
    sam, _ = join(room, "Sam")
    body = sam.get(room.url("/script")).json()
    assert [c["id"] for c in body["characters"]] == [c["id"] for c in script.characters]
    assert [s["id"] for s in body["scenes"]] == [s["id"] for s in script.scenes]
    assert body["lines"] == len(lines_of(script))


def test_without_the_rooms_token_the_play_stays_closed(api, script):
    room = open_room(api, script)
    assert_error(make_client().get(room.url("/script")), 401)
