"""Two devices grading the same line at the same moment: every grade is kept and counted
(run on SQLite and on PostgreSQL, where the line's card is locked with SELECT ... FOR UPDATE)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from sessions_app.models import LineCard, LineGrade, RehearsalSession
from sessions_app.practice import line_grade
from sessions_app.progress import session_progress

from .conftest import MONDAY, maya_lines

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 8


def _together(*calls) -> list:
    """Run the calls in threads that start at the same moment; return what each raised, if anything."""
    barrier, errors = threading.Barrier(len(calls), timeout=30), []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return errors


def test_two_devices_grading_one_line_at_once_lose_no_grade(rehearsal):
    line = maya_lines(rehearsal)[0]
    for n in range(ROUNDS):
        when = MONDAY + timedelta(minutes=n)

        def grade(g, when=when):
            line_grade(session=RehearsalSession.objects.get(pk=rehearsal.pk), line_id=line, grade=g,
                       seconds=10, now=when)

        assert _together(lambda: grade("good"), lambda: grade("again")) == []
    assert LineGrade.objects.filter(line_id=line).count() == 2 * ROUNDS
    card = LineCard.objects.get(line_id=line)
    assert card.reviews == 2 * ROUNDS
    assert next(x.reviews for x in session_progress(rehearsal)[1] if x.line_id == line) == 2 * ROUNDS
    assert RehearsalSession.objects.get(pk=rehearsal.pk).practice_seconds == 10 * 2 * ROUNDS


def test_a_first_grade_from_two_devices_at_once_makes_one_card(rehearsal):
    lines = maya_lines(rehearsal)
    calls = [lambda line=line: line_grade(session=RehearsalSession.objects.get(pk=rehearsal.pk), line_id=line,
                                          grade="good", now=MONDAY) for line in (lines[1], lines[1])]
    assert _together(*calls) == []
    assert LineCard.objects.filter(line_id=lines[1]).count() == 1
    assert LineCard.objects.get(line_id=lines[1]).reviews == 2
