"""The parser's shortcuts give the same answers as its full checks.

A run of plain lines inside a speech skips the per-line checks (MarkdownParser.plain_lines),
cue lines and directions are cached between calls: a line that could be anything else must
still leave the run, and a cached answer must never leak from one call into the next.
"""

from scripts_app.parsing import emotion_for_direction, parse_script


def dialogue(result):
    return [e for s in result["scenes"] for e in s["elements"] if e["type"] == "dialogue"]


def test_a_heading_right_after_the_lines_of_a_speech_still_starts_a_scene():
    text = "## Scene 1\n\n**JO**\nWe sold forty.\nForty!\n## Scene 2\n**SAM**\nSorry.\n\n**JO**\nFine.\n"
    result = parse_script(text)
    assert [s["title"] for s in result["scenes"]] == ["Scene 1", "Scene 2"]
    assert [e["text"] for e in dialogue(result)] == ["We sold forty.\nForty!", "Sorry.", "Fine."]


def test_an_italic_line_inside_a_speech_becomes_its_direction():
    text = ("**HAMLET**\nTo be, or not to be,\n_Aside_\nthat is the question.\n\n"
            "**OPHELIA**\nMy lord?\n\n**HAMLET**\nNo.\n")
    first = dialogue(parse_script(text))[0]
    assert first["text"] == "To be, or not to be,\nthat is the question."
    assert first["direction"] == "Aside"


def test_a_colon_cue_after_plain_lines_starts_the_next_speech():
    text = ("ROMEO: But soft, what light\nthrough yonder window breaks?\nJULIET: Ay me.\n"
            "ROMEO: She speaks.\nJULIET: Romeo!\n")
    speeches = dialogue(parse_script(text))
    assert [e["character"] for e in speeches] == ["romeo", "juliet", "romeo", "juliet"]
    assert speeches[0]["text"] == "But soft, what light\nthrough yonder window breaks?"


def test_a_known_caps_cue_after_plain_lines_starts_the_next_speech():
    text = "JULIET.\nAy me.\n\nROMEO.\nShe speaks.\nO, speak again.\nJULIET.\nRomeo!\n"
    speeches = dialogue(parse_script(text))
    assert [(e["character"], e["text"]) for e in speeches] == [
        ("juliet", "Ay me."), ("romeo", "She speaks.\nO, speak again."), ("juliet", "Romeo!")]


def test_emotion_lookups_hand_out_fresh_objects():
    angry = {"label": "angry", "intensity": 0.8, "valence": "negative"}
    found, unknown = emotion_for_direction("angrily, frobbing")
    assert (found, unknown) == (angry, ["frobbing"])
    found["intensity"] = 0.0
    unknown.clear()
    assert emotion_for_direction("angrily, frobbing") == (angry, ["frobbing"])
    # the names of the characters are no part of what is cached
    assert emotion_for_direction("angrily, frobbing", {"frobbing"}) == (angry, [])
    assert emotion_for_direction("angrily, frobbing") == (angry, ["frobbing"])


def test_parsing_twice_gives_equal_and_independent_results():
    text = "**JO:** (angrily) Go!\n\n**SAM:** (angrily) No.\n\n**JO:** Fine.\n"
    first = parse_script(text)
    second = parse_script(text)
    assert first == second
    dialogue(first)[0]["emotion"]["label"] = "calm"
    assert dialogue(second)[0]["emotion"]["label"] == "angry"
    assert dialogue(parse_script(text))[0]["emotion"]["label"] == "angry"
