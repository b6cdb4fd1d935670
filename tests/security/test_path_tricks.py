"""Every id in every route, tricked: traversal, encoded slashes, absolute paths, huge and unicode ids.

Each one gets a clear JSON 4xx, no file outside the data dir is read, and nothing is created.
"""

import pytest
from django.conf import settings

from scripts_app.models import Script
from sessions_app.models import RehearsalSession
from tests.api.api_helpers import assert_error
from tts_app.models import AudioClip, GenerationJob

TRICKS = [
    "..",
    "%2e%2e",
    "%2E%2E%2F%2E%2E",
    "..%2F..%2Fetc%2Fpasswd",
    "..%252F..%252Fetc%252Fpasswd",
    "%2Fetc%2Fpasswd",
    "..%5C..%5Cwindows%5Cwin.ini",
    "....%2F%2F....%2F%2Fetc%2Fpasswd",
    "%00",
    "1%00",
    "1%2F..",
    "-1",
    "0",
    "1.0",
    "1e3",
    "+1",
    " 1",
    "1_0",
    "0x10",
    "9" * 19,
    "9" * 30,
    "9" * 5000,
    "a" * 10_000,
    "%D9%A3",  # ٣, an Arabic-Indic digit three
    "%EF%BC%91",  # １, a fullwidth digit one
    "%C3%A9t%C3%A9",
    "%F0%9F%8E%AD",
    "%FF%FE",  # not UTF-8 at all
    "%C2%B2",  # ², which str.isdigit() calls a digit and int() refuses
    "~root",
    "$(id)",
    "%3Cscript%3E",
    "null",
]
# Tricks that, once decoded, put a slash into the path.
ABSOLUTE = ["/etc/passwd", "//etc/passwd", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"]


def routes(trick: str, script_id: int, session_id: str, line_id: str) -> list[tuple[str, str]]:
    return [
        ("get", f"/api/scripts/{trick}"),
        ("patch", f"/api/scripts/{trick}"),
        ("delete", f"/api/scripts/{trick}"),
        ("get", f"/api/sessions/{trick}"),
        ("patch", f"/api/sessions/{trick}"),
        ("delete", f"/api/sessions/{trick}"),
        ("post", f"/api/sessions/{trick}/generate"),
        ("get", f"/api/jobs/{trick}"),
        ("delete", f"/api/jobs/{trick}"),
        ("get", f"/api/audio/{trick}/{line_id}"),
        ("get", f"/api/audio/{script_id}/{trick}"),
        ("get", f"/api/audio/{trick}/{trick}"),
        ("get", f"/api/audio/{script_id}/{line_id}?session={trick}"),
        ("get", f"/api/sessions?script={trick}"),
        ("get", f"/api/tts/voices?engine={trick}"),
        ("get", f"/api/tts/voices/{trick}/espeak-en/preview"),
        ("get", f"/api/tts/voices/espeak/{trick}/preview"),
        ("get", f"/api/tts/voices/{trick}/{trick}/preview"),
    ]


@pytest.fixture
def world(api, small_script):
    response = api.post("/api/sessions", {"script_id": small_script.pk, "user_role": "nora"}, format="json")
    assert response.status_code == 201, response.content
    line_id = next(e["id"] for s in small_script.scenes for e in s["elements"] if e["type"] == "dialogue")
    return small_script.pk, response.json()["id"], line_id


def counts():
    return (Script.objects.count(), RehearsalSession.objects.count(), GenerationJob.objects.count(),
            AudioClip.objects.count())


def check_refused(api, method, path):
    body = {"title": "x", "user_role": "nora"} if method == "patch" else None
    response = getattr(api, method)(path, body, format="json") if body else getattr(api, method)(path)
    if path.startswith("/api/sessions?") and response.status_code == 200:
        assert response.json() == []  # a filter that matches nothing is a fine answer
        return response
    assert 400 <= response.status_code < 500, (method, path, response.status_code, response.content[:300])
    assert_error(response, response.status_code)
    text = response.content.decode("utf-8", "replace")
    assert "root:" not in text and "[fonts]" not in text and "Traceback" not in text
    return response


@pytest.mark.parametrize("trick", TRICKS)
def test_a_tricky_id_in_any_route_gets_a_json_4xx_and_changes_nothing(api, world, trick):
    before = counts()
    for method, path in routes(trick, *world):
        check_refused(api, method, path)
    assert counts() == before


@pytest.mark.parametrize("path", ABSOLUTE)
@pytest.mark.parametrize("prefix", ["/api/scripts", "/api/sessions", "/api/jobs", "/api/audio/1",
                                    "/api/tts/voices/espeak"])
def test_an_absolute_path_as_an_id_gets_a_json_404(api, world, prefix, path):
    before = counts()
    check_refused(api, "get", prefix + path)
    assert counts() == before


def test_a_signed_out_tricky_request_is_told_to_sign_in_not_given_a_file(anon, world):
    for method, path in routes("..%2F..%2Fetc%2Fpasswd", *world):
        response = check_refused(anon, method, path)
        assert response.status_code in (401, 404)


def test_the_data_dir_holds_the_audio_cache():
    # The audio route resolves files under here only (tts_app.cache.absolute refuses the rest).
    assert settings.RUNTHRU_AUDIO_DIR.resolve().is_relative_to(settings.DATA_DIR)


@pytest.mark.parametrize("script_id", [2**63, 10**30, "9" * 19, "²", "../1", -1, 0, True, 1.5, None, [], {}])
def test_starting_a_rehearsal_with_a_tricky_script_id_gets_a_json_4xx_and_creates_nothing(api, world, script_id):
    before = counts()
    response = api.post("/api/sessions", {"script_id": script_id, "user_role": "nora"}, format="json")
    assert 400 <= response.status_code < 500, response.content[:300]
    assert_error(response, response.status_code)
    assert counts() == before


@pytest.mark.parametrize("path", ["/api/jobs/999?format=sse", "/api/jobs/..?format=sse", "/api/jobs/999"])
def test_an_error_for_an_event_stream_request_is_still_json(api, anon, path):
    for client in (api, anon):
        response = client.get(path, HTTP_ACCEPT="text/event-stream")
        assert response.status_code in (401, 404)
        assert_error(response, response.status_code)
