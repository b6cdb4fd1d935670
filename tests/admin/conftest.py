import pytest
from django.contrib.auth.models import User
from django.test import Client


@pytest.fixture
def parent(db) -> Client:
    User.objects.create_superuser("parent", "parent@example.com", "a long parent password")
    client = Client(HTTP_HOST="localhost")
    assert client.login(username="parent", password="a long parent password")
    return client


from tests.api.conftest import api, pin, quick_pin_hashing, token  # noqa: E402, F401
