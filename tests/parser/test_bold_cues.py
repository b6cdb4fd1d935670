"""Bold cues with a direction, inside or outside the colon, are cues (issue 15, item 3)."""

import pytest

from scripts_app.parsing import parse_script

VARIANTS = [
    "**ROMEO (softly):** Goodnight, sweet love.",
    "**ROMEO:** (softly) Goodnight, sweet love.",
    "**ROMEO** (softly): Goodnight, sweet love.",
    "**ROMEO (softly)**: Goodnight, sweet love.",
    "**ROMEO** (softly) Goodnight, sweet love.",
    "**ROMEO [softly]:** Goodnight, sweet love.",
    "**ROMEO**: (softly) Goodnight, sweet love.",
    "**ROMEO** _(softly)_: Goodnight, sweet love.",
    "**ROMEO:** _(softly)_ Goodnight, sweet love.",
    "**ROMEO (softly).** Goodnight, sweet love.",
    "**ROMEO (softly)**\nGoodnight, sweet love.",
    "**ROMEO (softly):**\nGoodnight, sweet love.",
]


def speeches(result):
    return [e for s in result["scenes"] for e in s["elements"] if e["type"] == "dialogue"]


@pytest.mark.parametrize("cue", VARIANTS)
def test_a_bold_cue_with_a_direction_is_its_own_speech_with_that_direction(cue):
    result = parse_script(f"**ROMEO:** Juliet!\n\n**JULIET:** Romeo.\n\n{cue}\n\n**JULIET:** Goodnight.\n")
    said = speeches(result)
    assert [e["character"] for e in said] == ["romeo", "juliet", "romeo", "juliet"]
    assert said[2]["text"] == "Goodnight, sweet love."
    assert said[2]["direction"] == "softly"
    assert said[2]["emotion"]["label"] == "soft"
    assert {c["id"]: c["line_count"] for c in result["characters"]} == {"romeo": 2, "juliet": 2}
    assert said[1]["text"] == "Romeo."  # nothing merged into the speech before


def test_a_bold_cue_with_no_readable_name_is_a_warning_with_its_line_not_part_of_the_last_speech():
    result = parse_script("**JO:** Hello.\n\n**(sighs):** I know.\n\n**SAM:** Hi.\n")
    said = speeches(result)
    assert [(e["character"], e["text"]) for e in said] == [("jo", "Hello."), ("sam", "Hi.")]
    warning = [w for w in result["warnings"] if w["kind"] == "unreadable_cue"]
    assert len(warning) == 1 and warning[0]["line"] == 3 and warning[0]["actionable"]
    assert "(sighs)" in warning[0]["message"]


def test_a_bold_label_such_as_setting_is_a_direction_without_a_warning():
    result = parse_script("**JO:** Hello.\n\n**Setting:** A kitchen, at night.\n\n**SAM:** Hi.\n")
    elements = result["scenes"][0]["elements"]
    assert [(e["type"], e["text"]) for e in elements] == [
        ("dialogue", "Hello."), ("direction", "Setting: A kitchen, at night."), ("dialogue", "Hi.")]
    assert result["warnings"] == []
