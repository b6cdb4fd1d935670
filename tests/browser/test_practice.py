"""Today's practice in headless Chromium: the teen runs the day's lines (each at its rung,
after its cue), grades them, is told when the next review is, and sees the progress picture,
with every request to anywhere but RunThru blocked."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from .test_flow import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "246813"
PLAY = """# The Party

## Scene 1: The Kitchen

**MAYA:** I will not go to the party tonight, whatever my father says.

**DAD:** Then you can help me paint the fence on Saturday morning.

**MAYA:** Fine. But I am choosing the colour.

## Scene 2: The Garden

**DAD:** The fence is green now.

**MAYA:** It is the colour of a frog.

**MAYA:** I'm going inside.
"""


@pytest.fixture
def rehearsal(db):
    from scripts_app.services import script_create
    from sessions_app.practice import line_review
    from sessions_app.services import session_create
    from sessions_app.signin import pin_set

    pin_set(pin=PIN)
    session = session_create(script=script_create(source=PLAY), user_role="maya")
    lines = [e["id"] for s in session.script.scenes for e in s["elements"] if e.get("character") == "maya"]
    long_ago = timezone.now() - timedelta(days=20)
    for minutes in (0, 10):  # two "got it"s long ago: at first letters now, and due
        line_review(session=session, line_id=lines[0], grade="good", now=long_ago + timedelta(minutes=minutes))
    line_review(session=session, line_id=lines[1], grade="good", now=timezone.now() - timedelta(days=1))
    return session, lines


def test_a_teen_runs_todays_practice_with_lines_at_their_rungs_and_sees_the_chart_offline(
        live_server, rehearsal, page_hearing):
    from sessions_app.ladder import shown_at

    session, lines = rehearsal
    texts = {e["id"]: e["text"] for s in session.script.scenes for e in s["elements"]}
    page = page_hearing(np.zeros(4800, np.float32), 48000)
    outside: list[str] = []

    def only_runthru(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_runthru)
    page.goto(live_server.url + "/signin")
    page.fill("#pin", PIN)
    page.click("#signin-button")
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/rehearse/{session.pk}")
    page.click("#practice-link")
    page.wait_for_selector("#practice-start:not([hidden])")
    assert "4 lines today (2 new)" in page.locator("#practice-summary").inner_text()
    page.click("#practice-start")
    seen = {}
    for _ in range(len(lines)):
        page.wait_for_selector("#practice-reveal")
        line = page.locator(".practice-line")
        rung, shown = int(line.get_attribute("data-rung")), line.inner_text()
        page.click("#practice-reveal")
        full = line.inner_text()
        seen[full] = (rung, shown)
        if len(seen) == 1:
            shoot(page, "practice-line")
        page.click(".grade-good")
    expected = {0: 2, 1: 1, 2: 0, 3: 0}
    for n, line_id in enumerate(lines):
        text = texts[line_id]
        assert seen[text][0] == expected[n], (text, seen[text])
        assert seen[text][1] == (shown_at(text, expected[n]) or "…")
    page.wait_for_selector("#practice-done:not([hidden])")
    assert "next review is" in page.locator("#practice-done").inner_text()
    page.wait_for_function("() => { const i = document.getElementById('progress-chart');"
                           " return i.complete && i.naturalWidth > 0; }")
    shoot(page, "practice-done")
    # Back on the rehearse page each line shows as much as its rung: the first is now cue only.
    page.goto(f"{live_server.url}/rehearse/{session.pk}")
    first = page.locator(f'#script-view li[data-line-id="{lines[0]}"] .text')
    first.wait_for()
    assert "hidden-line" in first.get_attribute("class")
    second = page.locator(f'#script-view li[data-line-id="{lines[1]}"] .text').inner_text()
    assert second == shown_at(texts[lines[1]], 2)
    # Tap-to-continue grades too: Maya opens the scene, taps Continue, and says she missed it.
    page.click("#play-button")
    page.wait_for_selector("#continue-button:not([disabled])")
    page.click("#continue-button")
    page.click(f'#script-view li[data-line-id="{lines[0]}"] .grade-again')
    page.wait_for_selector("text=now at “First letters”")
    page.click("#play-button")
    from sessions_app.models import LineCard

    assert LineCard.objects.get(session=session, line_id=lines[0]).rung == 2
    assert outside == []
