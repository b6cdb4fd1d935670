"""The rehearse page's "Download for the car": a cue tape is made with progress, then downloaded."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "246813"
PLAY = """# The Lighthouse

## Scene 1: The Storm

**ANNA:** The storm is coming over the hill tonight.

**BEN:** Then we must light the lamp at once.

**ANNA:** Bring the oil from the cellar.
"""


def test_the_teen_downloads_a_tape_of_the_scene_for_the_car(live_server, browser):
    from scripts_app.services import script_create
    from sessions_app.services import session_create
    from sessions_app.signin import pin_set

    pin_set(pin=PIN)
    session = session_create(script=script_create(source=PLAY), user_role="ben", tts_engine="espeak")
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/rehearse/{session.pk}")
    page.wait_for_url("**/signin?**")
    page.fill("#pin", PIN)
    page.click("#signin-button")
    page.wait_for_url("**/rehearse/*")
    page.click("#tapes summary")
    page.select_option("#tape-version", "cues")
    with page.expect_download() as download:
        page.click("#tape-make")
    path = download.value.path()
    assert download.value.suggested_filename.endswith("-cues.mp3")
    data = open(path, "rb").read()
    assert data[:3] == b"ID3" and len(data) > 5000
    assert "ready" in page.text_content("#tape-status")
    assert not errors
    context.close()
