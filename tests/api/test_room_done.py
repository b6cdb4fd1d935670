"""POST /api/rooms/{code}/done: the speaker (or the host) ends the current line, once."""

import threading

import pytest

from sessions_app import rooms
from tests.api.api_helpers import assert_error
from tests.api.room_helpers import join, lines_of, open_room, state


@pytest.fixture
def cast(api, script):
    room = open_room(api, script)
    sam, sam_id = join(room, "Sam")
    sam.post(room.url("/claim"), {"character": "tobias"}, format="json")
    return room, sam, sam_id


def test_the_speaker_ends_their_line_and_everyone_moves_to_the_next(cast, script):
    room, sam, _ = cast
    first, second = lines_of(script)[:2]
    before = state(sam, room)
    after = sam.post(room.url("/done"), {"line_id": first["id"]}, format="json").json()
    assert after["position"]["line_id"] == second["id"] and after["version"] > before["version"]
    assert state(room.host, room)["position"]["line_id"] == second["id"]


def test_a_line_that_is_not_the_current_one_is_a_409(cast, script):
    room, sam, _ = cast
    error = assert_error(sam.post(room.url("/done"), {"line_id": lines_of(script)[2]["id"]}, format="json"),
                         409, "not_current_line")
    assert error["details"]["line_id"] == lines_of(script)[0]["id"]


def test_the_same_tap_twice_moves_one_line(cast, script):
    room, sam, _ = cast
    first, second = lines_of(script)[:2]
    sam.post(room.url("/done"), {"line_id": first["id"]}, format="json")
    assert_error(sam.post(room.url("/done"), {"line_id": first["id"]}, format="json"), 409)
    assert state(sam, room)["position"]["line_id"] == second["id"]


def test_a_member_cannot_end_someone_elses_line(cast, script):
    room, _, _ = cast
    kim, _ = join(room, "Kim")
    kim.post(room.url("/claim"), {"character": "maren"}, format="json")
    assert_error(kim.post(room.url("/done"), {"line_id": lines_of(script)[0]["id"]}, format="json"),
                 403, "not_your_line")


def test_the_host_may_end_any_line(cast, script):
    room, _, _ = cast
    response = room.host.post(room.url("/done"), {"line_id": lines_of(script)[0]["id"]}, format="json")
    assert response.json()["position"]["line_id"] == lines_of(script)[1]["id"]


def test_the_last_line_of_the_play_finishes_the_room(cast, script):
    room, _, _ = cast
    last = lines_of(script)[-1]
    room.host.post(room.url("/goto"), {"line_id": last["id"]}, format="json")
    done = room.host.post(room.url("/done"), {"line_id": last["id"]}, format="json").json()
    assert done["finished"] is True and done["position"]["line_id"] is None


@pytest.mark.django_db(transaction=True)
def test_two_taps_at_the_same_moment_advance_once(api, script, monkeypatch):
    """Both requests read the room before either writes (a barrier holds them there): only
    one conditional update wins, the other is told the line is over. Runs on SQLite and on
    PostgreSQL (DATABASE_URL)."""
    room = open_room(api, script)
    sam, _ = join(room, "Sam")
    sam.post(room.url("/claim"), {"character": "tobias"}, format="json")
    first, second = lines_of(script)[:2]
    barrier = threading.Barrier(2, timeout=10)
    real_write = rooms._write

    def write_after_both_read(room_row, **fields):
        if "line_id" in fields:
            barrier.wait()
        return real_write(room_row, **fields)

    monkeypatch.setattr(rooms, "_write", write_after_both_read)
    answers = []

    def tap(client):
        from django.db import connection

        try:
            answers.append(client.post(room.url("/done"), {"line_id": first["id"]}, format="json").status_code)
        finally:
            connection.close()

    taps = [threading.Thread(target=tap, args=(who,)) for who in (sam, room.host)]
    for t in taps:
        t.start()
    for t in taps:
        t.join(20)
    assert sorted(answers) == [200, 409]
    monkeypatch.setattr(rooms, "_write", real_write)
    assert state(sam, room)["position"]["line_id"] == second["id"]
