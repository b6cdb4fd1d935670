"""Three phones rehearse one scene together (three Chromium contexts: the host and two
castmates) against two real web processes on the embedded default: join by link, claim parts,
run the scene to its end with Captain Ida read by RunThru, one castmate's phone drops and comes
back, and the host jumps back a scene. A note the host leaves on Maren's line reaches Kim in the
room and, afterwards, Maren's own rehearse page."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import requests

from runthru_site.webservers import start_daphne
from tests.helpers import REPO, child_env, free_port, queued_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PIN = "246813"
PHONE = {"width": 390, "height": 844}
NOTE = "wait for the laugh"


@pytest.fixture
def two_web_processes():
    """The embedded default: two daphne processes sharing one port, each with its own
    in-memory channel layer, so a phone learns the other process's changes from the database."""
    port = free_port()
    procs = start_daphne(sys.executable, "127.0.0.1", port, 2, cwd=REPO, start_new_session=True,
                         env=child_env(RUNTHRU_ROOM_BEAT_MS="200"), stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(url + "/api/health", timeout=5).status_code == 200:
                break
        except requests.RequestException:
            pass  # the shared socket takes connections before the processes are ready
        assert time.monotonic() < deadline, "the web processes did not start"
        time.sleep(0.2)
    yield url
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(10)


def phone(browser, errors: list[str]):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page


def current_line(page) -> str | None:
    return page.locator("#room-script li.current").get_attribute("data-line-id")


def wait_for_line(pages, line_id: str) -> None:
    for page in pages:
        page.wait_for_selector(f'#room-script li.current[data-line-id="{line_id}"]', timeout=30_000)


def test_three_phones_run_a_scene_together(two_web_processes, browser, script):
    from sessions_app.signin import pin_set
    from tts_app.jobs import job_run

    url = two_web_processes
    pin_set(pin=PIN)
    job = queued_job(script)  # Maren's rehearsal; every other part gets its clip (espeak)
    job_run(job_id=job.pk)
    errors: list[str] = []

    # The host opens a room from the rehearsal.
    _, host = phone(browser, errors)
    host.goto(url + "/signin")
    host.fill("#pin", PIN)
    host.click("#signin-button")
    host.wait_for_url(url + "/")
    host.goto(f"{url}/rehearse/{job.session_id}")
    host.click("#room-open")
    host.wait_for_selector("#room-invite:not([hidden])")
    link = host.get_attribute("#room-link", "href")
    assert link.startswith(url + "/rooms/") and host.locator("#room-qr").get_attribute("src").startswith("data:")
    heard: list[str] = []
    host.on("response", lambda r: heard.append(r.url) if "/audio/" in r.url and r.status == 200 else None)

    # Two castmates join by the link, no PIN, and pick their parts; the host plays Grandpa Oskar.
    members = {}
    for name, character in (("Sam", "tobias"), ("Kim", "maren")):
        context, page = phone(browser, errors)
        member_audio: list[str] = []
        page.on("response", lambda r, seen=member_audio: seen.append(r.url) if "/audio/" in r.url else None)
        page.goto(link)
        page.fill("#room-name", name)
        page.click("#room-join-button")
        page.click(f'.cast-item[data-character="{character}"] button')
        page.wait_for_selector(f'.cast-item[data-character="{character}"] >> text=Let RunThru read it')
        members[character] = (context, page, member_audio)
    host.click('.cast-item[data-character="grandpa-oskar"] button')
    host.wait_for_selector('.cast-item[data-character="grandpa-oskar"] >> text=Let RunThru read it')
    for _, page, _ in members.values():
        page.wait_for_selector('.cast-item[data-character="grandpa-oskar"] >> text=Host')

    # Scene 2, where Captain Ida speaks: nobody plays her.
    scene = script.scenes[1]
    host.select_option("#room-scene", scene["id"])
    lines = [e for e in scene["elements"] if e["type"] == "dialogue"]
    pages = lambda: [host] + [page for _, page, _ in members.values()]  # noqa: E731
    wait_for_line(pages(), lines[0]["id"])
    host.click("#room-start")

    dropped = False
    noted = None
    for line in lines:
        wait_for_line(pages(), line["id"])
        speaker = line["character"]
        if speaker == "tobias" and not dropped:
            # Sam's phone drops off and comes back on the same link: the part is still his.
            dropped = True
            context, page, seen = members["tobias"]
            page.close()
            host.wait_for_selector('.cast-item[data-character="tobias"] >> text=(away)')
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(link)
            members["tobias"] = (context, page, seen)
            wait_for_line([page], line["id"])
            page.wait_for_selector(".cast-item[data-character=tobias] >> text=Let RunThru read it")
            host.wait_for_selector('.cast-item[data-character="tobias"] >> text=Sam')
        if speaker == "tobias":
            members["tobias"][1].click("#room-done")
        elif speaker == "maren":
            kim = members["maren"][1]
            kim.wait_for_selector("#room-done:not([disabled])")
            if noted is None:
                # The director notes Maren's first line here: Kim sees it at once, and the
                # rehearsal the room came from (Maren's) shows it later.
                noted = line
                host.fill("#room-note", NOTE)
                host.click("#room-note-save")
                kim.wait_for_selector(f"#room-my-note >> text=Note from the director: {NOTE}")
            kim.keyboard.press("Space")
        elif speaker == "grandpa-oskar":
            host.click("#room-done")
        # Captain Ida: RunThru reads her line on the host's device and moves on by itself.

    for page in pages():
        page.wait_for_selector("#room-status >> text=The end!")
    ida = [line["id"] for line in lines if line["character"] == "captain-ida"]
    assert all(any(f"/audio/{line_id}" in u for u in heard) for line_id in ida), heard
    assert all(not seen for _, _, seen in members.values())  # together in one room: only the host plays

    # The host jumps back a scene: every phone follows.
    host.select_option("#room-scene", script.scenes[0]["id"])
    first = next(e for e in script.scenes[0]["elements"] if e["type"] == "dialogue")
    wait_for_line(pages(), first["id"])

    # Later, the note waits under that line in Maren's own rehearsal of the play.
    host.goto(f"{url}/rehearse/{job.session_id}")
    host.select_option("#scene-select", "1")  # scene 2, where the note is
    note = host.locator(f'#script-view li[data-line-id="{noted["id"]}"] .director-note')
    note.wait_for()
    assert note.is_visible() and note.text_content() == f"Note from the director: {NOTE}"
    assert host.locator("#script-view .director-note").count() == 1
    host.click("#settings summary")  # hiding her lines as she learns them keeps the note
    host.check('input[name="display"][value="hidden"]')
    host.wait_for_selector(f'#script-view li[data-line-id="{noted["id"]}"] .hidden-line')
    assert note.is_visible() and note.text_content() == f"Note from the director: {NOTE}"
    assert not errors
