"""A line climbs the ladder (full → first words → first letters → cue only) after "got it" and
falls a rung after "missed"; "nearly" keeps it where it is."""

from sessions_app.ladder import shown_at
from sessions_app.practice import line_review
from sessions_app.progress import session_progress

from .conftest import MONDAY, maya_lines


def rung_of(rehearsal, line_id) -> int:
    return next(line.rung for line in session_progress(rehearsal)[1] if line.line_id == line_id)


def test_a_line_climbs_a_rung_for_each_got_it_and_stops_at_cue_only(rehearsal):
    line = maya_lines(rehearsal)[0]
    assert rung_of(rehearsal, line) == 0
    for expected in (1, 2, 3, 3):
        graded = line_review(session=rehearsal, line_id=line, grade="good", now=MONDAY)
        assert graded.rung == expected == rung_of(rehearsal, line)


def test_a_missed_line_falls_one_rung_and_nearly_stays(rehearsal):
    line = maya_lines(rehearsal)[0]
    for _ in range(3):
        line_review(session=rehearsal, line_id=line, grade="good", now=MONDAY)
    assert line_review(session=rehearsal, line_id=line, grade="again", now=MONDAY).rung == 2
    assert line_review(session=rehearsal, line_id=line, grade="hard", now=MONDAY).rung == 2
    assert line_review(session=rehearsal, line_id=line, grade="again", now=MONDAY).rung == 1
    assert line_review(session=rehearsal, line_id=line, grade="again", now=MONDAY).rung == 0
    assert line_review(session=rehearsal, line_id=line, grade="again", now=MONDAY).rung == 0


def test_each_rung_shows_less_of_the_line():
    text = "I will not go to the party tonight."
    assert shown_at(text, 0) == text
    assert shown_at(text, 1) == "I will not …"
    assert shown_at(text, 2) == "I w n g t t p t."
    assert shown_at(text, 3) == ""


def test_three_got_its_in_a_row_make_a_line_learnt_and_a_miss_unlearns_it(rehearsal):
    line = maya_lines(rehearsal)[0]
    learnt = lambda: next(x.learnt for x in session_progress(rehearsal)[1] if x.line_id == line)  # noqa: E731
    for grade in ("good", "good", "hard", "good", "good"):
        line_review(session=rehearsal, line_id=line, grade=grade, now=MONDAY)
    assert not learnt()
    line_review(session=rehearsal, line_id=line, grade="easy", now=MONDAY)
    assert learnt()
    line_review(session=rehearsal, line_id=line, grade="again", now=MONDAY)
    assert not learnt()
