"""Writes for learning lines over days: grading a line, and counting time practised.

A grade moves the line on the ladder and through the scheduler (fsrs) in one transaction,
with the line's card locked (select_for_update), and is appended to the grade log: two
devices grading the same line at once are applied one after the other and both are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from runthru_site.errors import NotFound, UserError
from scripts_app.selectors import is_user_line, script_element_by_id

from . import ladder, limits
from .models import LineAttempt, LineCard, LineGrade, PracticeDay, RehearsalSession
from .progress import attempt_get

# No fuzzing: the same grades on the same days give the same schedule (and testable dates).
SCHEDULER = Scheduler(enable_fuzzing=False)
RATINGS = {ladder.AGAIN: Rating.Again, ladder.HARD: Rating.Hard, ladder.GOOD: Rating.Good, ladder.EASY: Rating.Easy}
MAX_SECONDS_PER_GRADE = 600


@dataclass(frozen=True)
class Graded:
    line_id: str
    grade: str
    rung_before: int
    rung: int
    due: datetime
    reviews: int
    attempt_id: int | None


def my_line(session: RehearsalSession, line_id) -> dict:
    """The element of one of the teen's lines, or a clear 404/400."""
    element = script_element_by_id(session.script, line_id) if isinstance(line_id, str) else None
    if element is None or element.get("type") != "dialogue":
        raise NotFound("That line isn't in this script.", code="unknown_line")
    if not is_user_line(element, session.user_role):
        raise UserError("That line belongs to another character, not to you.", code="not_your_line")
    return element


def _locked_card(session: RehearsalSession, line_id: str, now: datetime) -> LineCard:
    # Insert-if-missing first so there is always a row to lock, even for a line's first grade.
    LineCard.objects.bulk_create(
        [LineCard(session=session, line_id=line_id, due=now, fsrs=Card(due=now).to_dict(), created_at=now)],
        ignore_conflicts=True)
    return LineCard.objects.select_for_update().get(session=session, line_id=line_id)


def line_review(*, session: RehearsalSession, line_id: str, grade: str, attempt: LineAttempt | None = None,
                now: datetime | None = None) -> Graded:
    """Apply one grade to a line (the caller has checked the line and the grade)."""
    now = now or timezone.now()
    with transaction.atomic():
        card = _locked_card(session, line_id, now)
        if attempt is not None:
            done = LineGrade.objects.filter(attempt=attempt).first()
            if done is not None:  # the same attempt sent twice counts once
                return Graded(line_id, done.grade, done.rung, card.rung, card.due, card.reviews, attempt.pk)
        scheduled, _ = SCHEDULER.review_card(Card.from_dict(card.fsrs), RATINGS[grade], review_datetime=now)
        before = card.rung
        card.rung = ladder.rung_after(card.rung, grade)
        card.fsrs, card.due, card.reviews = scheduled.to_dict(), scheduled.due, card.reviews + 1
        card.save(update_fields=["rung", "fsrs", "due", "reviews"])
        LineGrade.objects.create(session=session, line_id=line_id, grade=grade, rung=before, attempt=attempt,
                                 created_at=now)
    return Graded(line_id, grade, before, card.rung, card.due, card.reviews, attempt.pk if attempt else None)


def line_grade(*, session: RehearsalSession, line_id, grade=None, attempt_id=None, seconds: int = 0,
               now: datetime | None = None) -> Graded:
    """The teen's grade after a tap ("got it / nearly / missed"), or a listen-mode attempt's."""
    my_line(session, line_id)
    if (grade is None) == (attempt_id is None):
        raise UserError("Send either a grade (again, hard, good or easy) or an attempt id.", code="bad_grade")
    attempt = None
    if attempt_id is not None:
        attempt = attempt_get(session, attempt_id)
        if attempt.line_id != line_id:
            raise UserError("That attempt was at a different line.", code="attempt_other_line")
        grade = ladder.grade_for_score(attempt.score)
    elif grade not in ladder.GRADES:
        raise UserError("A grade is again, hard, good or easy.", code="bad_grade")
    if not isinstance(seconds, int) or not 0 <= seconds <= MAX_SECONDS_PER_GRADE:
        raise UserError(f"Seconds must be between 0 and {MAX_SECONDS_PER_GRADE}.", code="bad_practice")
    now = now or timezone.now()
    recent = LineGrade.objects.filter(session=session, created_at__gt=now - limits.GRADES_WINDOW, attempt=None)
    if recent.count() >= limits.GRADES_PER_SESSION:
        raise UserError("You're going a bit fast! Wait a few seconds, then carry on.", code="too_many_grades",
                        status=429, details={"retry_after": int(limits.GRADES_WINDOW.total_seconds())})
    with transaction.atomic():
        graded = line_review(session=session, line_id=line_id, grade=grade, attempt=attempt, now=now)
        practice_time_add(session=session, seconds=seconds, now=now)
    return graded


def practice_time_add(*, session: RehearsalSession, seconds: int, now: datetime | None = None) -> None:
    """Count practice time on the day it happened (the rehearsal's total, and its day for the chart)."""
    if seconds > 0:
        practice_day_add(session=session, seconds=seconds, now=now)
        RehearsalSession.objects.filter(pk=session.pk).update(practice_seconds=F("practice_seconds") + seconds)


def practice_day_add(*, session: RehearsalSession, seconds: int, now: datetime | None = None) -> None:
    day = timezone.localdate(now or timezone.now())
    PracticeDay.objects.bulk_create([PracticeDay(session=session, day=day)], ignore_conflicts=True)
    PracticeDay.objects.filter(session=session, day=day).update(seconds=F("seconds") + seconds)
