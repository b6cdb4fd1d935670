"""A parent uploads the school's PDF in the browser: the page says what was found, the cast page
lists the right characters with their line counts, and a locked PDF is refused in plain words."""

from __future__ import annotations

import pytest

from tests.browser.test_flow import PIN, shoot
from tests.documents import hostile
from tests.needs import missing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_uploads_the_schools_pdf_and_checks_the_cast(live_server, browser, corpus, tmp_path):  # noqa: F811
    from sessions_app.signin import pin_set

    pdf = corpus / "documents" / "a_dolls_house_act1_stage.pdf"
    if not pdf.exists():
        missing("the PDF in the shared corpus")
    pin_set(pin=PIN)
    page = browser.new_context(viewport={"width": 1200, "height": 850}).new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/signin")
    page.fill("#pin", PIN)
    page.click("#signin-button")
    page.wait_for_url(live_server.url + "/")

    page.set_input_files("#script-file", str(pdf))
    page.click("#upload-button")
    page.wait_for_function("document.querySelector('#upload-message').textContent.includes('Added')")
    assert "characters, 484 lines, 1 act" in page.locator("#upload-message").inner_text()
    biggest = page.locator("#found-list li").all_inner_texts()
    assert biggest[0].startswith("NORA") and "229 lines" in biggest[0], biggest
    shoot(page, "6-library-pdf")

    page.locator(".script-item", has_text="A Doll's House").get_by_role("link", name="Rehearse").click()
    page.wait_for_url("**/scripts/*/cast")
    page.locator(".role-option").first.wait_for()
    roles = page.locator(".role-option .role-name").all_inner_texts()
    assert roles[:3] == ["NORA", "MRS LINDE", "HELMER"], roles
    assert not any("DOLL" in r or r.isdigit() for r in roles), roles

    locked = tmp_path / "locked.pdf"
    locked.write_bytes(hostile.locked_pdf())
    page.goto(live_server.url + "/")
    page.set_input_files("#script-file", str(locked))
    page.click("#upload-button")
    page.wait_for_function("document.querySelector('#upload-message').classList.contains('error')")
    assert "locked with a password" in page.locator("#upload-message").inner_text()
    assert not errors, errors
