import pytest

from scripts_app.parsing import parse_script
from tests.admin.conftest import parent  # noqa: F401  (a parent signed in to the admin)

from . import makers


@pytest.fixture(scope="session")
def play():
    return makers.sample_play()


def read_back(data: bytes, kind: str) -> dict:
    """What the text parser makes of a document, read through the bounded worker as an upload is."""
    from scripts_app.documents import read_document

    return parse_script(read_document(data, kind).markdown)


def spoken(parsed: dict) -> list[tuple[str, str, str | None]]:
    """(speaker as written, words, direction) of every speech, in order."""
    names = {c["id"]: c["name"] for c in parsed["characters"]}
    return [(names[e["character"]], " ".join(e["text"].split()), e["direction"])
            for s in parsed["scenes"] for e in s["elements"] if e["type"] == "dialogue"]
