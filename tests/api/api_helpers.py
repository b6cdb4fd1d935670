"""Shared helpers for the REST contract tests."""

from rest_framework.test import APIClient

PIN = "482135"

SMALL_PLAY = """# Doctors

## Scene 1: The Study

**NORA:** (happily) Good evening, Doctor.

**DOCTOR RANK:** Good evening, Nora.

**RANK:** (sadly) I came to say goodbye.

**NORA:** Goodbye? Where are you going?

**RANK:** Far away.
"""


def make_client(**extra) -> APIClient:
    extra.setdefault("HTTP_HOST", "localhost")
    return APIClient(**extra)


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "Traceback" not in response.content.decode("utf-8", "replace")
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]
