"""POST /api/auth/verify: the PIN sign-in and its lock-outs."""

from datetime import timedelta

from django.utils import timezone

from sessions_app import limits
from sessions_app.models import ApiToken, SignInFailure
from sessions_app.signin import lockouts_clear

from .api_helpers import assert_error, make_client


def sign_in(pin, address="10.0.0.1"):
    return make_client(REMOTE_ADDR=address).post("/api/auth/verify", {"pin": pin}, format="json")


def test_it_signs_in_with_the_right_pin_and_hands_back_a_token(pin):
    response = sign_in(pin)
    assert response.status_code == 200
    body = response.json()
    assert len(body["token"]) >= 32
    assert body["expires_at"] > timezone.now().isoformat()[:19]
    assert ApiToken.objects.count() == 1


def test_it_sets_an_httponly_session_cookie_on_sign_in(pin):
    response = sign_in(pin)
    cookie = response.cookies["sessionid"]
    assert cookie.value
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_it_rejects_a_wrong_pin_with_a_plain_message(pin):
    error = assert_error(sign_in("0000"), 401, "wrong_pin")
    assert "PIN" in error["message"]
    assert "Traceback" not in error["message"]
    assert SignInFailure.objects.count() == 1


def test_it_says_no_pin_is_set_when_a_parent_has_not_set_one(db):
    assert_error(sign_in("1234"), 401, "no_pin")


def test_it_rejects_a_pin_that_is_not_a_string_or_is_missing(pin):
    client = make_client()
    assert_error(client.post("/api/auth/verify", {}, format="json"), 400, "invalid")
    assert client.post("/api/auth/verify", {"pin": ["1", "2"]}, format="json").status_code in (400, 401)


def test_it_locks_an_address_out_after_five_wrong_pins(pin):
    for _ in range(limits.PIN_FAILURES_PER_ADDRESS):
        assert sign_in("0000").status_code == 401
    response = sign_in("0000")
    error = assert_error(response, 429, "locked_out")
    assert int(response["Retry-After"]) > 0
    assert int(response["Retry-After"]) <= 15 * 60
    assert "wait" in error["message"]


def test_it_refuses_even_the_right_pin_during_a_lock_out(pin):
    for _ in range(limits.PIN_FAILURES_PER_ADDRESS):
        sign_in("0000")
    response = sign_in(pin)
    assert_error(response, 429, "locked_out")
    assert "Retry-After" in response


def test_a_lock_out_only_applies_to_the_address_that_guessed(pin):
    for _ in range(limits.PIN_FAILURES_PER_ADDRESS):
        sign_in("0000", address="10.0.0.9")
    assert sign_in(pin, address="10.0.0.10").status_code == 200


def test_it_lets_you_in_again_once_the_lock_out_ages_out(pin):
    for _ in range(limits.PIN_FAILURES_PER_ADDRESS):
        sign_in("0000")
    assert sign_in(pin).status_code == 429
    SignInFailure.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    assert sign_in(pin).status_code == 200


def _flood(count: int, minutes_ago: float = 0.0) -> None:
    """Wrong PINs from many addresses, as a distributed attack makes them."""
    SignInFailure.objects.bulk_create(SignInFailure(client_address=f"10.1.{i // 250}.{i % 250}") for i in range(count))
    SignInFailure.objects.update(created_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_a_hundred_wrong_pins_from_everywhere_make_a_new_device_wait_a_minute_not_a_day(pin):
    _flood(limits.PIN_FAILURES_OVERALL)
    response = sign_in(pin, address="192.168.5.5")
    assert_error(response, 429, "locked_out")
    assert 0 < int(response["Retry-After"]) <= 60


def test_a_flood_two_hours_ago_no_longer_keeps_anyone_out(pin):
    _flood(limits.PIN_FAILURES_OVERALL + 5, minutes_ago=120)
    assert sign_in(pin, address="192.168.5.5").status_code == 200


def test_each_further_wrong_pin_from_everywhere_doubles_the_wait_up_to_an_hour(pin):
    _flood(limits.PIN_FAILURES_OVERALL + 3)
    assert 7 * 60 < int(sign_in(pin, address="192.168.5.5")["Retry-After"]) <= 8 * 60
    _flood(20)
    assert 59 * 60 < int(sign_in(pin, address="192.168.5.5")["Retry-After"]) <= 60 * 60


def test_a_device_that_signed_in_before_still_signs_in_during_a_flood(pin):
    family = make_client(REMOTE_ADDR="192.168.5.5")
    first = family.post("/api/auth/verify", {"pin": pin}, format="json")
    assert first.status_code == 200
    device = first.cookies["runthru_device"]
    assert device.value and device["httponly"] and int(device["max-age"]) > 30 * 24 * 3600
    family.post("/api/auth/logout", HTTP_AUTHORIZATION=f"Bearer {first.json()['token']}")
    _flood(limits.PIN_FAILURES_OVERALL + 50)
    # Even from the attacker's own network (a school's shared address) the family's device gets in.
    for _ in range(limits.PIN_FAILURES_PER_ADDRESS):
        sign_in("000000", address="192.168.5.5")
    assert family.post("/api/auth/verify", {"pin": pin}, format="json").status_code == 200
    assert sign_in(pin, address="192.168.5.99").status_code == 429  # a new device still waits


def test_a_trusted_device_still_gets_only_five_wrong_pins(pin):
    family = make_client(REMOTE_ADDR="192.168.5.5")
    assert family.post("/api/auth/verify", {"pin": pin}, format="json").status_code == 200
    for _ in range(limits.PIN_FAILURES_PER_ADDRESS):
        assert family.post("/api/auth/verify", {"pin": "000000"}, format="json").status_code == 401
    assert family.post("/api/auth/verify", {"pin": pin}, format="json").status_code == 429


def test_a_made_up_device_cookie_counts_as_a_new_device(pin):
    _flood(limits.PIN_FAILURES_OVERALL)
    client = make_client(REMOTE_ADDR="192.168.5.5")
    client.cookies["runthru_device"] = "made-up"
    assert client.post("/api/auth/verify", {"pin": pin}, format="json").status_code == 429


def test_clearing_lock_outs_lets_a_locked_out_address_in(pin):
    for _ in range(limits.PIN_FAILURES_PER_ADDRESS):
        sign_in("0000")
    assert sign_in(pin).status_code == 429
    assert lockouts_clear() == limits.PIN_FAILURES_PER_ADDRESS
    assert sign_in(pin).status_code == 200


def test_the_sign_in_endpoint_needs_no_token(pin):
    response = make_client(HTTP_AUTHORIZATION="Bearer forged").post("/api/auth/verify", {"pin": pin}, format="json")
    assert response.status_code == 200
