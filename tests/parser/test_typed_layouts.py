"""Plays as families type them: `NAME: speech` with titles, numbers, dashes, tabs, pasted text."""

import pytest

from scripts_app.parsing import ScriptParseError, parse_script

BAKE_SALE = """The Bake Sale

JUNO: I can't believe the bake sale is tomorrow.

FELIX: (softly) Nobody else in town knows how to make scones.

JUNO: We are the best bakers in town.

MS. PARK: (sternly) Who left the oven on all night?

FELIX: It was me. I'm sorry.

MS. PARK: Well, don't do it again.
"""

TITLED = """Scene One - The Kitchen

JUNO: (nervously) Is anyone home?
MS. PARK (sternly): Who left the oven on all night?
DR. OKAFOR: Not me. I was at the hospital.
MR. O'BRIEN: Nor me!
MARY-KATE: (laughing) It was Zoë.
ZOË: It was not!
JOSÉ: Calm down, everyone.
SIR TOBY: Cakes and ale!
PROF. STEIN: Order, please.
"""

NUMBERED = """GUARD 1: Halt! Who goes there?
GUARD 2: Only the wind.
WITCH #2: Double, double, toil and trouble.
STUDENT A: Can we eat now?
SECOND CITIZEN: I'm starving.
GUARD 1: Then eat.
"""

MIXED_CASE = """ACT 1, SCENE 2. THE HALL.

Ms. Park: Juno, come here.
Juno: (quietly) Coming, Ms. Park.
Ms. Park: Sit down.
Juno: Yes, miss.
"""

DASHES = ("INT. KITCHEN - DAY\n\nJUNO - I can’t find the flour.\nMS. PARK — (angrily) It’s on the shelf.\n"
          "JUNO – Which shelf?\nFELIX - The top one.\n")

# a two-column table pasted from a document: name, tab, speech
TABLE = ("JUNO\tI can’t find the flour.\nMS. PARK\t(angrily) It’s on the shelf.\n"
         "JUNO\tWhich shelf?\nFELIX\tThe top one.\n")

# pasted from an email: a BOM, CRLF, no-break spaces after the colons, curly quotes, trailing spaces
PASTED = ("\ufeffThe Fire Drill\r\nby Class 7B\r\n\r\nJUNO:\u00a0“Is that the alarm?”   \r\n"
          "MS. PARK:\u00a0(calmly) Line up by the door.\r\n"
          "DR. OKAFOR:\u00a0Nobody’s hurt.  \r\nJUNO:\u00a0Can we go home?\r\n")


def speeches(text: str) -> list[tuple[str, str, str | None]]:
    result = parse_script(text)
    names = {c["id"]: c["name"] for c in result["characters"]}
    return [(names[e["character"]], e["text"], (e["emotion"] or {}).get("label"))
            for s in result["scenes"] for e in s["elements"] if e["type"] == "dialogue"]


def test_the_bake_sale_gives_ms_park_her_own_speeches_and_her_sternness():
    assert speeches(BAKE_SALE) == [
        ("JUNO", "I can't believe the bake sale is tomorrow.", None),
        ("FELIX", "Nobody else in town knows how to make scones.", "soft"),
        ("JUNO", "We are the best bakers in town.", None),
        ("MS. PARK", "Who left the oven on all night?", "cold"),
        ("FELIX", "It was me. I'm sorry.", None),
        ("MS. PARK", "Well, don't do it again.", None),
    ]


def test_a_four_line_play_of_titled_speakers_is_read_not_refused():
    assert speeches("JUNO: Hi.\nMS. PARK: Hello.\nDR. OKAFOR: Hey.\nMRS. LINDE: Good morning.\n") == [
        ("JUNO", "Hi.", None), ("MS. PARK", "Hello.", None), ("DR. OKAFOR", "Hey.", None),
        ("MRS. LINDE", "Good morning.", None)]


