"""A title or an article in front of another character's name is the same person, merged and
recorded so a parent can undo it (issue 15, item 11)."""

from scripts_app.parsing import parse_script


def read(corpus, name):
    return (corpus / name).read_text(encoding="utf-8")


def cast(result):
    return {c["name"]: c for c in result["characters"]}


def test_a_dolls_house_has_one_rank_and_one_set_of_children(corpus):
    result = parse_script(read(corpus, "a_dolls_house_pg2542.txt"))
    people = cast(result)
    assert "DOCTOR RANK" not in people and "THE CHILDREN" not in people
    assert people["RANK"]["line_count"] == 101 and people["RANK"]["aliases"] == ["DOCTOR RANK"]
    assert people["CHILDREN"]["line_count"] == 3 and people["CHILDREN"]["aliases"] == ["THE CHILDREN"]
    assert result["merged"] == {"DOCTOR RANK": "RANK", "THE CHILDREN": "CHILDREN"}
    said_by_rank = [e for s in result["scenes"] for e in s["elements"] if e["character"] == "rank"]
    assert len(said_by_rank) == 101
    merged = [w for w in result["warnings"] if w["kind"] == "merged"]
    assert len(merged) == 2 and all(w["actionable"] for w in merged)
    assert "DOCTOR RANK" in merged[0]["message"]


def test_a_parent_undoes_a_merge_with_an_alias_to_the_name_itself(corpus):
    result = parse_script(read(corpus, "a_dolls_house_pg2542.txt"), aliases={"DOCTOR RANK": "DOCTOR RANK"})
    people = cast(result)
    assert people["DOCTOR RANK"]["line_count"] == 1 and people["RANK"]["line_count"] == 100
    assert result["merged"] == {"THE CHILDREN": "CHILDREN"}


def test_lady_capulet_stays_apart_from_capulet(corpus):
    result = parse_script(read(corpus, "romeo_and_juliet_pg1513.txt"))
    assert result["merged"] == {}
    assert cast(result)["LADY CAPULET"]["line_count"] == 45 and cast(result)["CAPULET"]["line_count"] == 50


def test_mr_or_mrs_merges_only_when_just_one_of_them_speaks():
    one = parse_script("**MRS SMITH:** Tea?\n\n**JO:** Yes.\n\n**SMITH:** Milk?\n")
    assert one["merged"] == {"MRS SMITH": "SMITH"}
    both = parse_script("**MRS SMITH:** Tea?\n\n**MR SMITH:** Yes.\n\n**SMITH:** Milk?\n")
    assert both["merged"] == {} and len(both["characters"]) == 3


def test_two_titles_in_front_of_a_name_still_make_one_person():
    result = parse_script("**DR RANK:** One.\n\n**THE DR RANK:** Two.\n\n**RANK:** Three.\n")
    assert [(c["name"], c["line_count"]) for c in result["characters"]] == [("RANK", 3)]
    assert result["merged"] == {"DR RANK": "RANK", "THE DR RANK": "RANK"}
