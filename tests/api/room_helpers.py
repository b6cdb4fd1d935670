"""Shared helpers for the rehearsal-room tests: a room opened by the signed-in teen, castmates."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from rest_framework.test import APIClient

from .api_helpers import make_client


@dataclass
class Room:
    code: str
    host: APIClient
    host_id: int
    session_id: str

    def url(self, tail: str = "") -> str:
        return f"/api/rooms/{self.code}{tail}"


def bearer(token: str) -> APIClient:
    client = make_client()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def open_room(api: APIClient, script, role: str = "maren", *, session_id: str | None = None, **extra) -> Room:
    """A room on a new rehearsal of `script` as `role`, or on the rehearsal session_id."""
    if session_id is None:
        session_id = api.post("/api/sessions", {"script_id": script.pk, "user_role": role}, format="json").json()["id"]
    response = api.post("/api/rooms", {"session": str(session_id), **extra}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    return Room(code=body["code"], host=bearer(body["host_token"]), host_id=body["member_id"],
                session_id=str(session_id))


# Each castmate joins from an address of their own: joining is limited per address, and the
# count lives in the cache, which outlasts one test.
_addresses = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))


def join(room: Room, name: str, address: str | None = None) -> tuple[APIClient, int]:
    address = address or next(_addresses)
    response = make_client(REMOTE_ADDR=address).post(room.url("/members"), {"name": name}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    return bearer(body["token"]), body["member_id"]


def state(client: APIClient, room: Room) -> dict:
    response = client.get(room.url())
    assert response.status_code == 200, response.content
    return response.json()


def lines_of(script) -> list[dict]:
    """The play's spoken lines in order, as the room steps through them."""
    return [e for scene in script.scenes for e in scene["elements"] if e["type"] == "dialogue"]
