"""Fountain: title page, scene headings, extensions, parentheticals, dual dialogue, forced elements."""

from scripts_app.parsing import parse_script

SCRIPT = """Title: The Heist
Author: Sam

/* an old draft
that spans lines */

> FADE IN:

INT. BANK - NIGHT

A dark vault. [[check the lighting]]

MAYA
(whispering)
Stay close.

LEO (V.O.)
I always do.

MAYA (CONT'D)
Quiet!

LEO ^
What?

@McCLANE
Yippee.

!BANG. An alarm.

.FLASHBACK

GUARD (O.S.)
Who's there?

> CUT TO:
"""


def dialogue(result):
    return [e for s in result["scenes"] for e in s["elements"] if e["type"] == "dialogue"]


def test_it_reads_the_fountain_title_page_and_scene_headings():
    result = parse_script(SCRIPT)
    assert result["format"] == "fountain"
    assert result["title"] == "The Heist"
    assert [s["title"] for s in result["scenes"]] == ["INT. BANK - NIGHT", "FLASHBACK"]


def test_it_treats_fountain_extensions_as_the_same_character():
    result = parse_script(SCRIPT)
    names = [c["name"] for c in result["characters"]]
    assert names == ["MAYA", "LEO", "McCLANE", "GUARD"]
    maya = [c for c in result["characters"] if c["id"] == "maya"][0]
    assert maya["line_count"] == 2


def test_it_marks_offstage_and_dual_dialogue_and_reads_parentheticals():
    speeches = dialogue(parse_script(SCRIPT))
    assert speeches[0]["direction"] == "whispering" and speeches[0]["emotion"]["label"] == "whisper"
    assert speeches[1].get("offstage") is True
    assert speeches[3].get("dual") is True
    assert speeches[5]["text"] == "Who's there?" and speeches[5].get("offstage") is True


def test_it_drops_notes_and_boneyard_and_keeps_source_lines():
    result = parse_script(SCRIPT)
    texts = [e["text"] for s in result["scenes"] for e in s["elements"]]
    assert "A dark vault." in texts
    assert not any("old draft" in t or "lighting" in t for t in texts)
    maya = dialogue(result)[0]
    assert SCRIPT.split("\n")[maya["source_line"] - 1] == "MAYA"
    assert "BANG. An alarm." in texts


def test_it_does_not_take_all_caps_action_with_lowercase_as_a_cue():
    text = "EXT. PARK - DAY\n\nBOB, 40, a goofy man,\nwalks in.\n\nBOB\nHi.\n"
    result = parse_script(text)
    assert [c["name"] for c in result["characters"]] == ["BOB"]
