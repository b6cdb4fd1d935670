"""WS /ws/rooms/{code}/?token=…: the state on connect and after every change, the job socket's
origin rule, and a room that moves on by itself when RunThru reads a part."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from sessions_app import rooms
from tests.api.room_helpers import lines_of
from tests.rooms.conftest import member, socket, state_where

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_sends_the_state_on_connect_and_after_every_change(room, script):
    room_row, host_token = room
    sam, sam_token = member(room_row, "Sam", "tobias")
    first, second = lines_of(script)[:2]

    async def scenario():
        ws = socket(room_row, sam_token)
        assert (await ws.connect())[0]
        hello = await ws.receive_json_from(timeout=5)
        await sync_to_async(rooms.room_done)(member=sam, line_id=first["id"])
        moved = await state_where(ws, lambda s: s["position"]["line_id"] == second["id"])
        await ws.disconnect()
        return hello, moved

    hello, moved = asyncio.run(scenario())
    assert hello["position"]["line_id"] == first["id"] and hello["speaking"]["member_id"] == sam.pk
    assert {"version", "position", "speaking", "members", "paused", "playback"} <= set(hello)
    assert moved["version"] > hello["version"]


def test_a_wrong_token_is_turned_away(room):
    room_row, _ = room

    async def scenario():
        return await socket(room_row, "forged").connect()

    connected, code = asyncio.run(scenario())
    assert not connected and code == 4404


def test_a_page_from_another_site_is_turned_away(room):
    room_row, host_token = room

    async def scenario():
        ws = socket(room_row, host_token, headers=[(b"host", b"localhost:8000"), (b"origin", b"http://evil.example")])
        return (await ws.connect())[0]

    assert asyncio.run(scenario()) is False


def test_runthru_reads_a_free_part_and_moves_the_room_on_by_itself(room, script, quick_clock):
    """Nobody plays Tobias: nobody taps, and the room still moves to Maren's line."""
    room_row, host_token = room
    sam, sam_token = member(room_row, "Sam", "maren")
    first, second = lines_of(script)[:2]
    host = room_row.members.get(is_host=True)

    async def scenario():
        ws = socket(room_row, sam_token)
        assert (await ws.connect())[0]
        await sync_to_async(rooms.room_pause)(member=host, paused=False)
        reached = await state_where(ws, lambda s: s["position"]["line_id"] == second["id"])
        await asyncio.sleep(0.3)  # Maren's line waits for Sam however long it takes
        await ws.disconnect()
        return reached

    reached = asyncio.run(scenario())
    assert reached["speaking"]["member_id"] == sam.pk and reached["advance_at"] is None
    room_row.refresh_from_db()
    assert room_row.line_id == second["id"]


def test_a_member_who_drops_off_hands_their_part_to_runthru_after_the_grace_period_and_gets_it_back(
        room, script, quick_clock, short_grace):
    room_row, host_token = room
    sam, sam_token = member(room_row, "Sam", "tobias")
    host = room_row.members.get(is_host=True)
    rooms.room_pause(member=host, paused=False)

    async def scenario():
        watcher = socket(room_row, host_token)
        assert (await watcher.connect())[0]
        phone = socket(room_row, sam_token)
        assert (await phone.connect())[0]
        here = await state_where(watcher, lambda s: any(m["connected"] for m in s["members"] if m["name"] == "Sam"))
        await phone.disconnect()  # the phone fell asleep
        gone = await state_where(watcher, lambda s: s["speaking"]["member_id"] is None and s["advance_at"])
        moved = await state_where(watcher, lambda s: s["position"]["line_id"] != here["position"]["line_id"])
        # back on the same token: Tobias is Sam's again at his next line
        await sync_to_async(rooms.room_pause)(member=host, paused=True)
        tobias_next = next(e for e in lines_of(script)[1:] if e["character"] == "tobias")
        await sync_to_async(rooms.room_goto)(member=host, line_id=tobias_next["id"])
        phone = socket(room_row, sam_token)
        assert (await phone.connect())[0]
        back = await state_where(watcher, lambda s: s["speaking"]["member_id"] == sam.pk)
        for ws in (phone, watcher):
            await ws.disconnect()
        return here, gone, moved, back

    here, gone, moved, back = asyncio.run(scenario())
    assert here["speaking"]["member_id"] == sam.pk
    assert not next(m for m in gone["members"] if m["name"] == "Sam")["connected"]
    assert next(m for m in back["members"] if m["name"] == "Sam")["characters"] == ["tobias"]


def test_one_member_cannot_open_sockets_without_end(room):
    from sessions_app import limits

    room_row, host_token = room

    async def scenario():
        held = []
        for _ in range(limits.ROOM_SOCKETS_PER_MEMBER):
            ws = socket(room_row, host_token)
            assert (await ws.connect())[0]
            held.append(ws)
        refused = await socket(room_row, host_token).connect()
        for ws in held:
            await ws.disconnect()
        return refused

    connected, code = asyncio.run(scenario())
    assert not connected and code == 4429
