"""Small inline scripts in each layout: Traditional, Modern, Gutenberg inline, Markdown headings."""

from scripts_app.parsing import FORMATS, parse_script


def dialogue(result):
    return [e for s in result["scenes"] for e in s["elements"] if e["type"] == "dialogue"]


MODERN = """# The Bake Sale

## Scene 1

*(A school hall. JO carries a tray of cupcakes.)*

**JO:** (excited) We sold forty already!

**SAM:** Forty? (sarcastically) Wow, a record.

**JO** (softly)
Don't be mean.

**MRS. SMITH:** Both of you, stop it.

## Scene 2

**SAM:** Sorry, Jo.
"""

TRADITIONAL = """ACT I

SCENE I. A street.

 Enter Romeo and Juliet.

ROMEO.
But soft, what light
through yonder window breaks?

JULIET (whispering)
Romeo!

[_Exit Romeo._]

ROMEO:
I am gone.

SCENE II. Another street.

GUARD 1.
Halt!
"""


def test_it_parses_the_modern_bold_name_layout_with_inline_directions():
    result = parse_script(MODERN)
    assert result["title"] == "The Bake Sale"
    assert result["format"] == "markdown"
    speeches = dialogue(result)
    assert [e["character"] for e in speeches] == ["jo", "sam", "jo", "mrs-smith", "sam"]
    assert speeches[0]["text"] == "We sold forty already!"
    assert speeches[0]["emotion"] == {"label": "excited", "intensity": 0.7, "valence": "positive"}
    assert speeches[1]["text"] == "Forty? Wow, a record."
    assert speeches[1]["direction"] == "sarcastically"
    assert speeches[2]["text"] == "Don't be mean." and speeches[2]["direction"] == "softly"
    assert [s["title"] for s in result["scenes"]] == ["Scene 1", "Scene 2"]
    assert result["scenes"][0]["elements"][0]["type"] == "direction"
    assert result["scenes"][0]["elements"][0]["text"].startswith("A school hall")


def test_it_parses_the_traditional_layout_with_acts_scenes_and_directions():
    result = parse_script(TRADITIONAL)
    assert [(s["act"], s["title"]) for s in result["scenes"]] == [
        ("ACT I", "SCENE I. A street."), ("ACT I", "SCENE II. Another street.")]
    speeches = dialogue(result)
    assert speeches[0]["text"] == "But soft, what light\nthrough yonder window breaks?"
    assert speeches[1]["direction"] == "whispering" and speeches[1]["emotion"]["label"] == "whisper"
    assert speeches[2]["text"] == "I am gone."
    assert speeches[3]["character"] == "guard-1"
    kinds = [e["type"] for e in result["scenes"][0]["elements"]]
    assert kinds == ["direction", "dialogue", "dialogue", "direction", "dialogue"]
    assert result["scenes"][0]["elements"][3]["text"] == "Exit Romeo."


def test_it_parses_the_gutenberg_inline_layout_and_continues_speeches_after_a_direction():
    text = (
        "FIRST ACT\n\nNora.  Is that you, Torvald?\n\nHelmer.  Yes. [Sits.]\n\n"
        "Nora.  Good.\n\n[She laughs.]\n\nI am so glad.\n\nHelmer.  Why?\n\nNora.  No reason.\n"
        "\nHelmer.  Very well.\n"
    )
    result = parse_script(text)
    speeches = dialogue(result)
    assert [e["character"] for e in speeches] == ["nora", "helmer", "nora", "helmer", "nora", "helmer"]
    assert speeches[1]["text"] == "Yes." and speeches[1]["direction"] == "Sits"
    assert speeches[2]["text"] == "Good.\nI am so glad."
    assert speeches[2]["direction"] == "She laughs"
    assert speeches[2]["emotion"]["label"] == "laughing"


def test_it_reads_caps_inline_cues_with_a_period():
    result = parse_script("NORA. Hello there.\n\nHELMER. Hello, Nora.\n")
    assert [e["character"] for e in dialogue(result)] == ["nora", "helmer"]
    assert dialogue(result)[0]["text"] == "Hello there."


def test_it_reads_plain_caps_colon_cues_one_per_line():
    result = parse_script("ROMEO: Hi.\nJULIET: Hello.\nROMEO: Bye.\nJULIET: Bye then.\n")
    assert [e["text"] for e in dialogue(result)] == ["Hi.", "Hello.", "Bye.", "Bye then."]


def test_it_keeps_front_matter_as_a_scene_only_when_it_has_dialogue():
    result = parse_script("JO.\nHi.\n\n# Act 1\n\n## Scene 1\n\nSAM.\nHello.\n")
    assert [s["title"] for s in result["scenes"]] == ["Opening", "Act 1 · Scene 1"]
    assert result["scenes"][1]["act"] == "Act 1"
    result = parse_script("Some notes about the play.\n\n## Scene 1\n\nSAM.\nHello.\n")
    assert [s["title"] for s in result["scenes"]] == ["Scene 1"]


def test_it_takes_the_title_from_the_argument_first():
    assert parse_script(MODERN, title="My Play")["title"] == "My Play"
    assert parse_script("JO.\nHi.\n")["title"] == "Untitled script"


def test_it_skips_a_cast_list_and_a_table_of_contents():
    text = (
        "Contents\n\nACT I\nScene I. A street.\n\nDramatis Personae\n\nESCALUS, Prince of Verona.\n"
        "CHORUS.\nThree Musicians.\n\n\nACT I\n\nSCENE I. A street.\n\nSAMPSON.\nGregory, on my word.\n"
    )
    result = parse_script(text)
    assert [c["id"] for c in result["characters"]] == ["sampson"]
    assert len(result["scenes"]) == 1


def test_it_honours_the_format_argument_and_lists_the_formats():
    assert FORMATS == ("auto", "markdown", "fountain")
    result = parse_script("INT. HOUSE - DAY\n\nBOB\nHi.\n", format="markdown")
    assert result["format"] == "markdown"
    assert parse_script("INT. HOUSE - DAY\n\nBOB\nHi.\n")["format"] == "fountain"
