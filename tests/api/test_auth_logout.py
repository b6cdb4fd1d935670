"""POST /api/auth/logout and what needs a sign-in."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sessions_app.models import ApiToken

from .api_helpers import assert_error, make_client

PROTECTED = [
    ("get", "/api/scripts"),
    ("post", "/api/scripts"),
    ("get", "/api/scripts/1"),
    ("patch", "/api/scripts/1"),
    ("delete", "/api/scripts/1"),
    ("get", "/api/sessions"),
    ("post", "/api/sessions"),
    ("get", "/api/sessions/00000000-0000-0000-0000-000000000000"),
    ("get", "/api/tts/voices"),
    ("post", "/api/tts/voices"),
    ("post", "/api/tts/synthesize"),
    ("get", "/api/tts/voices/espeak/en-us/preview"),
    ("get", "/api/audio/1/abc"),
    ("post", "/api/sessions/00000000-0000-0000-0000-000000000000/generate"),
    ("get", "/api/jobs/1"),
    ("post", "/api/auth/logout"),
]


@pytest.mark.parametrize("method,url", PROTECTED)
def test_every_endpoint_needs_a_sign_in(db, method, url):
    assert_error(getattr(make_client(), method)(url), 401, "not_authenticated")


@pytest.mark.parametrize("method,url", PROTECTED)
def test_a_forged_token_is_refused(db, method, url):
    client = make_client(HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert_error(getattr(client, method)(url), 401, "authentication_failed")


def test_an_expired_token_is_refused(api):
    assert api.get("/api/scripts").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    error = assert_error(api.get("/api/scripts"), 401)
    assert "sign in again" in error["message"]


def test_a_401_tells_the_client_how_to_authenticate(db):
    response = make_client().get("/api/scripts")
    assert response["WWW-Authenticate"] == "Bearer"


def test_logging_out_ends_the_token(api):
    assert api.post("/api/auth/logout").status_code == 204
    assert ApiToken.objects.count() == 0
    assert_error(api.get("/api/scripts"), 401)


def test_the_session_cookie_works_for_a_get(pin):
    client = Client(HTTP_HOST="localhost")
    assert client.post("/api/auth/verify", {"pin": pin}, content_type="application/json").status_code == 200
    assert client.get("/api/scripts").status_code == 200


def test_a_cookie_session_post_needs_the_csrf_token(pin, sample_text):
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    assert client.post("/api/auth/verify", {"pin": pin}, content_type="application/json").status_code == 200
    body = {"markdown_source": sample_text}
    refused = client.post("/api/scripts", body, content_type="application/json")
    # A page left open across a sign-in elsewhere sends an old token: the teen is told what to do.
    error = assert_error(refused, 403, "page_out_of_date")
    assert error["message"] == "This page is out of date. Reload it and try again."
    csrf = client.cookies["csrftoken"].value
    accepted = client.post("/api/scripts", body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201, accepted.content


def test_logging_out_ends_the_cookie_session_too(pin):
    client = Client(HTTP_HOST="localhost")
    client.post("/api/auth/verify", {"pin": pin}, content_type="application/json")
    assert client.post("/api/auth/logout").status_code == 204
    assert_error(client.get("/api/scripts"), 401)
