"""Fixtures for the REST contract: a signed-in client, the PIN, a parsed script."""

import pytest
from rest_framework.test import APIClient

from scripts_app.services import script_create
from sessions_app.signin import pin_set

from . import practice_helpers
from .api_helpers import PIN, SMALL_PLAY, make_client


@pytest.fixture(autouse=True)
def quick_pin_hashing(settings):
    # PBKDF2 costs ~0.3 s a PIN check by design; the sign-in rules, not the hash, are under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture
def no_family_voices(monkeypatch, tmp_path):
    """A fresh install: the cloning engines have no uploaded voice (other tests may have left one on disk)."""
    from tts_app.engines.registry import get_engine

    for name in ("indextts2", "chatterbox"):
        monkeypatch.setattr(get_engine(name), "_voices_dir", tmp_path / "no-voices")


@pytest.fixture
def parent_api(db) -> APIClient:
    """A parent signed in to the admin, using the API from the same browser."""
    from django.contrib.auth.models import User

    User.objects.create_superuser("parent", "", "a long parent password")
    client = make_client()
    assert client.login(username="parent", password="a long parent password")
    return client


party = pytest.fixture(practice_helpers.party)
party_session = pytest.fixture(practice_helpers.party_session)
