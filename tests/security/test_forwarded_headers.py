"""DJANGO_BEHIND_PROXY: forwarding headers are believed only from the configured proxies."""

import pytest

from sessions_app import limits
from sessions_app.models import SignInFailure
from tests.api.api_helpers import make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_proxy(settings, pin):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.RUNTHRU_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    return pin


def guess(remote: str, forwarded: str):
    return make_client(REMOTE_ADDR=remote).post("/api/auth/verify", {"pin": "000000"}, format="json",
                                                HTTP_X_FORWARDED_FOR=forwarded)


def test_reached_directly_a_made_up_forwarded_for_does_not_dodge_the_lock_out(behind_proxy):
    statuses = [guess("203.0.113.50", f"192.0.2.{i}").status_code for i in range(limits.PIN_FAILURES_PER_ADDRESS + 3)]
    assert statuses == [401] * limits.PIN_FAILURES_PER_ADDRESS + [429] * 3
    assert set(SignInFailure.objects.values_list("client_address", flat=True)) == {"203.0.113.50"}


def test_through_our_proxies_the_client_address_is_the_first_hop_they_did_not_add(behind_proxy):
    guess("127.0.0.1", "192.0.2.1, 203.0.113.9, 10.1.2.3")
    assert list(SignInFailure.objects.values_list("client_address", flat=True)) == ["203.0.113.9"]


def test_a_made_up_forwarded_proto_does_not_make_a_direct_request_https(behind_proxy, settings):
    settings.SECURE_SSL_REDIRECT = True
    direct = make_client(REMOTE_ADDR="203.0.113.50").get("/api/health", HTTP_X_FORWARDED_PROTO="https")
    assert direct.status_code == 301  # still plain HTTP: sent to https
    proxied = make_client(REMOTE_ADDR="127.0.0.1").get("/api/health", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


def test_without_a_proxy_forwarding_headers_are_ignored(pin):
    guess("203.0.113.50", "192.0.2.1")
    assert list(SignInFailure.objects.values_list("client_address", flat=True)) == ["203.0.113.50"]
