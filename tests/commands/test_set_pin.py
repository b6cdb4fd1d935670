"""manage.py set_pin."""

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command

from sessions_app.models import AccessPin


def test_it_sets_the_pin_hashed(db, capsys):
    call_command("set_pin", "2468")
    row = AccessPin.objects.get()
    assert row.pin_hash != "2468"
    assert check_password("2468", row.pin_hash)
    assert "PIN saved" in capsys.readouterr().out


def test_it_changes_the_pin_instead_of_adding_a_second_one(db):
    call_command("set_pin", "2468")
    call_command("set_pin", "13579")
    assert AccessPin.objects.count() == 1
    assert check_password("13579", AccessPin.objects.get().pin_hash)


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "١٢٣٤"])
def test_it_refuses_a_pin_that_is_not_4_to_8_digits(db, pin):
    with pytest.raises(CommandError, match="4 to 8 digits"):
        call_command("set_pin", pin)
    assert not AccessPin.objects.exists()


def test_it_asks_twice_when_no_pin_is_given_and_refuses_a_mismatch(db, monkeypatch):
    answers = iter(["2468", "2469"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="different"):
        call_command("set_pin")
    assert not AccessPin.objects.exists()
