"""The parents' admin login has the PIN's lock-out rules, and parents see every wrong password."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sessions_app import limits
from sessions_app.models import SignInFailure

pytestmark = pytest.mark.django_db

PASSWORD = "a long parent password"


@pytest.fixture
def parent_account(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return User.objects.create_superuser("parent", "", PASSWORD)


def log_in(password: str, address: str = "203.0.113.7", client: Client | None = None):
    client = client or Client(HTTP_HOST="localhost", REMOTE_ADDR=address)
    response = client.post("/admin/login/?next=/admin/", {"username": "parent", "password": password})
    return client, response


def signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_thirty_wrong_passwords_then_the_right_one_does_not_get_in(parent_account):
    for i in range(30):
        log_in(f"guess {i}")
    client, response = log_in(PASSWORD)
    assert response.status_code == 200  # the form again, not the redirect into the admin
    assert b"Too many wrong passwords" in response.content
    assert not signed_in(client)
    assert SignInFailure.objects.filter(kind="admin").count() == limits.PIN_FAILURES_PER_ADDRESS


def test_the_lock_out_applies_only_to_the_address_that_guessed(parent_account):
    for i in range(limits.PIN_FAILURES_PER_ADDRESS):
        log_in(f"guess {i}")
    client, response = log_in(PASSWORD, address="198.51.100.2")
    assert response.status_code == 302
    assert signed_in(client)


def test_parents_see_wrong_passwords_in_the_admin(parent_account):
    log_in("guess", address="192.0.2.44")
    client, _ = log_in(PASSWORD, address="198.51.100.2")
    page = client.get("/admin/sessions_app/signinfailure/?kind=admin")
    assert page.status_code == 200
    assert b"192.0.2.44" in page.content and b"admin password" in page.content


def test_wrong_pins_do_not_lock_the_parent_out_of_the_admin(parent_account, pin):
    from tests.api.api_helpers import make_client

    for _ in range(limits.PIN_FAILURES_PER_ADDRESS + 2):
        make_client(REMOTE_ADDR="203.0.113.7").post("/api/auth/verify", {"pin": "000000"}, format="json")
    client, response = log_in(PASSWORD)
    assert response.status_code == 302 and signed_in(client)
