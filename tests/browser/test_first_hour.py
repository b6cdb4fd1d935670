"""A family's first hour with A Doll's House, in headless Chromium: a parent on a laptop
uploads and casts it, the teen follows on a phone (390×844) from a second browser,
generates, changes a voice, and comes back to rehearse where they stopped.
Screenshots go to artifacts/screenshots/first-hour-*.png."""

from __future__ import annotations

import pytest

from .test_flow import SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "246813"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 860}


@pytest.fixture
def inline_jobs(monkeypatch):
    from tts_app import jobs

    monkeypatch.setattr(jobs, "job_enqueue", lambda *, job_id: jobs.job_run(job_id=job_id))


def snap(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"first-hour-{name}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{name} is wider than the screen by {overflow}px"


def signed_in_page(browser, url: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url + "/signin")
    page.fill("#pin", PIN)
    page.click("#signin-button")
    page.wait_for_url(url + "/")
    return context, page, errors


def test_a_parent_and_a_teen_get_through_the_first_hour_with_a_dolls_house(live_server, browser, corpus):
    from scripts_app.models import Script
    from sessions_app.models import RehearsalSession
    from sessions_app.signin import pin_set
    from tts_app.models import GenerationJob, JobLine

    pin_set(pin=PIN)
    laptop, parent, parent_errors = signed_in_page(browser, live_server.url, LAPTOP)

    # The parent uploads the play from the library.
    parent.wait_for_selector("#scripts-empty:not([hidden])")
    parent.set_input_files("#script-file", str(corpus / "a_dolls_house_pg2542.txt"))
    parent.click("#upload-button")
    item = parent.locator(".script-item").first
    item.wait_for()
    snap(parent, "1-library")
    script = Script.objects.get()

    # Cast page: nothing to stop or rehearse before anything is made.
    item.get_by_role("link", name="Rehearse").click()
    parent.wait_for_url("**/scripts/*/cast")
    parent.get_by_label("NORA").check()
    parent.wait_for_selector("#generate-section:not([hidden])")
    assert parent.locator("#cancel-button").is_hidden()
    assert parent.locator("#rehearse-link").is_hidden()
    assert "DOCTOR RANK" not in parent.locator("#role-list").inner_text()  # joined with RANK by itself

    # The maid is called SERVANT once: the parent joins the two names on the cast page.
    parent.click("#merge-box summary")
    parent.select_option("#merge-from", "SERVANT")
    parent.select_option("#merge-into", "MAID")
    parent.click("#merge-button")
    parent.wait_for_function("!document.querySelector('#role-list').textContent.includes('SERVANT')")
    merges = parent.locator("#merge-list").inner_text()
    assert "SERVANT is read as MAID" in merges and "DOCTOR RANK is read as RANK" in merges
    snap(parent, "2-cast")
    script.refresh_from_db()

    # Voices are being made (a job part-way through, its worker busy elsewhere): the teen's
    # phone, a second browser, shows the progress instead of a plain Generate button.
    session = RehearsalSession.objects.get()
    from tts_app.jobs import job_for

    job = job_for(script=script, engine=session.tts_engine, user_role=session.user_role,
                  voice_assignments=session.voice_assignments, session_id=session.pk, enqueue=False)
    GenerationJob.objects.filter(pk=job.pk).update(state="running", cached=5)
    JobLine.objects.filter(job=job, position__lt=5).update(status="cached")
    phone_context, teen, teen_errors = signed_in_page(browser, live_server.url, PHONE)
    teen.goto(f"{live_server.url}/scripts/{script.pk}/cast")
    teen.wait_for_selector("#progress-box:not([hidden])")
    teen.wait_for_function("document.querySelector('#progress-text').textContent.includes('lines ready')")
    teen.wait_for_selector("#cancel-button:not([hidden])")  # shown once the stream of the running job opens
    snap(teen, "3-phone-follows-the-job")
    teen.click("#cancel-button")
    teen.wait_for_function("document.querySelector('#progress-text').textContent.includes('Stopping')")
    from tts_app.jobs import job_run

    job_run(job_id=job.pk)  # the worker sees the request to stop and ends the job
    teen.wait_for_function("document.querySelector('#progress-text').textContent.includes('Press Generate')")

    # The teen makes the voices from the phone.
    with pytest.MonkeyPatch.context() as mp:
        from tts_app import jobs

        mp.setattr(jobs, "job_enqueue", lambda *, job_id: jobs.job_run(job_id=job_id))
        teen.click("#generate-button")
        teen.wait_for_function(
            "document.querySelector('#progress-text').textContent.includes('All the voices are ready')",
            timeout=240_000)
    assert teen.locator("#rehearse-link").is_visible()

    # Changing a voice says how many lines need remaking and offers to make them.
    first = teen.locator("#voice-rows select").first
    options = first.locator("option").all()
    other = next(o.get_attribute("value") for o in options if o.get_attribute("value") != first.input_value())
    first.select_option(other)
    teen.wait_for_function("document.querySelector('#progress-text').textContent.includes('need making again')")
    assert teen.locator("#generate-button").inner_text().startswith("Make")
    assert teen.locator("#rehearse-link").is_hidden()
    snap(teen, "4-phone-voice-changed")

    # Coming back later, part-way through the first act: the line is in view, and the page says so.
    scene = script.scenes[0]
    line = min(8, len(scene["elements"]) - 1)
    RehearsalSession.objects.filter(pk=session.pk).update(current_scene_index=0, current_line_index=line)
    teen.goto(f"{live_server.url}/rehearse/{session.pk}")
    teen.wait_for_selector("#resume-note:not([hidden])")
    assert f"line {line + 1}" in teen.locator("#resume-note").inner_text()
    teen.wait_for_timeout(800)  # the smooth scroll
    box = teen.locator("#script-view li.current").bounding_box()
    controls = teen.locator(".controls").bounding_box()
    assert box["y"] >= 0 and box["y"] + min(box["height"], 60) <= controls["y"], (box, controls)
    assert teen.locator("#peek-button").is_hidden()  # full-text mode: nothing to peek at
    snap(teen, "5-phone-resume")

    assert not parent_errors and not teen_errors, (parent_errors, teen_errors)
    phone_context.close()
    laptop.close()
