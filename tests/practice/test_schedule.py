"""The scheduler (fsrs) on a fixed clock: due dates move with grades, Today's practice runs the
weakest due lines first, brings new lines a few at a time, fits its minutes, says when the next
review is; and everything survives a restart and goes with the rehearsal."""

from datetime import timedelta

import pytest
from django.db import connections

from sessions_app import practice_selectors
from sessions_app.models import LineCard, LineGrade, PracticeDay, RehearsalSession
from sessions_app.practice import line_grade, line_review
from sessions_app.practice_selectors import practice_today
from sessions_app.progress import daily_history, session_progress
from sessions_app.services import session_delete

from .conftest import MONDAY, maya_lines


def test_a_got_it_puts_the_next_review_days_away_and_a_miss_brings_it_back_within_minutes(rehearsal):
    line = maya_lines(rehearsal)[0]
    first = line_review(session=rehearsal, line_id=line, grade="good", now=MONDAY)
    second = line_review(session=rehearsal, line_id=line, grade="good", now=first.due)
    third = line_review(session=rehearsal, line_id=line, grade="good", now=second.due)
    assert first.due - MONDAY < timedelta(hours=1)  # still learning: again today
    assert second.due - first.due >= timedelta(days=1)
    assert third.due - second.due > second.due - first.due  # each good review waits longer
    missed = line_review(session=rehearsal, line_id=line, grade="again", now=third.due)
    assert missed.due - third.due <= timedelta(minutes=10)


def test_easy_waits_longer_than_good(rehearsal):
    a, b = maya_lines(rehearsal)[:2]
    good = line_review(session=rehearsal, line_id=a, grade="good", now=MONDAY)
    easy = line_review(session=rehearsal, line_id=b, grade="easy", now=MONDAY)
    assert easy.due > good.due


def test_todays_practice_runs_due_lines_weakest_first_then_new_lines(rehearsal):
    lines = maya_lines(rehearsal)
    # Line 0 was learnt well long ago, line 1 missed: both due now; 1 is the weaker.
    for when, grade in ((MONDAY - timedelta(days=30), "easy"), (MONDAY - timedelta(days=12), "easy")):
        line_review(session=rehearsal, line_id=lines[0], grade=grade, now=when)
    line_review(session=rehearsal, line_id=lines[1], grade="again", now=MONDAY - timedelta(days=1))
    later = MONDAY + timedelta(days=400)
    today = practice_today(rehearsal, now=later)
    order = [x.line_id for x in today.lines]
    assert order[:2] == [lines[1], lines[0]]
    assert order[2:] == lines[2:] and all(x.new and x.due is None for x in today.lines[2:])
    assert today.lines[1].cue_text is None  # Maya opens scene 1
    assert today.lines[0].cue_character == "DAD" and today.lines[0].cue_text.startswith("Then you can help")


def test_lines_never_tried_come_a_few_a_day(rehearsal, monkeypatch):
    monkeypatch.setattr(practice_selectors, "NEW_PER_DAY", 2)
    lines = maya_lines(rehearsal)
    assert [x.line_id for x in practice_today(rehearsal, now=MONDAY).lines] == lines[:2]
    line_review(session=rehearsal, line_id=lines[0], grade="good", now=MONDAY)
    line_review(session=rehearsal, line_id=lines[1], grade="easy", now=MONDAY)
    assert practice_today(rehearsal, now=MONDAY + timedelta(minutes=1)).lines == []
    today = practice_today(rehearsal, now=MONDAY + timedelta(minutes=10))
    assert [x.line_id for x in today.lines] == [lines[0]]  # due again after 10 minutes; no new ones today
    assert today.new_left == 2
    tomorrow = practice_today(rehearsal, now=MONDAY + timedelta(days=1))
    assert [x.line_id for x in tomorrow.lines if x.new] == lines[2:]


def test_the_practice_stops_at_its_minutes_and_says_when_the_next_review_is(rehearsal, monkeypatch):
    monkeypatch.setattr(practice_selectors, "SECONDS_PER_LINE", 20)  # each line now takes 24 s or more
    RehearsalSession.objects.filter(pk=rehearsal.pk).update(practice_minutes=1)
    rehearsal.refresh_from_db()
    lines = maya_lines(rehearsal)
    for line in lines:
        line_review(session=rehearsal, line_id=line, grade="easy", now=MONDAY)
    today = practice_today(rehearsal, now=MONDAY + timedelta(minutes=1))
    assert today.lines == [] and today.next_due is not None and today.next_due > MONDAY + timedelta(days=1)
    much_later = practice_today(rehearsal, now=MONDAY + timedelta(days=365))
    assert 0 < len(much_later.lines) < len(lines) and much_later.seconds <= 60
    assert much_later.due_left == len(lines) - len(much_later.lines)


@pytest.mark.django_db(transaction=True)
def test_a_restart_keeps_rungs_schedule_grades_and_minutes(rehearsal):
    line = maya_lines(rehearsal)[0]
    graded = line_grade(session=rehearsal, line_id=line, grade="good", seconds=90, now=MONDAY)
    before = practice_today(rehearsal, now=MONDAY), daily_history(rehearsal, today=MONDAY.date())
    connections.close_all()  # what a restart does to this process's view of the database
    again = RehearsalSession.objects.get(pk=rehearsal.pk)
    assert (practice_today(again, now=MONDAY), daily_history(again, today=MONDAY.date())) == before
    progress = next(x for x in session_progress(again)[1] if x.line_id == line)
    assert (progress.rung, progress.due, progress.reviews) == (1, graded.due, 1)
    assert before[1][-1].minutes == 1.5 and again.practice_seconds == 90


def test_deleting_the_rehearsal_deletes_its_grades_rungs_and_days(rehearsal):
    line_grade(session=rehearsal, line_id=maya_lines(rehearsal)[0], grade="good", seconds=30, now=MONDAY)
    session_delete(session=rehearsal)
    assert not LineCard.objects.exists() and not LineGrade.objects.exists() and not PracticeDay.objects.exists()
