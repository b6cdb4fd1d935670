import os
import sys
from pathlib import Path

import pytest

from tests.needs import missing

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CORPUS = Path(os.environ.get("RUNTHRU_CORPUS") or ROOT.parent / "shared" / "corpus")


@pytest.fixture
def corpus_text():
    """Read a file of ../shared/corpus as text; skip when the corpus is not beside the checkout."""
    if not CORPUS.is_dir():
        missing("the shared corpus (../shared/corpus)")

    def read(name: str) -> str:
        path = CORPUS / name
        if not path.exists():
            missing(f"{name} in the shared corpus")
        return path.read_bytes().decode("utf-8")

    return read
