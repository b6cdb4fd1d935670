"""Schema-driven fuzzing of the whole REST API, in-process over WSGI, with a fixed seed.

Signed in and signed out, every operation: never a server error, always what the
schema promises, and signed out nothing but 401 from protected operations. Then a
leak check: requests that name script A and rehearsal A never show script B or
rehearsal B.
"""

from __future__ import annotations

import secrets

import pytest
import schemathesis
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from runthru_site.wsgi import application
from scripts_app.services import script_create
from sessions_app.services import session_create
from sessions_app.signin import pin_verify
from tests.api.api_helpers import SMALL_PLAY

pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, response_schema_conformance]
PUBLIC = ("/api/auth/verify", "/api/health")
# A room has a gate of its own, the room's token (tests/api/test_room_tokens.py): an unknown room
# is a 404, a stranger to an open one a 401, and joining is limited per address (429).
ROOM_GATED = "/api/rooms/{code}"
SIGNED_IN_EXAMPLES = 50
SIGNED_OUT_EXAMPLES = 30
LEAK_EXAMPLES = 40


@pytest.fixture
def api_schema(in_process_wsgi, sample_text):
    script_create(source=sample_text)  # something real, so some generated ids find a script
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    # Streams progress for minutes and starts real generation work: covered in tests/jobs.
    return schema.exclude(path_regex=r"generate")


def operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def fuzz(operation, strategy, examples: int, run) -> int:
    """Run `run(case)` on `examples` generated cases of one operation; return how many ran."""
    count = 0

    @given(case=strategy)
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def one(case):
        nonlocal count
        count += 1
        run(case)

    try:
        one()
    except Exception as exc:
        exc.add_note(f"while fuzzing {operation.label}")
        raise
    return count


def routes_to_a_view(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def test_fuzzing_the_whole_api_signed_in_and_signed_out_never_fails_on_our_side(api_schema, pin, token):
    ops = operations(api_schema)
    assert len(ops) >= 19, [op.label for op in ops]
    ran = {"in": 0, "out": 0}

    def signed_in(case):
        headers = {"Authorization": f"Bearer {token}"}
        if case.path == "/api/auth/logout":  # signing out ends the token: give each sign-out its own
            headers = {"Authorization": f"Bearer {pin_verify(pin=pin, client_address='fuzz-sign-out').token}"}
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)
        if case.path not in PUBLIC and not case.path.startswith(ROOM_GATED):
            assert response.status_code != 401, "a signed-in case was refused"

    def signed_out(case):
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        assert response.headers["content-type"][0].startswith("application/json"), response.headers
        if case.path in PUBLIC:
            return
        if case.path.startswith(ROOM_GATED):
            assert response.status_code in (401, 404, 429), (case.method, case.formatted_path, response.status_code)
            return
        if response.status_code == 404 and not routes_to_a_view(case.formatted_path):
            return  # an id with a "/" in it: no operation was reached at all
        assert response.status_code == 401, (case.method, case.formatted_path, response.status_code,
                                             response.text[:200])
        # Schemathesis sometimes makes up a Bearer token from the security scheme: still refused.
        assert response.json()["error"]["code"] in ("not_authenticated", "authentication_failed")

    for op in ops:
        ran["in"] += fuzz(op, op.as_strategy(), SIGNED_IN_EXAMPLES, signed_in)
    for op in ops:
        ran["out"] += fuzz(op, op.as_strategy(), SIGNED_OUT_EXAMPLES, signed_out)
    print(f"fuzzed {ran}")
    assert ran["in"] + ran["out"] >= 1000, ran


# --- no leaks between scripts and rehearsals ------------------------------------

def unique_play(title: str) -> str:
    return SMALL_PLAY.replace("# Doctors", f"# {title}")


def test_requests_naming_script_a_never_show_script_b_or_its_rehearsal(api_schema, pin, token):
    title_a, title_b = f"Alpha {secrets.token_hex(6)}", f"Bravo {secrets.token_hex(6)}"
    script_a, script_b = script_create(source=unique_play(title_a)), script_create(source=unique_play(title_b))
    session_a = session_create(script=script_a, user_role="nora")
    session_b = session_create(script=script_b, user_role="nora")
    line_a = next(e["id"] for s in script_a.scenes for e in s["elements"] if e["type"] == "dialogue")
    secrets_of_b = [title_b, str(session_b.id), session_b.id.hex]
    headers = {"Authorization": f"Bearer {token}"}
    naming_a = {
        ("GET", "/api/scripts/{id}/"): {"path_parameters": {"id": script_a.pk}},
        ("PATCH", "/api/scripts/{id}/"): {"path_parameters": {"id": script_a.pk}},
        ("GET", "/api/sessions/{id}/"): {"path_parameters": {"id": str(session_a.id)}},
        ("PATCH", "/api/sessions/{id}/"): {"path_parameters": {"id": str(session_a.id)}},
        ("GET", "/api/sessions/"): {"query": {"script": str(script_a.pk)}},
        ("GET", "/api/audio/{script_id}/{line_id}"): {
            "path_parameters": {"script_id": script_a.pk}, "query": {"session": str(session_a.id)}},
        ("GET", "/api/audio/{script_id}/{line_id}") + ("line",): {
            "path_parameters": {"script_id": script_a.pk, "line_id": line_a}},
        ("GET", "/api/audio/{script_id}/{line_id}") + ("other session",): {
            "path_parameters": {"script_id": script_a.pk, "line_id": line_a}, "query": {"session": str(session_b.id)}},
    }
    by_label = {(op.method.upper(), op.path): op for op in operations(api_schema)}
    ran = 0

    def no_leak(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)
        for secret in secrets_of_b:
            assert secret not in response.text, (case.method, case.formatted_path, case.query, response.text[:300])

    for key, fixed in naming_a.items():
        op = by_label[key[:2]]
        ran += fuzz(op, op.as_strategy(**fixed), LEAK_EXAMPLES, no_leak)
    assert ran >= 200
    # The one request above that names B on purpose is refused, not answered with B's data.
    response = api_schema["/api/audio/{script_id}/{line_id}"]["GET"].Case(
        path_parameters={"script_id": script_a.pk, "line_id": line_a}, query={"session": str(session_b.id)}
    ).call(headers=headers)
    assert response.status_code == 404
