import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.needs import missing

REPO = Path(__file__).resolve().parent.parent
# RUNTHRU_CORPUS lets a test point it elsewhere (tests/test_ci_script.py: a missing corpus).
CORPUS = Path(os.environ.get("RUNTHRU_CORPUS") or REPO.parent / "shared" / "corpus")
SAMPLE = REPO / "data" / "samples" / "the_lighthouse_keepers.md"


def pytest_sessionfinish(session, exitstatus):
    # tests/settings.py made this dir; tests never touch the real data/ folder.
    data = os.environ.get("RUNTHRU_TEST_DATA_DIR")
    if data:
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(autouse=True)
def _forget_found_clips():
    """Rolled-back tests reuse script ids, so clips remembered in one test must not serve the next."""
    yield
    selectors = sys.modules.get("tts_app.selectors")  # not imported in the neural venv (no Django there)
    if selectors is not None:
        selectors._found_clips.clear()
        selectors._rehearsal_keys.cache_clear()


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        missing("the shared corpus beside this checkout (../shared/corpus)")
    return CORPUS


@pytest.fixture
def script(sample_text):
    from scripts_app.services import script_create

    return script_create(source=sample_text)


@pytest.fixture
def signed_in(client):
    from sessions_app.signin import pin_set

    pin_set(pin="246813")
    response = client.post("/api/auth/verify", {"pin": "246813"}, content_type="application/json",
                           HTTP_HOST="localhost")
    assert response.status_code == 200
    return response.json()["token"]


@pytest.fixture
def in_process_wsgi(transactional_db):
    """For schemathesis driving the WSGI app in this process: as Django's test client
    does, a finished request must not close the test's database connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
