"""One play in the layouts schools print it in: every layout reads back as the text parse does."""

import pytest

from . import makers
from .conftest import read_back, spoken

ALL = {"pdf": makers.PDF_LAYOUTS, "docx": makers.DOCX_LAYOUTS, "odt": makers.ODT_LAYOUTS, "fdx": makers.FDX_LAYOUTS}
LAYOUTS = [(name, kind) for kind, layouts in ALL.items() for name in layouts]


def _make(name, kind, title, play):
    return ALL[kind][name](title, play)


@pytest.mark.parametrize("name,kind", LAYOUTS, ids=[f"{n}.{k}" for n, k in LAYOUTS])
def test_every_layout_reads_back_the_same_speakers_words_and_directions_as_the_text(play, name, kind):
    title, elements = play
    got = spoken(read_back(_make(name, kind, title, elements), kind))
    want = [(e.name, " ".join(e.text.split()), e.direction or None) for e in elements if e.kind == "dialogue"]
    assert [(n.upper(), t, d) for n, t, d in got] == want


@pytest.mark.parametrize("name,kind", LAYOUTS, ids=[f"{n}.{k}" for n, k in LAYOUTS])
def test_no_header_footer_title_page_or_cast_list_text_leaks_into_the_play(play, name, kind):
    title, elements = play
    parsed = read_back(_make(name, kind, title, elements), kind)
    assert parsed["title"].casefold() == title.casefold()
    assert {c["name"].upper() for c in parsed["characters"]} == {e.name for e in elements if e.kind == "dialogue"}
    for scene in parsed["scenes"]:
        for el in scene["elements"]:
            for leak in (makers.HEADER, title.upper(), "by A. Playwright", "Page ", "CHARACTERS", "Characters:"):
                assert leak not in el["text"], (leak, el)


def test_the_long_speech_runs_over_a_page_break_and_stays_one_speech(play):
    title, elements = play
    data = makers.stage_pdf(title, elements)
    import io

    from pdfminer.high_level import extract_pages

    pages = [i for i, page in enumerate(extract_pages(io.BytesIO(data)))
             if "promise" in "".join(getattr(box, "get_text", str)() for box in page)]
    assert len(pages) >= 2  # the document really splits it
    texts = [t for _n, t, _d in spoken(read_back(data, "pdf"))]
    assert makers.LONG in texts


def test_a_word_hyphenated_at_a_line_end_is_joined_again(play):
    title, _elements = play
    elements = [makers.Element("scene", "Scene 1"),
                makers.Element("dialogue", "It was an extra-\nordinary night, and a well-\nknown storm.", "MAREN"),
                makers.Element("dialogue", "So it was.", "TOBIAS")]
    texts = [t for _n, t, _d in spoken(read_back(makers.stage_pdf(title, elements), "pdf"))]
    assert texts == ["It was an extraordinary night, and a wellknown storm.", "So it was."]


def test_the_extracted_script_keeps_emotions_from_directions(play):
    title, elements = play
    parsed = read_back(makers.screenplay_pdf(title, elements), "pdf")
    emotions = [e["emotion"]["label"] for s in parsed["scenes"] for e in s["elements"]
                if e["type"] == "dialogue" and e["emotion"]]
    from scripts_app.parsing import parse_script

    text = parse_script(makers.SAMPLE.read_text(encoding="utf-8"))
    assert emotions == [e["emotion"]["label"] for s in text["scenes"] for e in s["elements"]
                        if e["type"] == "dialogue" and e["emotion"]]


def test_a_justified_speech_line_starting_with_a_one_letter_word_is_not_a_name_column(play):
    title, _elements = play
    speech = ("O deadly sin, O rude unthankfulness! Thy fault our law calls death, but the kind Prince, Taking "
              "thy part, hath brush'd aside the law, And turn'd that black word death to banishment.")
    lines = [(speech, "FRIAR LAWRENCE"), ("I hear.", "ROMEO"), ("Then go.", "FRIAR LAWRENCE"), ("I go.", "ROMEO")]
    elements = [makers.Element("scene", "Scene 1")] + [makers.Element("dialogue", t, n) for t, n in lines]
    got = spoken(read_back(makers.screenplay_pdf(title, elements), "pdf"))
    assert [(n, t) for n, t, _d in got] == [(e.name, e.text) for e in elements[1:]]
