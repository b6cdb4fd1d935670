"""Hostile and careless scripts: every input up to the 2 MB upload limit is read, or refused with a
message a 14-year-old understands, in well under two seconds; nothing makes the parser backtrack."""

import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scripts_app.parsing import ScriptParseError, parse_script
from scripts_app.parsing.limits import MAX_ELEMENTS, MAX_LINE_CHARS, MAX_SCENES, TOO_SLOW

TWO_MB = 2 * 1024 * 1024
LINE = MAX_LINE_CHARS - 10  # just under the line limit, so the line is parsed, not refused

# Every character some pattern in the parser treats specially, and a few short runs of them.
SYNTAX = list(" \t#*_[]().:：@!>~=^/\\-'’\u00a0A") + ["A ", "A.", "A:", "**", "[[", "]]", "/*", "*/", "(a",
                                                      "[a", "_a", "# ", ". ", ": ", "and ", "#1#", "\n", "(\n"]
# How a line may start: a heading, a cue, a direction, a Fountain element, a title page.
STARTS = ["", "# a", "###### a", "INT. a", ".a", "**A", "**A** ", "A", "ROMEO. ", "ROMEO: ", "ROMEO\n", "BOB\n(",
          "@", "(", "[", "_", "*", "> ", "!", "~", "Title: a", "ACT I ", "SCENE ", "*** START OF a\nTitle: a"]
# What may follow the run: more of a play, so the parse goes on past it.
ENDS = ["x\n\nA: hi\n\nB: yo\n", "\n\nROMEO.\nHi.\n\nJULIET.\nYo.\n", "#1A#\n\nBOB\nHi.\n\nAL\nYo.\n", ")\n", "]x\n",
        "x"]


def timed_parse(text: str, fmt: str) -> float:
    """Seconds to parse `text` with no time budget (so a slow pattern shows as time, not as a refusal)."""
    t0 = time.perf_counter()
    try:
        parse_script(text, format=fmt, seconds=None)
    except ScriptParseError as err:
        assert err.message != TOO_SLOW
    return time.perf_counter() - t0


# Ends every input, so a parse never stops early for want of dialogue.
PLAY = "\n\nANNA: Hello.\n\nBEN: Hi.\n\nANNA: Bye now.\n\nBEN: Bye.\n"


def repeated(start: str, run: str, end: str, line_chars: int) -> str:
    """`start` + `run` repeated to about `line_chars`, + `end`, repeated up to 2 MB, then a short play."""
    unit = start + run * max(1, (line_chars - len(start)) // len(run)) + end + "\n"
    return (unit * max(1, TWO_MB // len(unit)))[:TWO_MB - len(PLAY)] + PLAY


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.sampled_from(STARTS), run=st.sampled_from(SYNTAX), end=st.sampled_from(ENDS),
       line_chars=st.sampled_from([LINE, 2_000, 90]), fmt=st.sampled_from(["auto", "fountain"]))
@example(start="# a", run=" ", end=ENDS[0], line_chars=LINE, fmt="auto")  # issue 14: _MD_HEADING
@example(start="INT. a", run=" ", end=ENDS[2], line_chars=LINE, fmt="fountain")  # issue 14: _SCENE_NUMBER
@example(start="@", run="[", end=ENDS[0], line_chars=LINE, fmt="auto")  # _INLINE_DIR read 800 ahead
@example(start="@", run=" ", end=ENDS[2], line_chars=LINE, fmt="fountain")  # a forced cue's trailing spaces
@example(start="BOB\n(", run=" ", end="x)\nHi.\n", line_chars=LINE, fmt="fountain")  # a direction's edges
@example(start="a", run=" ", end="b\n", line_chars=LINE, fmt="auto")  # a title's marks (titles._MARKS)
@example(start="*** START OF a\nTitle: a", run=" ", end="x\n" + ENDS[1], line_chars=LINE, fmt="auto")
def test_no_run_of_any_syntax_character_up_to_two_megabytes_takes_two_seconds(start, run, end, line_chars, fmt):
    assert timed_parse(repeated(start, run, end, line_chars), fmt) < 2.0


def test_the_reported_heading_of_80000_spaces_is_refused_at_once_with_a_reason():
    text = "# a" + " " * 80_000 + "x\n\nA: hi\n\nB: yo\n"
    t0 = time.perf_counter()
    with pytest.raises(ScriptParseError, match="Line 1 is very long"):
        parse_script(text)
    assert time.perf_counter() - t0 < 0.5


def test_a_line_just_under_the_limit_is_read():
    speech = "word " * ((MAX_LINE_CHARS - 20) // 5)
    result = parse_script(f"ROMEO.\n{speech}\n\nJULIET.\nYes.\n")
    assert result["scenes"][0]["elements"][0]["text"] == speech.strip()


def test_a_parse_that_runs_past_its_time_budget_is_refused_kindly(corpus):
    text = (corpus / "romeo_and_juliet_pg1513.txt").read_text(encoding="utf-8-sig")
    assert parse_script(text)["characters"]  # the default budget is ample for the longest play
    with pytest.raises(ScriptParseError) as err:
        parse_script(text, seconds=0.0)
    assert err.value.message == TOO_SLOW


def test_a_script_with_more_scenes_than_any_play_is_refused():
    text = "".join(f"## Scene {i}\n\nA: hi\n\nB: yo\n\n" for i in range(MAX_SCENES + 1))
    with pytest.raises(ScriptParseError, match="more than 1,000 scenes"):
        parse_script(text)


def test_a_script_with_more_speeches_than_any_play_is_refused():
    text = "".join("A: hi\n\nB: yo\n\n" for _ in range(MAX_ELEMENTS // 2 + 1))
    with pytest.raises(ScriptParseError, match="more than 30,000 speeches"):
        parse_script(text)


def test_the_reported_script_of_48000_scenes_is_refused_quickly():
    text = "".join(f"# Scene {i}\nANNA: {'Hello there. ' * 3}\n" for i in range(48_000))[:1_900_000]
    t0 = time.perf_counter()
    with pytest.raises(ScriptParseError, match="more than 1,000 scenes"):
        parse_script(text)
    assert time.perf_counter() - t0 < 2.0


def test_a_file_of_two_megabytes_of_line_breaks_is_refused_at_once():
    t0 = time.perf_counter()
    with pytest.raises(ScriptParseError, match="more than 100,000 lines"):
        parse_script("A: hi\n\nB: yo" + "\n" * (TWO_MB - 20))
    assert time.perf_counter() - t0 < 0.5
