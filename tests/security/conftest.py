"""Fixtures for the security tests: the REST contract's own (a PIN, a signed-in
client, parsed scripts), plus a parent signed in to the admin."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.api.conftest import anon, api, parent_api, pin, quick_pin_hashing, script, small_script, token  # noqa: F401


@pytest.fixture
def parent(db) -> Client:
    User.objects.create_superuser("parent", "parent@example.com", "a long parent password")
    client = Client(HTTP_HOST="localhost")
    assert client.login(username="parent", password="a long parent password")
    return client
