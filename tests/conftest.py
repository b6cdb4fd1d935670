import os
import shutil
import tempfile
from pathlib import Path

# Tests never touch the real data/ folder: point RunThru at a temp dir before
# Django reads its settings.
_DATA = tempfile.mkdtemp(prefix="runthru-test-data-")
os.environ["RUNTHRU_DATA_DIR"] = _DATA

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
SAMPLE = REPO / "data" / "samples" / "the_lighthouse_keepers.md"


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_DATA, ignore_errors=True)


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not beside this checkout")
    return CORPUS
