"""Property-based checks of the whole REST contract against its own OpenAPI schema.

Runs in-process over WSGI, signed in with a Bearer token, with a fixed seed.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from runthru_site.wsgi import application
from scripts_app.services import script_create
from sessions_app.signin import pin_verify

CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def api_schema(in_process_wsgi, sample_text):
    # Something real to find, so some generated ids hit a script instead of a 404.
    script_create(source=sample_text)
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


schema = (
    schemathesis.pytest.from_fixture("api_schema")
    # Streams progress for minutes and starts real generation work: covered in tests/jobs.
    .exclude(path_regex=r"generate")
)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_matches_its_schema_and_never_fails_on_our_side(case, pin, token):
    if case.path == "/api/auth/logout":
        # Signing out ends the token: give each sign-out its own, so the other cases stay signed in.
        token = pin_verify(pin=pin, client_address="127.0.0.1").token
    response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
    if case.path not in ("/api/auth/verify", "/api/health") and not case.path.startswith("/api/schema"):
        assert response.status_code != 401, "the generated case should be signed in"
