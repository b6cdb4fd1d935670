"""One JSON error shape everywhere under /api/, never an HTML page or a stack trace."""

import pytest

from .api_helpers import assert_error, make_client


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/scripts/1/extra", "/api/v2/scripts", "/api/",
                                  "/api/audio/1", "/api/tts"])
def test_an_unknown_api_address_answers_json_404(api, path):
    assert_error(api.get(path), 404)


def test_an_unknown_api_address_answers_json_404_without_a_sign_in(db):
    assert_error(make_client().get("/api/nothing-here"), 404)


@pytest.mark.parametrize("method,path", [("put", "/api/scripts"), ("delete", "/api/scripts"),
                                         ("get", "/api/auth/verify"), ("post", "/api/health"),
                                         ("patch", "/api/tts/voices"), ("get", "/api/tts/synthesize")])
def test_a_wrong_method_answers_json_405(api, method, path):
    response = getattr(api, method)(path)
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"]


def test_malformed_json_answers_a_plain_400(api):
    response = api.generic("POST", "/api/scripts", b'{"markdown_source": ', content_type="application/json")
    error = assert_error(response, 400, "parse_error")
    assert "JSON" in error["message"]


def test_malformed_json_on_sign_in_answers_a_plain_400(db):
    response = make_client().generic("POST", "/api/auth/verify", b"{pin:", content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_json_that_is_not_an_object_answers_400(api):
    response = api.generic("POST", "/api/scripts", b'["a", "b"]', content_type="application/json")
    assert_error(response, 400)
    response = api.generic("PATCH", "/api/sessions/00000000-0000-0000-0000-000000000000", b"42",
                           content_type="application/json")
    assert response.status_code in (400, 404)
    assert_error(response, response.status_code)


def test_an_unsupported_content_type_answers_415(api):
    response = api.generic("POST", "/api/scripts", b"<xml/>", content_type="application/xml")
    assert_error(response, 415, "unsupported_media_type")


def test_a_body_over_the_limit_answers_413_before_sign_in(db):
    response = make_client().generic("POST", "/api/auth/verify", b"x" * (3 * 1024 * 1024),
                                     content_type="application/json")
    assert_error(response, 413, "too_large")


def test_a_voice_upload_may_be_bigger_than_a_script_but_not_unlimited(api):
    response = api.generic("POST", "/api/tts/voices", b"x" * (13 * 1024 * 1024),
                           content_type="application/octet-stream")
    assert_error(response, 413, "too_large")


def test_a_validation_error_names_the_field(api):
    error = assert_error(api.post("/api/sessions", {"script_id": "abc", "user_role": "x"}, format="json"), 400,
                         "invalid")
    assert "Script id" in error["message"]
    assert "script_id" in error["details"]


def test_a_bad_host_header_answers_json_not_html(db):
    response = make_client(HTTP_HOST="evil.example").get("/api/health")
    assert_error(response, 400)


def test_the_api_never_answers_with_html(api):
    for response in (api.get("/api/nothing"), api.post("/api/scripts/1"), api.get("/api/scripts/999")):
        assert b"<html" not in response.content.lower()
        assert b"Traceback" not in response.content
