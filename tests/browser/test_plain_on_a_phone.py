"""The parents' admin and the teen's pages as a parent and a teen see them, on a phone (390 px)
and a laptop (1280 px): plain words, no raw JSON or ids, nothing scrolling sideways on the phone."""

import pytest

from tests.admin.family import admin_signed_in, family_seed
from tests.admin.plain_text import never_shown_in
from tests.browser.conftest import ARGS, _chromium_or_skip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)
PIN = "24681357"


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module: each width gets its own context (its own cookies)."""
    path = _chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=path, headless=True, args=ARGS)
        yield chromium
        chromium.close()


def opened(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 850})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def fits(page, width: int) -> bool:
    return width > 400 or page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def follow(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def shown(page) -> str:
    return page.inner_text("body")


def test_a_parent_reads_the_admin_in_plain_words_on_a_phone_and_a_laptop(live_server, browser, sample_text):
    from tts_app.selectors import voices_for

    script, session, deleted = family_seed(sample_text)
    tobias = next(v.name for v in voices_for(session.tts_engine) if v.id == session.voice_assignments["tobias"])
    for width in WIDTHS:
        context, page, errors = opened(browser, width)
        admin_signed_in(page, live_server.url)

        # the home page is the dashboard
        text = shown(page)
        for words in ("The Lighthouse Keepers — MAREN", "0 of 8 lines learnt", "12 of 40 lines", "3 clips",
                      "Change the teen's PIN", "Free disk space", "Bring back The Doctors", "Rehearsing on a phone"):
            assert words in text, (width, words)
        assert never_shown_in(text) == [] and fits(page, width), width

        # a rehearsal: the scene by name, voices by name; raw values only inside the fold
        follow(page, "text=The Lighthouse Keepers — MAREN")
        text = shown(page)
        for words in ("Scene 1: The Lamp Room", f"TOBIAS: {tobias}", "eSpeak NG (built in, robotic)",
                      "Lines learnt, scene by scene"):
            assert words in text, (width, words)
        assert never_shown_in(text) == [] and "{" not in text and fits(page, width), width
        page.click("summary:has-text('Technical details')")
        assert '"tobias"' in shown(page)

        # the clips: the line, who says it, the voice, seconds and kB
        page.goto(live_server.url + "/admin/tts_app/audioclip/")
        text = shown(page)
        for words in ("Maren! There's a ship out past the rocks. I saw her lights!", "TOBIAS", tobias, " s", "KB"):
            assert words in text, (width, words)
        assert never_shown_in(text) == [] and fits(page, width), width
        actions = page.eval_on_selector_all("select[name=action] option", "os => os.map(o => o.textContent)")
        assert [a for a in actions if "elete" in a] == [
            "Delete the selected clips to free disk space (Generate makes them again)"]

        # delete the play, and bring it back from the dashboard
        page.goto(f"{live_server.url}/admin/scripts_app/script/{script.pk}/change/")
        follow(page, "a.deletelink")
        assert "you can bring it back for 30 days" in shown(page)
        follow(page, "#content input[type=submit]")
        assert "can be brought back for 30 days" in shown(page)
        assert page.query_selector("#result_list") is None  # the library list is empty now
        page.goto(live_server.url + "/admin/")
        follow(page, "button:has-text('Bring back The Lighthouse Keepers')")
        text = shown(page)
        assert "The Lighthouse Keepers is back" in text and "Bring back The Lighthouse Keepers" not in text
        assert never_shown_in(text) == [] and fits(page, width), width
        context.close()
        assert errors == []


def test_the_teen_reads_every_page_in_plain_words_on_a_phone_and_a_laptop(live_server, browser, sample_text):
    script, session, _ = family_seed(sample_text)
    for width in WIDTHS:
        context, page, errors = opened(browser, width)
        page.goto(live_server.url + "/signin")
        assert never_shown_in(shown(page)) == [] and fits(page, width)
        page.fill("#pin", PIN)
        page.click("#signin-button")
        page.wait_for_selector(".script-item")
        assert page.is_hidden(f"[aria-label='Delete {script.title}']")  # only a parent deletes
        legend, box = page.eval_on_selector("#upload-form fieldset", """f => [
            f.querySelector('legend').getBoundingClientRect().right, f.getBoundingClientRect().right]""")
        assert legend <= box
        assert never_shown_in(shown(page)) == [] and fits(page, width)

        page.goto(f"{live_server.url}/scripts/{script.pk}/cast")
        page.wait_for_selector("#voice-rows select")
        options = page.eval_on_selector_all("#engine-select option", "os => os.map(o => [o.textContent, o.disabled])")
        usable = [disabled for _, disabled in options]
        assert usable == sorted(usable), options  # the ones that cannot speak come last
        text = shown(page)
        assert "it needs a graphics card (GPU)" in text
        assert never_shown_in(text) == [] and fits(page, width), (width, never_shown_in(text))
        cut = page.eval_on_selector_all("#voice-rows select", """ss => ss.filter(s => {
            const c = document.createElement('canvas').getContext('2d');
            c.font = getComputedStyle(s).font;
            return c.measureText(s.selectedOptions[0].textContent).width > s.clientWidth - 28;
        }).map(s => s.selectedOptions[0].textContent)""")
        assert cut == [], (width, cut)

        page.goto(f"{live_server.url}/rehearse/{session.pk}")
        page.wait_for_selector("#play-button")
        assert never_shown_in(shown(page)) == [] and fits(page, width)
        if width == WIDTHS[-1]:  # once is enough: paused at the teen's line, the page stops telling them to speak
            page.click("#play-button")
            page.wait_for_function("document.querySelector('#player-status').textContent.startsWith('Your line')")
            page.click("#play-button")
            assert page.inner_text("#player-status") == "Paused. Press Play to carry on."
        context.close()
        assert errors == []
