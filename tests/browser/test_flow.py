"""The whole teen flow in headless Chromium: sign in, upload, cast, generate,
rehearse, resume. Screenshots (laptop and 360 px wide) go to artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "samples" / "the_lighthouse_keepers.md"
SHOTS = REPO / "artifacts" / "screenshots"
PIN = "246813"


@pytest.fixture
def inline_jobs(monkeypatch):
    """Generation runs inside the request that starts it (no django-q cluster in tests)."""
    from tts_app import jobs

    monkeypatch.setattr(jobs, "job_enqueue", lambda *, job_id: jobs.job_run(job_id=job_id))


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_timeout(150)
    page.screenshot(path=str(SHOTS / f"{name}-360.png"), full_page=True)
    # Nothing may stick out sideways at 360 px.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{name} is wider than a 360 px phone by {overflow}px"
    page.set_viewport_size(size)


def current_index(page) -> int:
    return int(page.locator("#script-view li.current").get_attribute("data-index"))


def test_sign_in_upload_cast_generate_rehearse_resume(live_server, browser, inline_jobs):
    from sessions_app.signin import pin_set

    pin_set(pin=PIN)
    context = browser.new_context(viewport={"width": 1200, "height": 850})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    audio: list[tuple[int, str]] = []
    page.on("response", lambda r: audio.append((r.status, r.url)) if "/api/audio/" in r.url else None)

    # Signed out: the library sends us to sign in.
    page.goto(live_server.url + "/")
    page.wait_for_url("**/signin?**")
    page.fill("#pin", "0000")
    page.click("#signin-button")
    page.wait_for_function("document.querySelector('#signin-message').textContent.includes(\"isn't right\")")
    shoot(page, "1-signin")
    page.fill("#pin", PIN)
    page.click("#signin-button")
    page.wait_for_url(live_server.url + "/")

    # Library: upload the sample through the file input.
    page.wait_for_selector("#scripts-empty:not([hidden])")
    page.set_input_files("#script-file", str(SAMPLE))
    page.click("#upload-button")
    item = page.locator(".script-item", has_text="The Lighthouse Keepers")
    item.wait_for()
    assert "4 characters" in item.inner_text()
    shoot(page, "2-library")

    # Cast: roles ordered by line count, pick Maren (the biggest part).
    item.get_by_role("link", name="Rehearse").click()
    page.wait_for_url("**/scripts/*/cast")
    page.locator(".role-option").first.wait_for()
    roles = page.locator(".role-option .role-name").all_inner_texts()
    assert roles[0] == "MAREN", roles
    page.get_by_label("MAREN").check()
    page.wait_for_selector("#voice-section:not([hidden])")
    assert page.locator("#voice-rows tr").count() == 3  # everyone but Maren
    # each default voice says why it fits, so a parent sees a wrong guess at a glance
    assert page.locator("#voice-rows .voice-clue").all_inner_texts() == [
        "a man: Tobias is usually a man’s name", "a man: “GRANDPA” in the name",
        "a woman: Ida is usually a woman’s name"]
    assert page.locator("#engine-select option:checked").inner_text().startswith("eSpeak")
    # A mixed cast: Tobias (who speaks first) gets a natural voice while the rest stay on espeak-ng.
    with page.expect_response(lambda r: "/api/sessions/" in r.url and r.request.method == "PATCH") as patched:
        page.select_option("#voice-tobias", "piper-joe")
    assert patched.value.ok
    shoot(page, "3-cast")

    page.click("#generate-button")
    page.wait_for_function(
        "document.querySelector('#progress-text').textContent.includes('All the voices are ready')", timeout=40_000)
    progress = page.locator("#progress")
    assert progress.get_attribute("value") == progress.get_attribute("max")
    assert page.locator("#failures").is_hidden()
    shoot(page, "4-generated")

    # Rehearse scene 1 as Maren: line 0 is a direction, 1 is Tobias, 2 is Maren.
    page.click("#rehearse-link")
    page.wait_for_url("**/rehearse/*")
    page.wait_for_selector("#script-view li.current")
    assert current_index(page) == 0
    assert page.locator("#audio-missing").is_hidden()
    page.click("#play-button")
    page.wait_for_selector("#continue-button:enabled", timeout=20_000)
    assert current_index(page) == 2
    assert "mine" in page.locator("#script-view li.current").get_attribute("class")
    assert [s for s, _ in audio] and all(s in (200, 206) for s, _ in audio), audio
    heard = len(audio)
    shoot(page, "5-rehearse")

    # Continue (Space): Tobias speaks (line 3), then we stop at Maren's line 4.
    page.locator("body").focus()
    page.keyboard.press("Space")
    page.wait_for_function("document.querySelector('#script-view li.current').dataset.index === '4'", timeout=20_000)
    page.wait_for_selector("#continue-button:enabled")
    assert len(audio) > heard

    # Hidden mode: our line's words disappear; Peek shows them while held.
    page.click("#settings summary")
    page.get_by_label("Hidden (hold Peek to see)").check()
    line4 = page.locator("#line-4 .text")
    assert "The teeth" not in line4.inner_text()
    assert "drifting" in page.locator("#line-3 .text").inner_text()  # other lines stay
    page.locator("#peek-button").hover()
    page.mouse.down()
    assert "The teeth" in line4.inner_text()
    page.mouse.up()
    assert "The teeth" not in line4.inner_text()
    shoot(page, "6-rehearse-hidden")

    # Pause, reload: we come back to the same line.
    page.click("#play-button")
    page.wait_for_timeout(300)  # let the position PATCH land
    page.reload()
    page.wait_for_selector("#script-view li.current")
    assert current_index(page) == 4
    assert "The teeth" not in page.locator("#line-4 .text").inner_text()  # the setting is remembered

    assert not errors, errors
    context.close()
