"""Fixtures for the REST contract: a signed-in client, the PIN, a parsed script."""

import pytest
from rest_framework.test import APIClient

from scripts_app.services import script_create
from sessions_app.signin import pin_set

PIN = "4821"

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


@pytest.fixture
def pin(db) -> str:
    pin_set(pin=PIN)
    return PIN


@pytest.fixture
def anon(db) -> APIClient:
    return make_client()


@pytest.fixture
def token(pin) -> str:
    response = make_client().post("/api/auth/verify", {"pin": pin}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def api(token) -> APIClient:
    client = make_client()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def script(db, sample_text):
    return script_create(source=sample_text)


@pytest.fixture
def small_script(db):
    return script_create(source=SMALL_PLAY)
