"""Thirty wrong PINs at once from one address: the lock-out budget still holds.

Each thread is its own client with its own database connection, so the guesses
really race each other inside the database (SQLite file or PostgreSQL).
"""

import threading
from collections import Counter

import pytest
from django.db import connections

from sessions_app import limits
from sessions_app.models import ApiToken, SignInFailure
from sessions_app.signin import pin_set
from tests.api.api_helpers import PIN, make_client

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 30


def guess_all_at_once(pins: list[str], address: str = "203.0.113.7") -> list[int]:
    start = threading.Barrier(len(pins))
    statuses: list[int | str] = [0] * len(pins)

    def guess(i: int) -> None:
        try:
            client = make_client(REMOTE_ADDR=address)
            start.wait(timeout=30)
            statuses[i] = client.post("/api/auth/verify", {"pin": pins[i]}, format="json").status_code
        except Exception as exc:  # reported below, so a crash in a thread fails the test
            statuses[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(len(pins))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a sign-in hung"
    return statuses


@pytest.fixture
def pin_row():
    pin_set(pin=PIN)
    return PIN


def test_thirty_concurrent_wrong_pins_get_exactly_five_401s_and_the_rest_429(pin_row):
    statuses = guess_all_at_once([f"{100000 + i:06d}" for i in range(THREADS)])
    counted = Counter(statuses)
    # Exactly: a server that refused everyone (all 429) or counted nothing (all 401) fails here.
    assert counted == {401: limits.PIN_FAILURES_PER_ADDRESS, 429: THREADS - limits.PIN_FAILURES_PER_ADDRESS}, counted
    assert SignInFailure.objects.filter(client_address="203.0.113.7").count() == limits.PIN_FAILURES_PER_ADDRESS


def test_after_the_storm_even_the_right_pin_gets_429(pin_row):
    assert make_client(REMOTE_ADDR="203.0.113.7").post("/api/auth/verify", {"pin": pin_row},
                                                        format="json").status_code == 200  # before: fine
    ApiToken.objects.all().delete()
    guess_all_at_once([f"{200000 + i:06d}" for i in range(THREADS)])
    client = make_client(REMOTE_ADDR="203.0.113.7")
    for pin in ("999999", pin_row):
        response = client.post("/api/auth/verify", {"pin": pin}, format="json")
        assert response.status_code == 429, response.content
        assert int(response["Retry-After"]) > 0
        assert response.json()["error"]["code"] == "locked_out"
    assert not ApiToken.objects.exists()


def test_a_storm_that_includes_the_right_pin_signs_in_at_most_once_and_still_locks_out(pin_row):
    pins = [f"{300000 + i:06d}" for i in range(THREADS - 1)] + [pin_row]
    counted = Counter(guess_all_at_once(pins))
    assert set(counted) <= {200, 401, 429}, counted
    assert counted[401] == limits.PIN_FAILURES_PER_ADDRESS, counted
    assert counted[200] <= 1
    assert counted[429] == THREADS - counted[401] - counted[200]
    assert ApiToken.objects.count() == counted[200]
    # And the address is locked out now: the right PIN (from a new device) is refused too.
    after = make_client(REMOTE_ADDR="203.0.113.7").post("/api/auth/verify", {"pin": pin_row}, format="json")
    assert after.status_code == 429, after.content


def test_concurrent_right_pins_from_another_address_are_not_locked_out_by_the_storm(pin_row):
    guess_all_at_once([f"{400000 + i:06d}" for i in range(THREADS)])
    statuses = guess_all_at_once([pin_row] * 5, address="198.51.100.2")
    assert statuses == [200] * 5


def test_behind_a_proxy_a_spoofed_forwarded_for_does_not_reset_the_budget(pin_row, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.RUNTHRU_TRUSTED_PROXIES = ["10.0.0.1"]
    client = make_client(REMOTE_ADDR="10.0.0.1")  # the proxy
    statuses = []
    for i in range(limits.PIN_FAILURES_PER_ADDRESS + 3):
        # The client makes up the first entry each time; the proxy appends the address it saw.
        forwarded = f"192.0.2.{i}, 203.0.113.9"
        response = client.post("/api/auth/verify", {"pin": "000000"}, format="json", HTTP_X_FORWARDED_FOR=forwarded)
        statuses.append(response.status_code)
    assert statuses == [401] * limits.PIN_FAILURES_PER_ADDRESS + [429] * 3
    assert set(SignInFailure.objects.values_list("client_address", flat=True)) == {"203.0.113.9"}
