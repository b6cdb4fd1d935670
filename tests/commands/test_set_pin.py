"""manage.py set_pin."""

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command

from sessions_app.models import AccessPin


def test_it_sets_the_pin_hashed(db, capsys):
    call_command("set_pin", "246813")
    row = AccessPin.objects.get()
    assert row.pin_hash != "246813"
    assert check_password("246813", row.pin_hash)
    assert "PIN saved" in capsys.readouterr().out


def test_it_changes_the_pin_instead_of_adding_a_second_one(db):
    call_command("set_pin", "246813")
    call_command("set_pin", "1357913")
    assert AccessPin.objects.count() == 1
    assert check_password("1357913", AccessPin.objects.get().pin_hash)


@pytest.mark.parametrize("pin", ["123", "1234", "12345", "123456789", "12a456", "١٢٣٤٥٦"])
def test_it_refuses_a_pin_that_is_not_6_to_8_digits(db, pin):
    with pytest.raises(CommandError, match="6 to 8 digits"):
        call_command("set_pin", pin)
    assert not AccessPin.objects.exists()


def test_it_asks_twice_when_no_pin_is_given_and_refuses_a_mismatch(db, monkeypatch):
    answers = iter(["246813", "246814"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="different"):
        call_command("set_pin")
    assert not AccessPin.objects.exists()


def test_changing_the_pin_signs_every_device_out_and_says_so(db, client, capsys):
    call_command("set_pin", "246813")
    verify = client.post("/api/auth/verify", {"pin": "246813"}, content_type="application/json",
                         HTTP_HOST="localhost")
    token = verify.json()["token"]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_HOST": "localhost"}
    assert client.get("/api/scripts", **bearer).status_code == 200
    assert client.get("/api/scripts", HTTP_HOST="localhost").status_code == 200  # the cookie session too
    capsys.readouterr()
    call_command("set_pin", "975313")
    assert "Every device was signed out" in capsys.readouterr().out
    assert client.get("/api/scripts", **bearer).status_code == 401
    assert client.get("/api/scripts", HTTP_HOST="localhost").status_code in (401, 403)
