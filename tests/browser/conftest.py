"""Chromium for the browser tests. Where CI promises a browser (RUNTHRU_REQUIRE_BROWSER=1,
set by .ci/run), a missing one fails the run instead of quietly skipping these tests."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("RUNTHRU_CHROMIUM")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
]


def chromium_path() -> str | None:
    if CHROMIUM:  # this one, or none
        return CHROMIUM if Path(CHROMIUM).exists() else None
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")


@pytest.fixture
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("RUNTHRU_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is not installed, and this run must include the browser tests")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
