"""The corpus's school documents read as the page shows them (counts in their .expected.json)."""

import json
import re

import pytest

from .conftest import read_back, spoken

DOCUMENTS = [
    ("a_dolls_house_act1_stage.pdf", "pdf", ["A Doll's House", "by Henrik Ibsen", "CHARACTERS"]),
    ("importance_of_being_earnest_act1_inline.docx", "docx",
     ["The Importance of Being Earnest", "by Oscar Wilde", "Characters:"]),
]


@pytest.fixture(params=DOCUMENTS, ids=lambda d: d[0])
def document(request, corpus):
    name, kind, front = request.param
    path = corpus / "documents" / name
    if not path.exists():
        pytest.skip(f"{name} is not in the corpus")
    expected = json.loads(path.with_name(name.rsplit(".", 1)[0] + ".expected.json").read_text())
    return read_back(path.read_bytes(), kind), expected, front


def test_a_school_document_has_the_speeches_and_speakers_the_page_shows(document):
    parsed, expected, _front = document
    speeches = spoken(parsed)
    assert abs(len(speeches) - expected["speeches"]) <= 0.02 * expected["speeches"]
    names = {c["name"].upper() for c in parsed["characters"]}
    assert abs(len(names) - expected["speakers"]) <= 2
    assert len(names ^ {n.upper() for n in expected["speaker_names"]}) <= 2
    assert sum(1 for s in parsed["scenes"] if s["elements"]) == expected["scenes_with_dialogue"]


def test_no_running_header_page_number_title_or_cast_list_becomes_a_character_or_part_of_a_speech(document):
    parsed, expected, front = document
    furniture = [expected["running_header"], *front]
    for c in parsed["characters"]:
        assert not any(f.casefold() in c["name"].casefold() for f in furniture), c
    for name, text, _direction in spoken(parsed):
        for f in furniture:
            assert f.casefold() not in text.casefold(), (name, text)
        # a page number glued onto a speech shows as a bare number where the page turned
        assert not re.search(r"(?:^|[.!?] )\d{1,3}(?: |$)", text), (name, text)


def test_a_speech_split_by_a_page_break_stays_one_speech(corpus):
    path = corpus / "documents" / "a_dolls_house_act1_stage.pdf"
    if not path.exists():
        pytest.skip("the PDF is not in the corpus")
    texts = [t for _n, t, _d in spoken(read_back(path.read_bytes(), "pdf"))]
    # NORA's speech runs from the foot of page 5 ("That is a very") onto page 6 ("sensible plan")
    assert any(t.startswith("Spendthrifts—I know.") and t.endswith("That is a very sensible plan, isn’t it?")
               for t in texts)
    assert not any(t.startswith("sensible plan") for t in texts)