def test_titles_apostrophes_hyphens_and_accents_are_names_and_a_direction_before_the_colon_is_emotion():
    assert speeches(TITLED) == [
        ("JUNO", "Is anyone home?", "nervous"),
        ("MS. PARK", "Who left the oven on all night?", "cold"),
        ("DR. OKAFOR", "Not me. I was at the hospital.", None),
        ("MR. O'BRIEN", "Nor me!", None),
        ("MARY-KATE", "It was Zoë.", "laughing"),
        ("ZOË", "It was not!", None),
        ("JOSÉ", "Calm down, everyone.", None),
        ("SIR TOBY", "Cakes and ale!", None),
        ("PROF. STEIN", "Order, please.", None),
    ]
    assert parse_script(TITLED)["scenes"][0]["title"] == "Scene One - The Kitchen"


def test_numbered_and_lettered_roles_are_each_their_own_character():
    assert [name for name, _text, _emotion in speeches(NUMBERED)] == [
        "GUARD 1", "GUARD 2", "WITCH #2", "STUDENT A", "SECOND CITIZEN", "GUARD 1"]


def test_mixed_case_names_under_a_combined_act_and_scene_heading():
    result = parse_script(MIXED_CASE)
    assert [s["title"] for s in result["scenes"]] == ["ACT 1, SCENE 2. THE HALL."]
    assert speeches(MIXED_CASE) == [
        ("Ms. Park", "Juno, come here.", None), ("Juno", "Coming, Ms. Park.", "soft"),
        ("Ms. Park", "Sit down.", None), ("Juno", "Yes, miss.", None)]


def test_hyphens_en_and_em_dashes_separate_a_name_from_its_speech_under_a_screenplay_heading():
    result = parse_script(DASHES)
    assert result["format"] == "markdown"
    assert [s["title"] for s in result["scenes"]] == ["INT. KITCHEN - DAY"]
    assert speeches(DASHES) == [
        ("JUNO", "I can’t find the flour.", None), ("MS. PARK", "It’s on the shelf.", "angry"),
        ("JUNO", "Which shelf?", None), ("FELIX", "The top one.", None)]


def test_a_pasted_two_column_table_reads_each_row_as_a_speech():
    assert speeches(TABLE) == [
        ("JUNO", "I can’t find the flour.", None), ("MS. PARK", "It’s on the shelf.", "angry"),
        ("JUNO", "Which shelf?", None), ("FELIX", "The top one.", None)]


def test_text_pasted_from_an_email_keeps_every_speech_and_its_speaker():
    result = parse_script(PASTED)
    assert result["title"] == "The Fire Drill"
    assert speeches(PASTED) == [
        ("JUNO", "“Is that the alarm?”", None), ("MS. PARK", "Line up by the door.", "calm"),
        ("DR. OKAFOR", "Nobody’s hurt.", None), ("JUNO", "Can we go home?", None)]


def test_a_colon_inside_a_speech_line_starts_no_new_speaker():
    text = "JUNO: Listen: the oven is on.\nFELIX: What?\nJUNO: Remember: we promised.\nFELIX: Fine.\n"
    assert [name for name, _t, _e in speeches(text)] == ["JUNO", "FELIX", "JUNO", "FELIX"]
    assert speeches(text)[0][1] == "Listen: the oven is on."


def test_the_name_alone_on_a_line_with_a_parenthetical_under_it_still_works():
    text = "MS. PARK\n(sternly)\nWho left the oven on?\n\nJUNO\nNot me.\n\nMS. PARK\nThen who?\n"
    assert speeches(text) == [("MS. PARK", "Who left the oven on?", "cold"), ("JUNO", "Not me.", None),
                              ("MS. PARK", "Then who?", None)]


def test_a_text_with_no_dialogue_shows_its_first_unread_lines_and_the_layouts_we_know():
    with pytest.raises(ScriptParseError) as err:
        parse_script("Shopping list\n\nEggs, milk and bread.\nTwo lemons\n")
    message = err.value.message
    assert message.startswith("We couldn't find any lines of dialogue.")
    assert "line 1 (“Shopping list”)" in message and "line 3 (“Eggs, milk and bread.”)" in message
    assert "JUNO: Is anyone home?" in message
    assert [u["line"] for u in err.value.details["unread_lines"]] == [1, 3, 4]
    assert "**JUNO:** Is anyone home?" in err.value.details["layouts"]
