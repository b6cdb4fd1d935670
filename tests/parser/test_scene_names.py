"""Scenes are named with their act and number, not "SCENE" three times (issue 15, item 9)."""

from scripts_app.parsing import parse_script


def read(corpus, name):
    return (corpus / name).read_text(encoding="utf-8")


def titles(result):
    return [s["title"] for s in result["scenes"]]


def test_earnests_unnumbered_scenes_read_as_their_acts(corpus):
    for name in ("importance_of_being_earnest_pg844.txt", "importance_of_being_earnest_gitenberg844_inline.txt"):
        result = parse_script(read(corpus, name))
        assert titles(result) == ["Act I", "Act II", "Act III"]
        assert [s["act"] for s in result["scenes"]] == ["FIRST ACT", "SECOND ACT", "THIRD ACT"]


def test_a_dolls_house_acts_read_as_acts(corpus):
    assert titles(parse_script(read(corpus, "a_dolls_house_pg2542.txt"))) == ["Act I", "Act II", "Act III"]


def test_a_heading_that_says_more_than_its_number_keeps_its_own_words(corpus):
    result = parse_script(read(corpus, "romeo_and_juliet_pg1513.txt"))
    assert titles(result)[:3] == ["THE PROLOGUE", "SCENE I. A public place.", "SCENE II. A Street."]


def test_bare_numbered_scenes_read_with_their_act_and_number():
    text = ("## ACT I\n\n### SCENE I.\n\nJO.\nHi.\n\n### SCENE II\n\nSAM.\nHello.\n\n"
            "## ACT II\n\n### Scene 1\n\nJO.\nBye.\n\n### SCENE\n\nSAM.\nBye then.\n")
    assert titles(parse_script(text)) == ["Act I · Scene 1", "Act I · Scene 2", "Act II · Scene 1",
                                          "Act II · Scene 2"]


def test_renaming_a_scene_keeps_the_ids_of_its_lines():
    # ids hash the heading as written, so clips made before the rename are still found
    text = "FIRST ACT\n\nSCENE\n\nJO.\nHi.\n"
    renamed = "FIRST ACT\n\nSCENE\n\nJO.\nHi.\n\n\nSECOND ACT\n\nSCENE\n\nSAM.\nHello.\n"
    first, second = parse_script(text)["scenes"][0], parse_script(renamed)["scenes"][0]
    assert first["title"] == second["title"] == "Act I"
    assert first["id"] == second["id"] and first["elements"][0]["id"] == second["elements"][0]["id"]
