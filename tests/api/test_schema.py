"""The OpenAPI schema: generates cleanly and documents the contract."""

import io

import pytest
from django.core.management import call_command

from .api_helpers import make_client


def test_the_schema_generates_with_no_warnings_or_errors(db):
    out = io.StringIO()
    err = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out, stderr=err)
    assert "Warning" not in err.getvalue()
    assert "Error" not in err.getvalue()
    assert '"openapi"' in out.getvalue()


def test_the_schema_is_served_without_a_sign_in(db):
    response = make_client().get("/api/schema/?format=json")
    assert response.status_code == 200
    # The router accepts an optional trailing slash; the schema spells it with one.
    paths = {p.rstrip("/") for p in response.json()["paths"]}
    for path in ["/api/auth/verify", "/api/scripts", "/api/scripts/{id}", "/api/sessions", "/api/sessions/{id}",
                 "/api/tts/voices", "/api/tts/synthesize", "/api/audio/{script_id}/{line_id}", "/api/health"]:
        assert path in paths, sorted(paths)


def test_the_schema_documents_both_ways_to_sign_in(db):
    schemes = make_client().get("/api/schema/?format=json").json()["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["cookieAuth"]["in"] == "cookie"


@pytest.mark.parametrize("path", ["/api/docs/"])
def test_the_docs_page_renders(db, path):
    assert make_client().get(path).status_code == 200


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(db):
    import re

    html = make_client().get("/api/docs/").content.decode()
    assert "cdn.jsdelivr" not in html and "@latest" not in html and "unpkg" not in html
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), html
    for asset in assets:
        assert make_client().get(asset).status_code == 200, asset  # served here, so the docs work offline
