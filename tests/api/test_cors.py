"""CORS for a separate frontend: closed unless an origin is listed."""

from .api_helpers import make_client


def preflight(origin):
    return make_client().options("/api/scripts", HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
                                 HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization,content-type")


def test_nothing_is_open_by_default(db):
    response = make_client().get("/api/health", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in preflight("https://evil.example")


def test_an_allowed_origin_may_call_the_api(db, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    response = make_client().get("/api/health", HTTP_ORIGIN="https://app.example")
    assert response["Access-Control-Allow-Origin"] == "https://app.example"
    pre = preflight("https://app.example")
    assert pre.status_code == 200
    assert pre["Access-Control-Allow-Origin"] == "https://app.example"
    assert "authorization" in pre["Access-Control-Allow-Headers"].lower()


def test_another_origin_is_not_let_in(db, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    response = make_client().get("/api/health", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response


def test_cors_only_covers_the_api(db, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    response = make_client().get("/admin/login/", HTTP_ORIGIN="https://app.example")
    assert "Access-Control-Allow-Origin" not in response
