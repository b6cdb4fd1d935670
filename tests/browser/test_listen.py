"""Listen mode in headless Chromium with a fake microphone fed from a WAV of espeak-ng
reading: the right line moves on by itself, a wrong line shows the missed words,
and silence brings a hint."""

from __future__ import annotations

import numpy as np
import pytest

from tests.speech import speak

from .test_flow import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "246813"
PLAY = """# The Party

## Scene 1: The Kitchen

**MAYA:** I will not go to the party tonight, whatever my father says.

**DAD:** Then you can help me paint the fence on Saturday morning.

**MAYA:** Fine. But I am choosing the colour.
"""
LINE = "I will not go to the party tonight, whatever my father says."
WRONG = "Then you can help me paint the fence on Saturday morning."
RATE = 48000


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), np.float32)


@pytest.fixture
def rehearsal(db):
    from scripts_app.services import script_create
    from sessions_app.services import session_create
    from sessions_app.signin import pin_set
    from tts_app.jobs import job_for, job_run

    pin_set(pin=PIN)
    script = script_create(source=PLAY)
    session = session_create(script=script, user_role="maya")
    job = job_for(script=script, engine=session.tts_engine, user_role="maya",
                  voice_assignments=session.voice_assignments, session_id=session.pk)
    job_run(job_id=job.pk)
    return session


@pytest.fixture
def rehearse_hearing(live_server, rehearsal, page_hearing):
    """rehearse_hearing(samples): sign in, open the rehearsal with listen mode on and press Play,
    in a Chromium whose microphone hears `samples` (looped); allow=False: the browser refuses it."""
    def open_rehearsal(samples: np.ndarray, *, allow: bool = True):
        page = page_hearing(samples, RATE, allow=allow)
        page.goto(live_server.url + "/signin")
        page.fill("#pin", PIN)
        page.click("#signin-button")
        page.wait_for_url(live_server.url + "/")
        page.goto(f"{live_server.url}/rehearse/{rehearsal.pk}")
        page.wait_for_selector("#script-view li.current")
        page.click("#settings summary")
        page.check("#listen-mode")
        assert "microphone" in page.locator("#mic-explain").inner_text()
        page.click("#settings summary")
        page.click("#play-button")
        if allow:
            page.wait_for_selector("#listen-state:not([hidden])")
        return page

    return open_rehearsal


def test_the_line_said_right_moves_on_to_the_next_cue_by_itself(rehearse_hearing):
    page = rehearse_hearing(np.concatenate([_silence(1.0), speak(LINE, rate=RATE), _silence(12)]))
    assert "Listening" in page.locator("#listen-state").inner_text()
    shoot(page, "7-listening")
    # Nobody touches Continue: the page hears the line end and plays Dad's cue.
    page.wait_for_function("Number(document.querySelector('#script-view li.current').dataset.index) >= 1",
                           timeout=25_000)
    page.wait_for_selector("#line-0 .attempt", timeout=25_000)
    score = int(page.locator("#line-0 .attempt .score").inner_text().rstrip("%"))
    assert score >= 80, page.locator("#line-0 .attempt").inner_text()
    page.wait_for_function("document.querySelector('#scene-progress').textContent.includes('of 2 lines learnt')")
    shoot(page, "8-heard")


def test_a_wrong_line_shows_the_missed_words(rehearse_hearing):
    page = rehearse_hearing(np.concatenate([_silence(1.0), speak(WRONG, rate=RATE), _silence(12)]))
    page.wait_for_selector("#line-0 .attempt", timeout=30_000)
    missed = page.locator("#line-0 .attempt mark").all_inner_texts()  # missed or said differently
    assert len(missed) >= 5, page.locator("#line-0 .attempt").inner_text()
    assert int(page.locator("#line-0 .attempt .score").inner_text().rstrip("%")) <= 40


def test_silence_at_my_line_brings_a_first_letter_hint(rehearse_hearing):
    page = rehearse_hearing(_silence(3))
    page.wait_for_function("document.querySelector('#player-status').textContent.includes('Hint: I w n g')",
                           timeout=15_000)
    assert page.locator("#script-view li.current").get_attribute("data-index") == "0"  # still waiting for me
    page.wait_for_function("document.querySelector('#player-status').textContent.includes('I will not go')",
                           timeout=15_000)


def test_a_blocked_microphone_says_how_to_allow_it(rehearse_hearing):
    page = rehearse_hearing(_silence(1), allow=False)
    page.wait_for_function("document.querySelector('#player-status').textContent.includes('blocked')")
    assert page.locator("#player-status").inner_text() == (
        "The microphone is blocked for RunThru. Allow it in the address bar (the 🔒 or 🎤 icon), then press Play.")
