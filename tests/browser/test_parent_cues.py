"""A parent reads the cues, in headless Chromium with a fake microphone fed from a WAV of
espeak-ng reading Dad's line: on the cast page they record it, and the rehearse page then
plays their recording for that line and the chosen voice for Dad's line they didn't record."""

from __future__ import annotations

import numpy as np
import pytest

from tests.speech import speak, wav_bytes

from .test_flow import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long parent password"
PLAY = """# The Party

## Scene 1: The Kitchen

**DAD:** Then you can help me paint the fence on Saturday morning.

**MAYA:** Fine. But I am choosing the colour.

**DAD:** Nothing too bright, mind.
"""
DAD_LINE = "Then you can help me paint the fence on Saturday morning."
RATE = 48000


@pytest.fixture
def rehearsal(db):
    from django.contrib.auth.models import User

    from scripts_app.services import script_create
    from sessions_app.services import session_create
    from tts_app.jobs import job_for, job_run

    User.objects.create_superuser("parent", "", PASSWORD)
    script = script_create(source=PLAY)
    session = session_create(script=script, user_role="maya")
    job = job_for(script=script, engine=session.tts_engine, user_role="maya",
                  voice_assignments=session.voice_assignments, session_id=session.pk)
    job_run(job_id=job.pk)
    return session


@pytest.fixture
def parent_page(live_server, page_hearing):
    """A parent signed in to the admin, in a Chromium whose microphone hears Dad's line (looped)."""
    samples = np.concatenate([np.zeros(RATE // 2, np.float32), speak(DAD_LINE, voice="en-us-m3", rate=RATE),
                              np.zeros(2 * RATE, np.float32)])
    page = page_hearing(samples, RATE)
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", "parent")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    return page


def test_a_parent_records_a_line_on_the_cast_page_and_the_rehearsal_plays_it(live_server, rehearsal, parent_page):
    from sessions_app.models import CueRecording

    page = parent_page
    dad = [e["id"] for e in rehearsal.script.scenes[0]["elements"] if e.get("character") == "dad"]
    page.goto(f"{live_server.url}/scripts/{rehearsal.script_id}/cast")
    page.wait_for_selector("#cues-section:not([hidden])")
    assert "microphone" in page.locator("#cues-mic").inner_text()
    assert page.locator("#cues-parents-note").is_hidden()
    box = page.locator("#cues-dad")
    assert "0 of 2 lines recorded" in box.locator("summary").inner_text()
    box.locator("summary").click()
    assert DAD_LINE in box.locator(".cue-text").inner_text()
    assert box.locator(".cue-play").is_disabled()  # nothing to play back yet

    # Record with the keyboard, stop with a click once the line has been read.
    box.locator(".cue-record").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#cues-dad .cue-status').textContent.includes('Recording')")
    page.wait_for_timeout(4000)
    box.locator(".cue-stop").click()
    page.wait_for_function("document.querySelector('#cues-dad .cue-status').textContent.includes('Saved')",
                           timeout=20_000)
    assert "1 of 2 lines recorded" in box.locator("summary").inner_text()
    assert "recorded ✓" in box.locator(".cue-where").inner_text()
    assert box.locator(".cue-play").is_enabled()
    assert page.evaluate("document.activeElement.classList.contains('cue-play')")
    shoot(page, "9-parent-records")
    row = CueRecording.objects.get()
    assert row.line_id == dad[0] and 2.0 < row.duration < 6.0, row.duration
    box.locator(".cue-next").click()
    assert "Nothing too bright" in box.locator(".cue-text").inner_text()
    assert "not recorded yet" in box.locator(".cue-where").inner_text()

    # The rehearsal: Dad's first line in the parent's voice, his second in the chosen voice.
    heard: list[tuple[str, str]] = []
    page.on("response", lambda r: heard.append((r.url, r.headers.get("x-runthru-engine", "")))
            if "/api/audio/" in r.url else None)
    page.goto(f"{live_server.url}/rehearse/{rehearsal.pk}")
    page.wait_for_selector("#script-view li.current")
    page.click("#play-button")
    page.wait_for_function("Number(document.querySelector('#script-view li.current').dataset.index) === 1",
                           timeout=20_000)  # Dad's cue played; Maya's turn
    first = [engine for url, engine in heard if dad[0] in url]
    assert first and set(first) == {"parent"}, heard
    assert all(f"take={row.take}" in url for url, _ in heard if dad[0] in url), heard
    page.click("#continue-button")
    page.wait_for_function(f"performance.getEntriesByType('resource').some(e => e.name.includes('{dad[1]}'))")
    page.wait_for_timeout(500)
    second = [engine for url, engine in heard if dad[1] in url]
    assert second and set(second) == {"espeak"}, heard


def test_a_take_the_time_limit_cuts_is_saved_and_says_the_end_is_missing(live_server, rehearsal, parent_page,
                                                                           monkeypatch):
    from sessions_app.models import CueRecording

    monkeypatch.setattr("web.api.cues.MAX_CUE_SECONDS", 8.0)  # the page stops 5 s before the server's limit
    page = parent_page
    page.goto(f"{live_server.url}/scripts/{rehearsal.script_id}/cast")
    page.wait_for_selector("#cues-section:not([hidden])")
    box = page.locator("#cues-dad")
    box.locator("summary").click()
    box.locator(".cue-record").click()
    # Nobody presses Stop.
    page.wait_for_function("document.querySelector('#cues-dad .cue-status').textContent.includes('Saved')",
                           timeout=20_000)
    assert box.locator(".cue-status").inner_text() == (
        "Saved, but recordings stop after 8 seconds, so the end of this line is missing. "
        "Record it again a little faster, or press Delete and the chosen voice reads it.")
    assert 1.0 < CueRecording.objects.get().duration <= 3.5


def test_the_teen_sees_what_is_recorded_but_cannot_record(live_server, rehearsal, browser):
    from sessions_app.cues import cue_record
    from sessions_app.signin import pin_set

    pin_set(pin="246813")
    dad = [e["id"] for e in rehearsal.script.scenes[0]["elements"] if e.get("character") == "dad"]
    cue_record(session=rehearsal, line_id=dad[1], data=wav_bytes(speak("Nothing too bright, mind.")))
    page = browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/signin")
    page.fill("#pin", "246813")
    page.click("#signin-button")
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/scripts/{rehearsal.script_id}/cast")
    page.wait_for_selector("#cues-section:not([hidden])")
    assert page.locator("#cues-parents-note").is_visible() and page.locator("#cues-mic").is_hidden()
    box = page.locator("#cues-dad")
    assert "1 of 2 lines recorded" in box.locator("summary").inner_text()
    box.locator("summary").click()
    assert box.locator(".cue-record").is_disabled() and box.locator(".cue-delete").is_hidden()
    page.close()
