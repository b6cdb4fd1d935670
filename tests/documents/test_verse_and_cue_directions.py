"""Documents: a speech whose first words are a direction is kept, and verse keeps its lines."""

import pytest

from . import makers, verona
from .conftest import read_back

WANT = [(name, text, direction or None) for name, direction, text in verona.SPEECHES]


def speeches(parsed: dict) -> list[tuple[str, str, str | None]]:
    names = {c["id"]: c["name"] for c in parsed["characters"]}
    return [(names[e["character"]].upper(), e["text"], e["direction"])
            for s in parsed["scenes"] for e in s["elements"] if e["type"] == "dialogue"]


@pytest.mark.parametrize("gap", [0, 3], ids=["no-gap", "gap"])
def test_an_inline_pdf_keeps_every_cue_then_direction_speech_and_its_verse_lines(gap):
    assert speeches(read_back(verona.inline_pdf(gap), "pdf")) == WANT


@pytest.mark.parametrize("bold", [True, False], ids=["bold-names", "plain-names"])
def test_a_word_file_keeps_every_cue_then_direction_speech_and_its_verse_lines(bold):
    assert speeches(read_back(verona.inline_docx(bold), "docx")) == WANT


@pytest.mark.parametrize("kind,make", [("pdf", makers.inline_pdf), ("pdf", makers.stage_pdf),
                                       ("docx", makers.cue_style_docx), ("odt", makers.open_document),
                                       ("fdx", makers.final_draft)],
                         ids=["inline.pdf", "stage.pdf", "cue_style.docx", "open_document.odt", "final_draft.fdx"])
def test_each_format_keeps_the_speeches_that_open_with_a_direction(kind, make):
    got = speeches(read_back(make(verona.TITLE, verona.elements()), kind))
    assert [(n, " ".join(t.split()), d) for n, t, d in got] == [(n, " ".join(t.split()), d) for n, t, d in WANT]
