"""Rooms over the WebSocket, on the real ASGI application: a room, its members, quick clocks."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from sessions_app import limits, rooms
from sessions_app.services import session_create

LOCAL = [(b"host", b"localhost"), (b"origin", b"http://localhost")]


@pytest.fixture
def quick_clock(settings, monkeypatch):
    """Free parts last a few hundredths of a second and the beat after them 50 ms."""
    settings.RUNTHRU_ROOM_BEAT_MS = 50
    monkeypatch.setattr(rooms, "SECONDS_PER_WORD", 0.01)


@pytest.fixture
def room(script):
    """(room, host token): a room on the sample play, paused at its first line (Tobias's)."""
    session = session_create(script=script, user_role="maren")
    return rooms.room_create(session=session)


def member(room_row, name: str, *characters: str) -> tuple[object, str]:
    joined, token = rooms.room_join(room=room_row, name=name)
    for character in characters:
        rooms.room_claim(member=joined, character=character)
    return joined, token


def socket(room_row, token: str, headers=LOCAL) -> WebsocketCommunicator:
    from runthru_site.asgi import application

    return WebsocketCommunicator(application, f"/ws/rooms/{room_row.code}/?token={token}", headers=headers)


async def state_where(ws, condition, timeout: float = 10.0) -> dict:
    """The first state the socket sends for which condition(state) holds, within the deadline."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        left = deadline - loop.time()
        assert left > 0, "the room never reached that state"
        message = await ws.receive_json_from(timeout=left)
        if condition(message):
            return message


@pytest.fixture
def short_grace(monkeypatch):
    from datetime import timedelta

    monkeypatch.setattr(limits, "ROOM_GRACE", timedelta(seconds=0.5))
