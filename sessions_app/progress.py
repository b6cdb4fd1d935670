"""Reads for listen mode and the ladder: attempts, which lines the teen has learnt, and history.

A line is learnt when its last three grades were "got it" (or "easy"): in listen mode that is
every word the strictness counts, so a teen who always drops the same "the" has not learnt
the line word-perfect. A fumble after that puts it back on the drill list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.utils import timezone

from runthru_site.errors import NotFound
from scripts_app.selectors import is_user_line

from .ladder import AGAIN, EASY, GOOD, HARD
from .models import LineAttempt, LineCard, LineGrade, PracticeDay, RehearsalSession

LEARNT_STREAK = 3
GOT_IT = (GOOD, EASY)
MISSES = (AGAIN, HARD)  # "nearly" is a miss too: a word was dropped
HISTORY_DAYS = 60
GRADES_READ = 20_000  # months of daily practice of a long part
MISSED_WORDS_FROM = 500  # the newest attempts the missed words are counted from


@dataclass(frozen=True)
class LineProgress:
    line_id: str
    attempts: int
    best: float | None
    latest: float | None
    learnt: bool
    rung: int = 0
    due: datetime | None = None
    reviews: int = 0


@dataclass(frozen=True)
class SceneProgress:
    index: int
    title: str
    learnt: int
    total: int


def attempt_list(session: RehearsalSession, *, line_id: str | None = None):
    rows = LineAttempt.objects.filter(session=session).order_by("-created_at", "-id")
    return rows.filter(line_id=line_id) if line_id is not None else rows


def attempt_get(session: RehearsalSession, attempt_id) -> LineAttempt:
    try:
        return LineAttempt.objects.get(session=session, pk=int(attempt_id))
    except (LineAttempt.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("We couldn't find that attempt. It may have been deleted.") from None


def _my_lines(session: RehearsalSession):
    """(scene index, scene title, element) of each of the teen's lines, in script order."""
    for i, scene in enumerate(session.script.scenes):
        title = scene.get("title") or f"Scene {i + 1}"
        for e in scene["elements"]:
            if is_user_line(e, session.user_role):
                yield i, title, e


def _recent_grades(session: RehearsalSession, *fields) -> list[tuple]:
    """The newest GRADES_READ grades, oldest first: "learnt" only needs each line's last three."""
    rows = LineGrade.objects.filter(session=session).order_by("-created_at", "-id").values_list(*fields)
    return list(reversed(rows[:GRADES_READ]))


def _learnt(grades: list[str]) -> bool:
    tail = grades[-LEARNT_STREAK:]
    return len(tail) == LEARNT_STREAK and all(g in GOT_IT for g in tail)


def session_progress(session: RehearsalSession) -> tuple[list[SceneProgress], list[LineProgress]]:
    """Per scene "learnt of total" of the teen's lines, and per line scores, rung, schedule and learnt."""
    scores: dict[str, list[float]] = {}
    rows = LineAttempt.objects.filter(session=session).order_by("created_at", "id").values_list("line_id", "score")
    for line_id, score in rows:
        scores.setdefault(line_id, []).append(score)
    grades: dict[str, list[str]] = {}
    for line_id, grade in _recent_grades(session, "line_id", "grade"):
        grades.setdefault(line_id, []).append(grade)
    cards = {c.line_id: c for c in LineCard.objects.filter(session=session)}
    scenes: dict[int, SceneProgress] = {
        i: SceneProgress(index=i, title=s.get("title") or f"Scene {i + 1}", learnt=0, total=0)
        for i, s in enumerate(session.script.scenes)}
    lines = []
    for i, _title, e in _my_lines(session):
        mine, card = scores.get(e["id"], []), cards.get(e["id"])
        line = LineProgress(
            line_id=e["id"], attempts=len(mine), best=max(mine) if mine else None, latest=mine[-1] if mine else None,
            learnt=_learnt(grades.get(e["id"], [])), rung=card.rung if card else 0,
            due=card.due if card else None, reviews=card.reviews if card else 0)
        lines.append(line)
        scenes[i] = replace(scenes[i], learnt=scenes[i].learnt + line.learnt, total=scenes[i].total + 1)
    return list(scenes.values()), lines


@dataclass(frozen=True)
class DayProgress:
    day: date
    minutes: float
    learnt_by_scene: list[int]  # lines learnt at the end of that day, by scene index


@dataclass(frozen=True)
class MissedLine:
    line_id: str
    scene_index: int
    text: str
    misses: int
    missed_words: list[str]


def daily_history(session: RehearsalSession, *, today: date | None = None) -> list[DayProgress]:
    """Each day from the first one practised (at most HISTORY_DAYS back) to today: minutes practised,
    and lines learnt per scene at the end of the day."""
    today = today or timezone.localdate()
    first = today - timedelta(days=HISTORY_DAYS - 1)
    minutes = {d.day: d.seconds / 60 for d in PracticeDay.objects.filter(session=session, day__gte=first)}
    scene_of = {e["id"]: i for i, _t, e in _my_lines(session)}
    log = [(line_id, grade, timezone.localdate(at))
           for line_id, grade, at in _recent_grades(session, "line_id", "grade", "created_at")]
    active = [d for d in [*minutes, *(day for _l, _g, day in log)] if first <= d <= today]
    if not active:
        return []
    days, seen, n = [], {}, 0
    day = min(active)
    while day <= today:
        while n < len(log) and log[n][2] <= day:  # replay the log once, day by day
            seen.setdefault(log[n][0], []).append(log[n][1])
            n += 1
        learnt = [0] * len(session.script.scenes)
        for line_id, line_grades in seen.items():
            if line_id in scene_of and _learnt(line_grades):
                learnt[scene_of[line_id]] += 1
        days.append(DayProgress(day=day, minutes=round(minutes.get(day, 0.0), 1), learnt_by_scene=learnt))
        day += timedelta(days=1)
    return days


def most_missed(session: RehearsalSession, *, limit: int = 5) -> list[MissedLine]:
    """The lines missed most often (a "missed" grade or a listen-mode try that dropped words), with the
    words dropped or changed, most often first."""
    lines = {e["id"]: (i, e["text"]) for i, _t, e in _my_lines(session)}
    misses: dict[str, int] = {}
    for line_id in LineGrade.objects.filter(session=session, grade__in=MISSES).values_list("line_id", flat=True):
        misses[line_id] = misses.get(line_id, 0) + 1
    words: dict[str, Counter] = {}
    recent = LineAttempt.objects.filter(session=session).order_by("-created_at", "-id")[:MISSED_WORDS_FROM]
    for line_id, attempt_words in recent.values_list("line_id", "words"):
        counter = words.setdefault(line_id, Counter())
        counter.update(w["word"] for w in attempt_words or [] if w.get("status") in ("missed", "changed"))
    ranked = sorted(((n, line_id) for line_id, n in misses.items() if line_id in lines),
                    key=lambda x: (-x[0], lines[x[1]][0]))
    return [MissedLine(line_id=line_id, scene_index=lines[line_id][0], text=lines[line_id][1], misses=n,
                       missed_words=[w for w, _ in words.get(line_id, Counter()).most_common(5)])
            for n, line_id in ranked[:limit]]


def progress_summary(session: RehearsalSession) -> str:
    """One line for the parents' admin: "3 of 12 lines learnt"."""
    scenes, _ = session_progress(session)
    return f"{sum(s.learnt for s in scenes)} of {sum(s.total for s in scenes)} lines learnt"
