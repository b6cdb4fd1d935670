"""A room token (the host's or a member's) opens its own room and nothing else: not the scripts,
not other rooms, not rehearsals, recordings or attempts, not the pages or the admin."""

import re

import pytest

from tests.api.room_helpers import join, open_room
from web.urls import urlpatterns

PUBLIC = {"auth-verify", "health", "schema", "docs"}  # open to anyone, token or not


def api_routes() -> list[str]:
    """Every API route outside the rooms, with its parameters filled in."""
    paths = []
    for pattern in urlpatterns:
        if pattern.name in PUBLIC or (pattern.name or "").startswith("room"):
            continue
        raw = str(pattern.pattern).lstrip("^").rstrip("$").replace("/?", "")
        raw = re.sub(r"\(\?P<[^>]+>[^)]+\)|<[^>]+>", "1", raw)
        paths.append("/api/" + raw.replace("\\.", ".").replace("\\", ""))
    return sorted(set(paths))


@pytest.fixture
def tokens(api, script):
    room = open_room(api, script)
    member, _ = join(room, "Sam")
    other = open_room(api, script)
    return room, member, other


def test_every_other_api_route_refuses_a_member_or_host_token(tokens):
    room, member, _ = tokens
    routes = api_routes()
    assert "/api/scripts" in routes and "/api/sessions/1/attempts" in routes and "/api/sessions/1/recordings" in routes
    for client in (member, room.host):
        for path in routes:
            for method in ("get", "post", "patch", "delete"):
                status = getattr(client, method)(path, {}, format="json").status_code
                assert status in (401, 403, 405), (method, path, status)


def test_a_token_does_not_open_another_room(tokens):
    _, member, other = tokens
    assert member.get(other.url()).status_code == 401
    assert member.post(other.url("/pause"), {"paused": False}, format="json").status_code == 401
    assert member.get(other.url("/script")).status_code == 401


def test_a_token_opens_neither_the_admin_nor_a_sign_out(tokens):
    _, member, _ = tokens
    assert member.get("/admin/").status_code == 302  # to the parents' login
    assert member.get("/api/auth/logout").status_code in (401, 405)
