"""The check after every parse: a line that looks like a cue is read as one or shown to the parent."""

import re

import pytest

from scripts_app.parsing import parent_warnings, parse_script

from .test_corpus import EXPECTED
from .test_typed_layouts import BAKE_SALE

_CUE_SHAPED = re.compile(r"^(?:[A-Z][A-Z'.-]*(?: [A-Z0-9#][A-Z'-]*){0,3})\s*(?:\([^)]*\))?\s*:\s")


def unaccounted_cues(text: str) -> list[int]:
    """Lines shaped `NAME: text` that are neither a speech's first line nor a warning's line."""
    result = parse_script(text)
    starts = {e["source_line"] for s in result["scenes"] for e in s["elements"] if e["type"] == "dialogue"}
    warned = {n for w in parent_warnings(result) for n in w["lines"]}
    return [n for n, line in enumerate(text.splitlines(), 1)
            if _CUE_SHAPED.match(line) and n not in starts and n not in warned]


def test_no_line_of_the_bake_sale_is_silently_glued_onto_the_speech_before():
    assert unaccounted_cues(BAKE_SALE) == []


TRADITIONAL = """JUNO.
I can't believe the bake sale is tomorrow.
And we are the best bakers in town.
MS. PARK: (sternly) Who left the oven on all night?

FELIX.
It was me.
"""


def test_a_cue_a_layout_does_not_read_is_a_warning_with_its_line_and_both_names():
    result = parse_script(TRADITIONAL)
    shown = parent_warnings(result)
    assert shown == [{"kind": "glued_cue", "lines": [4], "message": (
        "Line 4 looks like MS. PARK speaking, but it was read as part of JUNO’s speech. "
        "Put a blank line before it, or write the name on its own line.")}]
    assert unaccounted_cues(TRADITIONAL) == []


def test_the_check_runs_after_a_fountain_parse_too():
    text = "INT. KITCHEN - DAY\n\nJUNO\nWhere is everyone?\nMS. PARK: Right here.\n\nFELIX\nHello.\n"
    result = parse_script(text, format="fountain")
    assert [(w["kind"], w["lines"]) for w in parent_warnings(result)] == [("glued_cue", [5])]


def test_a_wrapped_sentence_that_ends_on_a_speakers_name_is_no_warning():
    text = ("JUNO: I told her to ask\nFelix: he knows the oven.\nFELIX: I do.\nJUNO: See?\n"
            "FELIX: The bread and butter is for\nJuno. Juno loves bread.\n")
    assert [w for w in parse_script(text)["warnings"] if w["kind"] == "glued_cue"] == []


def test_many_glued_cues_are_one_line_for_the_parent_with_their_line_numbers():
    # a Gutenberg-style play (JUNO. text) where five guards each speak once, glued on
    speeches = [f"{'JUNO' if n % 2 else 'FELIX'}. Words, words, words number {n}." for n in range(14)]
    for n in range(1, 6):
        speeches[n] += f"\nGUARD {n}: Halt!"
    result = parse_script("\n\n".join(speeches) + "\n")
    shown = [w for w in parent_warnings(result) if w["kind"] == "glued_cue"]
    assert len(shown) == 1 and shown[0]["lines"] == [4, 7, 10, 13, 16]
    assert shown[0]["message"].startswith("5 lines look like someone starting to speak")


@pytest.mark.parametrize("name", [row[0] for row in EXPECTED])
def test_the_corpus_plays_give_no_glued_cue_warnings(corpus_text, name):
    result = parse_script(corpus_text(name))
    assert [w["line"] for w in result["warnings"] if w["kind"] == "glued_cue"] == []
