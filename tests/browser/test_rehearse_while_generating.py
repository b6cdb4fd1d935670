"""Rehearse at once: press Generate on a 210-line play and the rehearse page plays the first cue
while the job has barely started; a cue reached before its voice exists says so, waits, and
plays when it is made. The engine is held back at its second batch, so the wait really happens."""

from __future__ import annotations

import threading

import pytest

from .test_flow import current_index

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "246813"


def _play() -> str:
    parts = ["# The Long Rehearsal\n"]
    for scene in range(1, 4):
        parts.append(f"## Scene {scene}\n")
        for i in range(35):
            parts.append(f"**BEN:** Scene {scene}, cue number {i}, are you ready?\n")
            parts.append(f"**ANNA:** Ready as ever, line {i}.\n")
    return "\n".join(parts)


@pytest.fixture
def held_back_jobs(monkeypatch):
    """Jobs run in a thread of their own; the engine's second batch waits for `release`."""
    from tts_app import jobs

    release, threads, calls = threading.Event(), [], []
    make = jobs.clips_make

    def slow_clips_make(items, **kwargs):
        calls.append(len(items))
        if len(calls) == 2:
            release.wait(timeout=30)
        return make(items, **kwargs)

    monkeypatch.setattr(jobs, "clips_make", slow_clips_make)

    def enqueue(*, job_id):
        thread = threading.Thread(target=jobs.job_run, kwargs={"job_id": job_id}, daemon=True)
        threads.append((job_id, thread))
        thread.start()

    monkeypatch.setattr(jobs, "job_enqueue", enqueue)
    yield release
    release.set()
    for job_id, thread in threads:
        jobs.GenerationJob.objects.filter(pk=job_id).update(cancel_requested=True)
        thread.join(timeout=30)


def test_the_first_cue_plays_below_20_percent_and_a_cue_not_made_yet_waits_then_plays(
        live_server, browser, held_back_jobs):
    from scripts_app.services import script_create
    from sessions_app.signin import pin_set
    from tts_app.models import GenerationJob

    pin_set(pin=PIN)
    script = script_create(source=_play())
    assert script.line_count >= 200
    page = browser.new_context(viewport={"width": 1200, "height": 850}).new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    played: list[tuple[str, float]] = []  # (audio URL, the job's share finished when it was answered)

    def heard(response):
        if "/api/audio/" in response.url and response.status in (200, 206):
            job = GenerationJob.objects.order_by("-created_at").first()
            played.append((response.url, job.finished_count / job.total))

    page.on("response", heard)
    page.goto(live_server.url + "/signin")
    page.fill("#pin", PIN)
    page.click("#signin-button")
    page.wait_for_url(live_server.url + "/")

    page.goto(f"{live_server.url}/scripts/{script.pk}/cast")
    page.get_by_label("ANNA").check()
    page.wait_for_selector("#generate-section:not([hidden])")
    page.click("#generate-button")
    page.wait_for_selector("#rehearse-link:visible")  # the first cue is ready: no need to wait for the rest
    assert "made while you rehearse" in page.locator("#rehearse-early-note").inner_text()
    page.click("#rehearse-link")
    page.wait_for_url("**/rehearse/*")
    page.wait_for_selector("#script-view li.current")
    page.wait_for_function("document.querySelector('#audio-missing-text').textContent.includes('being made')")
    assert "Generate" not in page.locator("#audio-missing-text").inner_text()

    page.click("#play-button")
    page.wait_for_selector("#continue-button:enabled")  # Ben's first cue played; Anna's line
    assert current_index(page) == 1
    [(first, share)] = played
    assert first.split("?")[0].endswith(script.scenes[0]["elements"][0]["id"]) and share < 0.2

    page.click("#continue-button")  # on to Ben's second cue, still held back in the engine
    page.wait_for_function(
        "document.querySelector('#player-status').textContent.includes(\"Making this line's voice\")")
    assert "(about 2 s)" in page.locator("#player-status").inner_text()
    assert current_index(page) == 2 and len(played) == 1
    held_back_jobs.set()
    page.wait_for_function("document.querySelector('#script-view li.current').dataset.index === '3'")
    assert len(played) == 2 and played[1][0].split("?")[0].endswith(script.scenes[0]["elements"][2]["id"])
    assert not errors
