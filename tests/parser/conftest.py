import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def corpus_text():
    """Read a file of ../shared/corpus as text; skip when the corpus is not beside the checkout."""
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not available")

    def read(name: str) -> str:
        path = CORPUS / name
        if not path.exists():
            pytest.skip(f"{name} is not in the corpus")
        return path.read_bytes().decode("utf-8")

    return read
