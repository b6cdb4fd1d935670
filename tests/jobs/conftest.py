import pytest

from scripts_app.services import script_create
from sessions_app.signin import pin_set


@pytest.fixture
def script(sample_text):
    return script_create(source=sample_text)


@pytest.fixture
def signed_in(client):
    pin_set(pin="2468")
    response = client.post("/api/auth/verify", {"pin": "2468"}, content_type="application/json",
                           HTTP_HOST="localhost")
    assert response.status_code == 200
    return response.json()["token"]
