"""POST /api/rooms: a signed-in teen or parent opens a room and gets a code, a link and a QR code."""

import re

from tests.api.api_helpers import assert_error, make_client
from tests.api.room_helpers import lines_of, open_room, state


def test_it_opens_a_room_with_a_short_code_a_link_and_a_qr_code(api, script):
    session = api.post("/api/sessions", {"script_id": script.pk, "user_role": "maren"}, format="json").json()
    response = api.post("/api/rooms", {"session": session["id"]}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert re.fullmatch(r"[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}", body["code"])
    assert body["join_url"].endswith(f"/rooms/{body['code']}")
    assert body["host_token"] and body["qr_svg"].startswith("<svg")


def test_the_room_starts_paused_at_the_first_line_of_the_rehearsals_scene(api, script):
    room = open_room(api, script)
    now = state(room.host, room)
    assert now["position"]["line_id"] == lines_of(script)[0]["id"]
    assert now["paused"] is True and now["playback"] == "host"
    assert [m["member_id"] for m in now["members"]] == [room.host_id]


def test_each_room_gets_its_own_code(api, script):
    assert open_room(api, script).code != open_room(api, script).code


def test_opening_a_room_takes_a_sign_in(anon, script):
    assert_error(make_client().post("/api/rooms", {"session": "00000000-0000-0000-0000-000000000000"},
                                    format="json"), 401)


def test_an_unknown_rehearsal_is_a_404(api):
    assert_error(api.post("/api/rooms", {"session": "00000000-0000-0000-0000-000000000000"}, format="json"), 404)


def test_a_playback_that_does_not_exist_is_a_400(api, script):
    session = api.post("/api/sessions", {"script_id": script.pk, "user_role": "maren"}, format="json").json()
    assert_error(api.post("/api/rooms", {"session": session["id"], "playback": "loud"}, format="json"), 400)


def test_with_lan_the_link_is_the_phones_https_address(api, script, monkeypatch):
    monkeypatch.setenv("RUNTHRU_LAN_URL", "https://192.168.1.23:8443")
    session = api.post("/api/sessions", {"script_id": script.pk, "user_role": "maren"}, format="json").json()
    body = api.post("/api/rooms", {"session": session["id"]}, format="json").json()
    assert body["join_url"] == f"https://192.168.1.23:8443/rooms/{body['code']}"
