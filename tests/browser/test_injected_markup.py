"""Markup and JavaScript hidden in a script (title, character names, scene headings, lines,
stage directions) show as plain text in our pages in a real browser, and never run."""

import pytest

from tests.security.test_html_injection import XSS_LINE, XSS_NAME, XSS_PLAY, XSS_TITLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "246813"
# Anything the markup could have created or run.
INJECTED = "img[src='x'], svg[onload], b[onmouseover], script:not([src]):not([type='importmap'])"


def test_markup_in_a_script_is_shown_as_text_and_never_runs(live_server, browser):
    from scripts_app.services import script_create
    from sessions_app.services import session_create
    from sessions_app.signin import pin_set

    pin_set(pin=PIN)
    script = script_create(source=XSS_PLAY, fmt="fountain")
    villain = next(c["id"] for c in script.characters if c["name"] == "<script>alert</script>")
    session = session_create(script=script, user_role=villain)

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    ran: list[str] = []
    page.on("dialog", lambda dialog: (ran.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda exc: ran.append(f"error: {exc}"))

    page.goto(live_server.url + "/signin")
    page.fill("#pin", PIN)
    page.click("#signin-button")
    page.wait_for_url(live_server.url + "/")

    item = page.locator(".script-item").first
    item.wait_for()
    assert XSS_TITLE in item.inner_text()  # the title, as the characters typed

    page.goto(f"{live_server.url}/scripts/{script.pk}/cast")
    page.locator(".role-option").first.wait_for()
    assert "<script>alert</script>" in page.locator(".role-option .role-name").all_inner_texts()

    page.goto(f"{live_server.url}/rehearse/{session.pk}")
    page.wait_for_selector("#script-view li")
    shown = page.locator("#script-view").inner_text()
    assert XSS_LINE in shown
    assert "<img src=x onerror=alert(4)>" in shown  # the stage direction
    page.hover("#script-view")
    page.wait_for_timeout(500)  # give an onerror or onload the time to fire

    for url in ["/", f"/scripts/{script.pk}/cast", f"/rehearse/{session.pk}"]:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        assert page.locator(INJECTED).count() == 0, url
    assert XSS_NAME not in page.content()  # escaped wherever it appears in the DOM
    assert ran == [], ran
    context.close()
