"""HTML and JavaScript inside a script are data: JSON from the API, escaped in the admin,
textContent in our pages."""

import re
from pathlib import Path

import pytest

from scripts_app.models import Script
from scripts_app.services import script_create

REPO = Path(__file__).resolve().parents[2]
XSS_NAME = "<script>alert(1)</script>"
XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_LINE = "<script>alert('line')</script> and <b onmouseover=alert(2)>bold</b>"
# Fountain's "@" forces a character name, so the markup becomes one; "(1)" is read as
# the name's extension, like (V.O.), leaving the name "<script>alert</script>".
XSS_PLAY = f"""Title: {XSS_TITLE}

INT. <svg onload=alert(3)> - NIGHT

@{XSS_NAME}
{XSS_LINE}

NORA
(<img src=x onerror=alert(4)>)
Hello there.

@{XSS_NAME}
Goodbye.
"""
RAW_MARKUP = [b"<script>alert", b"<img src=x onerror", b"<svg onload", b"<b onmouseover"]


def assert_no_raw_markup(html: bytes, where=""):
    lowered = html.lower()  # HTML tags are case-insensitive: <SCRIPT> runs too
    for raw in RAW_MARKUP:
        assert raw not in lowered, (raw, where)


@pytest.fixture
def xss_script(db):
    return script_create(source=XSS_PLAY, fmt="fountain")


def test_the_parser_keeps_the_markup_as_plain_data(xss_script):
    assert xss_script.title == XSS_TITLE
    names = {c["name"] for c in xss_script.characters}
    assert "<script>alert</script>" in names, names
    texts = [e.get("text", "") for s in xss_script.scenes for e in s["elements"]]
    assert XSS_LINE in texts, texts
    assert "<svg onload=alert(3)>" in xss_script.scenes[0]["title"]


@pytest.mark.parametrize("path", ["/api/scripts", "/api/scripts/{id}", "/api/sessions", "/api/sessions/{session}",
                                  "/api/sessions?script={id}"])
def test_the_api_returns_markup_as_json_data_never_as_html(api, xss_script, path):
    created = api.post("/api/sessions", {"script_id": xss_script.pk, "user_role": "nora"}, format="json")
    assert created.status_code == 201, created.content
    assert created["Content-Type"] == "application/json"
    response = api.get(path.format(id=xss_script.pk, session=created.json()["id"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert XSS_TITLE in response.content.decode()  # the data itself, unchanged


def test_creating_a_script_with_markup_answers_json(api):
    body = {"markdown_source": XSS_PLAY, "format": "fountain", "title": XSS_NAME}
    response = api.post("/api/scripts", body, format="json")
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["title"] == XSS_NAME
    assert "<script>alert</script>" in {c["name"] for c in body["parsed"]["characters"]}


def test_the_api_asks_for_json_even_when_a_browser_asks_for_html(api, xss_script):
    response = api.get(f"/api/scripts/{xss_script.pk}", HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("application/json")
    assert b"<html" not in response.content.lower()


def test_errors_that_echo_input_are_json_too(api):
    response = api.get("/api/tts/voices", {"engine": XSS_NAME})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def admin_html(parent, url) -> bytes:
    response = parent.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/html")
    return response.content


@pytest.mark.parametrize("url", ["/admin/scripts_app/script/", "/admin/scripts_app/script/{id}/change/",
                                 "/admin/scripts_app/script/?q=%3Cscript%3Ealert(1)",
                                 "/admin/sessions_app/rehearsalsession/",
                                 "/admin/sessions_app/rehearsalsession/{session}/change/"])
def test_the_admin_escapes_markup_from_a_script(parent, xss_script, url):
    from sessions_app.services import session_create

    session = session_create(script=xss_script, user_role=xss_script.characters[0]["id"])
    html = admin_html(parent, url.format(id=xss_script.pk, session=session.pk))
    assert_no_raw_markup(html, url)
    assert b"&lt;" in html  # it is shown, escaped


def test_the_admin_delete_page_escapes_the_title(parent, xss_script):
    assert_no_raw_markup(admin_html(parent, f"/admin/scripts_app/script/{xss_script.pk}/delete/"))


# How our pages show a script's markup (as text, never run) is tested in a real browser:
# tests/browser/test_injected_markup.py.


HTML_SINKS = re.compile(
    r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser"
    r"|\beval\(|new Function\(|setTimeout\(\s*[\"'`]|\.srcdoc|javascript:"
)


def test_our_javascript_has_no_html_sinks():
    offenders = []
    for path in sorted((REPO / "static" / "js").glob("*.js")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if HTML_SINKS.search(line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert not offenders, "use textContent / el() instead:\n" + "\n".join(offenders)


def test_our_javascript_sets_text_with_text_content_through_el():
    api_js = (REPO / "static" / "js" / "api.js").read_text()
    assert 'node.textContent = value' in api_js
    assert "document.createTextNode(String(child))" in api_js


def test_our_templates_never_mark_data_safe():
    offenders = []
    for path in sorted((REPO / "templates").rglob("*.html")):
        text = path.read_text()
        if re.search(r"\|\s*safe\b|{%\s*autoescape\s+off", text):
            offenders.append(str(path.relative_to(REPO)))
    assert not offenders


def test_a_script_saved_through_the_admin_with_markup_is_escaped_on_the_change_page(parent):
    form = {"title": XSS_TITLE, "format": "fountain", "markdown_source": XSS_PLAY, "aliases": "{}"}
    response = parent.post("/admin/scripts_app/script/add/", form, follow=True)
    assert response.status_code == 200
    assert_no_raw_markup(response.content)
    script = Script.objects.get()
    assert script.title == XSS_TITLE
