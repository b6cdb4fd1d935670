"""Stable ids, warnings, bad input, and real-world text quirks."""

import pytest

from scripts_app.parsing import ScriptParseError, parse_script

SCRIPT = """# Play

## Scene 1

**JO:** Hello.

**SAM:** Hi.

**JO:** Hello.

## Scene 2

**SAM:** Bye.
"""


def elements(result):
    return [e for s in result["scenes"] for e in s["elements"]]


def test_it_keeps_ids_of_untouched_speeches_after_an_edit():
    before = elements(parse_script(SCRIPT))
    after = elements(parse_script(SCRIPT.replace("Hi.", "Hi there, how are you?")))
    assert before[1]["id"] != after[1]["id"]
    untouched = [e["id"] for i, e in enumerate(before) if i != 1]
    assert untouched == [e["id"] for i, e in enumerate(after) if i != 1]


def test_it_keeps_ids_when_a_speech_is_inserted_above():
    before = elements(parse_script(SCRIPT))
    after = elements(parse_script(SCRIPT.replace("## Scene 1\n", "## Scene 1\n\n**ZED:** New line.\n")))
    assert {e["id"] for e in before} <= {e["id"] for e in after}


def test_ids_are_unique_even_for_repeated_lines_and_scene_ids_are_stable():
    result = parse_script(SCRIPT)
    ids = [e["id"] for e in elements(result)]
    assert len(ids) == len(set(ids))
    assert all(len(i) == 12 for i in ids)
    scene_ids = [s["id"] for s in result["scenes"]]
    assert len(set(scene_ids)) == 2
    edited = parse_script(SCRIPT.replace("Bye.", "Goodbye."))
    assert [s["id"] for s in edited["scenes"]] == scene_ids


def test_it_returns_exactly_the_documented_shape():
    result = parse_script(SCRIPT)
    assert set(result) == {"title", "format", "characters", "scenes", "warnings", "merged"}
    assert set(result["characters"][0]) == {"id", "name", "aliases", "line_count"}
    assert set(result["scenes"][0]) == {"id", "index", "title", "act", "elements"}
    keys = {"id", "type", "character", "text", "direction", "emotion", "source_line"}
    assert set(elements(result)[0]) == keys
    assert parse_script(SCRIPT) == result  # deterministic


def test_a_cue_with_no_dialogue_becomes_a_warning_with_its_line_number():
    result = parse_script("**JO:** Hello.\n\n**SAM:**\n\n**JO:** Bye.\n")
    assert result["warnings"] == [{"line": 3, "message": "The cue SAM has no dialogue after it — skipped.",
                                   "kind": "empty_cue", "actionable": True}]
    assert [c["id"] for c in result["characters"]] == ["jo"]


@pytest.mark.parametrize("text", ["", "   \n\t\n", "\ufeff"])
def test_it_refuses_empty_input_with_a_friendly_message(text):
    with pytest.raises(ScriptParseError) as err:
        parse_script(text)
    assert err.value.message == "This file looks empty. Paste or upload the text of your play."


def test_it_refuses_binary_input():
    with pytest.raises(ScriptParseError) as err:
        parse_script("PK\x03\x04\x00\x00binary\x00junk")
    assert "doesn't look like a text file" in err.value.message
    with pytest.raises(ScriptParseError):
        parse_script("".join(chr(i % 32) for i in range(2000)))


def test_it_refuses_text_without_dialogue():
    with pytest.raises(ScriptParseError) as err:
        parse_script("Just a shopping list.\nEggs, milk, bread.\n")
    assert err.value.message.startswith("We couldn't find any lines of dialogue.")


def test_it_copes_with_crlf_bom_curly_quotes_and_accented_and_non_latin_names():
    text = ("\ufeffCAPULET’S COUSIN.\r\nBy’r lady, thirty years.\r\n\r\n"
            "JOSÉ.\r\nOlé!\r\n\r\nРОМЕО.\r\nПривет.\r\n")
    result = parse_script(text)
    assert [c["name"] for c in result["characters"]] == ["CAPULET’S COUSIN", "JOSÉ", "РОМЕО"]
    assert [c["id"] for c in result["characters"]] == ["capulets-cousin", "josé", "ромео"]
    assert elements(result)[0]["text"] == "By’r lady, thirty years."
    assert elements(result)[2]["source_line"] == 7  # the cue line
    result = parse_script("ロミオ：こんにちは。\nジュリエット：こんばんは。\nロミオ：さようなら。\n")
    assert len(result["characters"]) == 2


def test_joint_cues_make_one_speech_for_every_speaker():
    text = "JACK.\nHello.\n\nGWENDOLEN and CECILY [Speaking together.] Your names!\n\nCECILY.\nYes.\n\n" \
           "GWENDOLEN.\nNo.\n\nBOTH.\nFine.\n"
    result = parse_script(text)
    joint = [e for e in elements(result) if e.get("characters")][0]
    assert joint["character"] == "gwendolen" and joint["characters"] == ["gwendolen", "cecily"]
    assert joint["text"] == "Your names!" and joint["direction"] == "Speaking together"
    assert {c["id"]: c["line_count"] for c in result["characters"]}["cecily"] == 2
    assert "both" in {c["id"] for c in result["characters"]}


def test_aliases_merge_name_variants_case_insensitively():
    text = "**DOCTOR RANK:** Hello.\n\n**RANK:** Again.\n\n**NORA:** Hi.\n\n**Rank:** Once more.\n"
    result = parse_script(text, aliases={"doctor rank": "Rank"})
    rank = result["characters"][0]
    assert rank["id"] == "rank" and rank["line_count"] == 3
    assert rank["name"] == "RANK" and "DOCTOR RANK" in rank["aliases"]
    assert [e["character"] for e in elements(result)] == ["rank", "rank", "nora", "rank"]


def test_offstage_and_dual_flags_only_appear_when_true():
    result = parse_script("**JO:** Hi.\n")
    assert "offstage" not in elements(result)[0] and "dual" not in elements(result)[0]
