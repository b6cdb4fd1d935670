"""The kind of voice each character gets, from every clue the script gives, and why in plain words."""

from __future__ import annotations

from scripts_app.parsing import parse_script
from tts_app import casting

# Earnest's names, in a play of our own: Lane is a woman here, which only the directions say
DRAWING_ROOM = """THE DRAWING ROOM

THE PERSONS OF THE PLAY

Algernon
Gwendolen
Cecily, his ward
Lane

ACT I

[Gwendolen enters. She carries her umbrella and shakes it out.]

GWENDOLEN. It is raining again.

ALGERNON. [Reading his letters.] Is it? I hadn't noticed.

[Algernon puts down his letters. He rises and goes to the window.]

CECILY. [Laughing at her cousin.] You never notice anything.

[Cecily takes her book. She sits down and opens her book.]

LANE. Tea is served. [She bows. Lane sets the tray on her little table.]

GWENDOLEN. Thank you, Lane.

ALGERNON. Thank you.

CECILY. Thank you!

LANE. Ma'am.
"""


def clues_of(text: str) -> dict[str, tuple[str | None, str]]:
    parsed = parse_script(text)
    return casting.character_clues(parsed["characters"], parsed["scenes"], parsed.get("cast_list") or ())


def test_names_no_list_knows_are_cast_by_the_pronouns_in_the_directions():
    clues = clues_of(DRAWING_ROOM)
    assert clues["gwendolen"][0] == "female" and clues["algernon"][0] == "male"
    assert clues["lane"] == ("female", "a woman: “she” in the stage directions (2 times)")
    assert clues["algernon"][1].startswith("a man: “his” in the stage directions")
    assert clues["gwendolen"][1].startswith("a woman: ")


def test_the_pronouns_beat_what_a_first_name_usually_is():
    assert casting.gender_from_first_name("LANE") == "male"  # the name list alone would get Lane wrong
    assert casting.character_genders(*[parse_script(DRAWING_ROOM)[k] for k in ("characters", "scenes")])["lane"] \
        == "female"


def test_a_pronoun_in_the_cast_list_about_someone_else_does_not_decide():
    # "Cecily, his ward": "his" is her guardian; her own directions say she
    assert clues_of(DRAWING_ROOM)["cecily"][0] == "female"


def test_a_pronoun_describing_the_character_in_the_cast_list_decides():
    text = "CAST\n\nSAM, a student in her first year\nALEX\n\nACT I\n\nSAM. Hi.\n\nALEX. Hey.\n\nSAM. Bye.\n"
    assert clues_of(text)["sam"] == ("female", "a woman: “her” in the cast list")


def test_a_role_word_in_the_cast_list_is_the_reason_given():
    text = ("CHARACTERS\n\nMERRIMAN, butler to Mr. Worthing\nPRISM, governess to Cecily\nNORA, his wife\n\n"
            "ACT I\n\nMERRIMAN. Miss Prism.\n\nPRISM. Yes?\n\nNORA. Hello.\n\nMERRIMAN. Madam.\n\nPRISM. No.\n\n"
            "NORA. Goodbye.\n")
    clues = clues_of(text)
    assert clues["merriman"] == ("male", "a man: “butler” in the cast list")
    assert clues["prism"] == ("female", "a woman: “governess” in the cast list")
    assert clues["nora"] == ("female", "a woman: “wife” in the cast list")


def test_titles_in_the_name_come_first_and_a_character_with_no_clue_may_get_any_voice():
    text = "MS. PARK: Sit down.\nDR. OKAFOR: Thank you.\nSIR TOBY: Cakes!\nMS. PARK: Quiet.\nDR. OKAFOR: Sorry.\n"
    clues = clues_of(text)
    assert clues["ms-park"] == ("female", "a woman: “MS” in the name")
    assert clues["sir-toby"] == ("male", "a man: “SIR” in the name")
    assert clues["dr-okafor"] == (None, "any voice: nothing in the script says who this is")


def test_a_first_name_the_list_is_sure_of_says_so():
    assert clues_of("JULIET: Romeo!\nROMEO: Juliet!\nJULIET: Hush.\nROMEO: Yes.\n")["juliet"] == (
        "female", "a woman: Juliet is usually a woman’s name")
