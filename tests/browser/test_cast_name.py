"""The Cast page asks the teen's first name, so a parent can tell two teens' rehearsals apart."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "246813"
PLAY = "# Doctors\n\n## Scene 1\n\n**NORA:** Good evening.\n\n**RANK:** Goodbye, Nora.\n"


def test_the_name_a_teen_types_before_picking_a_role_is_the_one_their_rehearsal_keeps(live_server, browser):
    from scripts_app.services import script_create
    from sessions_app.models import RehearsalSession
    from sessions_app.signin import pin_set

    pin_set(pin=PIN)
    script = script_create(source=PLAY)
    page = browser.new_context(viewport={"width": 390, "height": 850}).new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/signin")
    page.fill("#pin", PIN)
    page.click("#signin-button")
    page.wait_for_url(live_server.url + "/")

    page.goto(f"{live_server.url}/scripts/{script.pk}/cast")
    page.get_by_label("Your first name").fill("Sam")
    page.get_by_label("NORA").check()
    page.wait_for_selector("#generate-section:not([hidden])")
    assert str(RehearsalSession.objects.get()) == "Doctors — NORA (Sam's rehearsal)"

    # Changed later, on the same rehearsal.
    with page.expect_response(lambda r: "/api/sessions/" in r.url and r.request.method == "PATCH") as patched:
        page.get_by_label("Your first name").fill("Sammy")
        page.get_by_label("Your first name").blur()
    assert patched.value.ok
    assert RehearsalSession.objects.get().name == "Sammy"
    page.reload()
    page.wait_for_selector("#role-section:not([hidden])")
    assert page.get_by_label("Your first name").input_value() == "Sammy"
    assert errors == []
