"""Listen mode in headless Chromium with a fake microphone fed from a WAV of espeak-ng
reading: the right line moves on by itself, a wrong line shows the missed words,
and silence brings a hint."""

from __future__ import annotations

import os

import numpy as np
import pytest

from tests.speech import speak, wav_bytes

from .conftest import ARGS, chromium_path
from .test_flow import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
sync_api = pytest.importorskip("playwright.sync_api")

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


def _rehearse_with_microphone(live_server, session, tmp_path, samples: np.ndarray, name: str):
    """Sign in, open the rehearsal with listen mode on, press Play; the microphone hears `samples` (looped)."""
    wav = tmp_path / f"{name}.wav"
    wav.write_bytes(wav_bytes(samples.astype(np.float32), rate=RATE))
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    args = [*ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}"]
    path = chromium_path()
    if path is None:
        if os.environ.get("RUNTHRU_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is not installed, and this run must include the browser tests")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    playwright = sync_api.sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, headless=True, args=args)
    context = browser.new_context(viewport={"width": 1200, "height": 850})
    context.grant_permissions(["microphone"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/signin")
    page.fill("#pin", PIN)
    page.click("#signin-button")
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/rehearse/{session.pk}")
    page.wait_for_selector("#script-view li.current")
    page.click("#settings summary")
    page.check("#listen-mode")
    assert "microphone" in page.locator("#mic-explain").inner_text()
    page.click("#settings summary")
    page.click("#play-button")
    page.wait_for_selector("#listen-state:not([hidden])")

    def close():
        context.close()
        browser.close()
        playwright.stop()
        assert not errors, errors

    return page, close


def test_the_line_said_right_moves_on_to_the_next_cue_by_itself(live_server, rehearsal, tmp_path):
    samples = np.concatenate([_silence(1.0), speak(LINE, rate=RATE), _silence(12)])
    page, close = _rehearse_with_microphone(live_server, rehearsal, tmp_path, samples, "right")
    try:
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
    finally:
        close()


def test_a_wrong_line_shows_the_missed_words(live_server, rehearsal, tmp_path):
    samples = np.concatenate([_silence(1.0), speak(WRONG, rate=RATE), _silence(12)])
    page, close = _rehearse_with_microphone(live_server, rehearsal, tmp_path, samples, "wrong")
    try:
        page.wait_for_selector("#line-0 .attempt", timeout=30_000)
        missed = page.locator("#line-0 .attempt mark").all_inner_texts()  # missed or said differently
        assert len(missed) >= 5, page.locator("#line-0 .attempt").inner_text()
        assert int(page.locator("#line-0 .attempt .score").inner_text().rstrip("%")) <= 40
    finally:
        close()


def test_silence_at_my_line_brings_a_first_letter_hint(live_server, rehearsal, tmp_path):
    page, close = _rehearse_with_microphone(live_server, rehearsal, tmp_path, _silence(3), "silence")
    try:
        page.wait_for_function("document.querySelector('#player-status').textContent.includes('Hint: I w n g')",
                               timeout=15_000)
        assert page.locator("#script-view li.current").get_attribute("data-index") == "0"  # still waiting for me
        page.wait_for_function("document.querySelector('#player-status').textContent.includes('I will not go')",
                               timeout=15_000)
    finally:
        close()
