"""The check after every parse: someone in the cast list or coming on in a direction who never speaks."""

import pytest

from scripts_app.parsing import parent_warnings, parse_script

from .test_corpus import EXPECTED

CAST_LIST = """THE BAKE SALE

CAST
JUNO, a student
MRS. LINDE, her teacher
FELIX, her brother


JUNO: Is the oven on?
FELIX: It is now.
MRS LYNDE: Then we bake.
"""


def silent(text: str) -> list[dict]:
    return [w for w in parent_warnings(parse_script(text)) if w["kind"] == "silent_name"]


def test_a_cast_list_name_whose_cues_are_misspelt_is_a_warning_with_its_line():
    assert silent(CAST_LIST) == [{"kind": "silent_name", "lines": [5], "message": (
        "Line 5: MRS. LINDE is in the cast list but never speaks. Check that their lines start with their name.")}]


def test_a_cast_list_name_who_speaks_with_or_without_the_titles_full_stop_is_no_warning():
    assert silent(CAST_LIST.replace("MRS LYNDE", "MRS LINDE")) == []


def test_someone_who_comes_on_in_a_direction_and_never_speaks_is_a_warning_with_its_line():
    text = "JUNO: Is the oven on?\nFELIX: It is now.\n\n(Enter DR. OKAFOR, with a tray.)\n\nJUNO: Then we bake.\n"
    assert [(w["lines"], w["message"]) for w in silent(text)] == [([4], (
        "Line 4: DR. OKAFOR is in a stage direction but never speaks. Check that their lines start with their name."))]


def test_a_direction_naming_speakers_crowds_and_sounds_in_capitals_is_no_warning():
    text = ("JUNO: Is the oven on?\n\n(Enter FELIX and ALL THE STUDENTS. A loud BANG.)\n\n"
            "FELIX: It is now.\n\n(OKAFOR enters.)\n\nDR. OKAFOR: Who left it on?\n")
    assert silent(text) == []


def test_a_mixed_case_cast_list_with_full_names_is_no_warning():
    # Earnest's list says "John Worthing, J.P." for the man whose cues say JACK
    text = ("THE PLAY\n\nCAST\nJohn Worthing, J.P.\nAlgernon Moncrieff, his friend\n\n\n"
            "JACK: Hello.\nALGERNON: Hello, Jack.\nJACK: Tea?\nALGERNON: Please.\n")
    assert silent(text) == []


@pytest.mark.parametrize("name", [row[0] for row in EXPECTED])
def test_the_corpus_plays_give_no_silent_name_warnings(corpus_text, name):
    result = parse_script(corpus_text(name))
    assert [w["message"] for w in result["warnings"] if w["kind"] == "silent_name"] == []
