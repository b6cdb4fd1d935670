"""Chromium for the browser tests. Where CI promises a browser (RUNTHRU_REQUIRE_BROWSER=1,
set by .ci/run), a missing one fails the run instead of quietly skipping these tests."""

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.needs import missing
from tests.speech import wav_bytes

CHROMIUM = os.environ.get("RUNTHRU_CHROMIUM")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
]


def chromium_path() -> str | None:
    if CHROMIUM:  # this one, or none
        return CHROMIUM if Path(CHROMIUM).exists() else None
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")


def _chromium_or_skip() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("RUNTHRU_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is not installed, and this run must include the browser tests")
        missing("Chromium (apt-get install -y chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    return path


@pytest.fixture
def browser():
    path = _chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page_hearing(live_server, tmp_path):
    """page_hearing(samples, rate): a page in its own Chromium whose microphone hears `samples`
    (float32 mono, looped), with the microphone allowed for the live server (allow=False: the
    browser says no when the page asks). A script error on the page fails the test."""
    path = _chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api")
    opened = []

    def open_page(samples: np.ndarray, rate: int, *, allow: bool = True):
        wav = tmp_path / f"microphone-{len(opened)}.wav"
        wav.write_bytes(wav_bytes(samples.astype(np.float32), rate=rate))
        playwright = sync_api.sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=[
            *ARGS, "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={wav}",
            "--use-fake-ui-for-media-stream" if allow else "--deny-permission-prompts"])
        context = browser.new_context(viewport={"width": 1200, "height": 850})
        if allow:
            context.grant_permissions(["microphone"], origin=live_server.url)
        page = context.new_page()
        page.set_default_timeout(20_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        opened.append((playwright, browser, errors))
        return page

    yield open_page
    for playwright, browser, _ in opened:
        browser.close()
        playwright.stop()
    assert not [error for *_, errors in opened for error in errors]
