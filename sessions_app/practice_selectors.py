"""Reads for Today's practice: which of the teen's lines to run now, in what order.

Lines due now come first, the weakest (least likely remembered, says fsrs)
first; then lines never tried, a few a day in script order, so a new scene arrives a few
lines at a time. The list stops at about the practice length the rehearsal is set to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone
from fsrs import Card

from scripts_app.selectors import is_user_line

from . import ladder
from .models import LineCard, RehearsalSession
from .practice import SCHEDULER

NEW_PER_DAY = 5
# Seconds one line takes: reading the cue, saying the line, grading it (words at 2.5 a second).
SECONDS_PER_LINE = 4
WORDS_PER_SECOND = 2.5


@dataclass(frozen=True)
class PracticeLine:
    line_id: str
    scene_index: int
    scene_title: str
    text: str
    rung: int
    shown: str
    due: datetime | None
    new: bool
    cue_character: str | None
    cue_text: str | None
    seconds: int


@dataclass(frozen=True)
class Practice:
    minutes: int
    seconds: int
    lines: list[PracticeLine]
    due_left: int  # due now but beyond the practice's length
    new_left: int  # lines never tried, not yet introduced
    next_due: datetime | None  # the first review after this practice


def _teen_lines(session: RehearsalSession):
    names = {c["id"]: c.get("name") or c["id"] for c in session.script.characters}
    for i, scene in enumerate(session.script.scenes):
        title = scene.get("title") or f"Scene {i + 1}"
        cue = None
        for e in scene["elements"]:
            if e.get("type") != "dialogue":
                continue
            if is_user_line(e, session.user_role):
                yield i, title, e, cue, names
            cue = e


def _seconds(text: str, cue: str) -> int:
    return SECONDS_PER_LINE + round((len(cue.split()) + 2 * len(text.split())) / WORDS_PER_SECOND)


def practice_today(session: RehearsalSession, *, now: datetime | None = None) -> Practice:
    now = now or timezone.now()
    end_of_today = timezone.make_aware(datetime.combine(timezone.localdate(now) + timedelta(days=1), time()))
    start_of_today = end_of_today - timedelta(days=1)
    cards = {c.line_id: c for c in LineCard.objects.filter(session=session)}
    due, new = [], []
    for i, title, e, cue, names in _teen_lines(session):
        card = cards.get(e["id"])
        item = PracticeLine(
            line_id=e["id"], scene_index=i, scene_title=title, text=e["text"], rung=card.rung if card else 0,
            shown=ladder.shown_at(e["text"], card.rung if card else 0), due=card.due if card else None,
            new=card is None, cue_character=names.get(cue.get("character"), cue.get("character")) if cue else None,
            cue_text=cue["text"] if cue else None, seconds=_seconds(e["text"], cue["text"] if cue else ""))
        if card is None:
            new.append(item)
        elif card.due <= now:
            weakness = SCHEDULER.get_card_retrievability(Card.from_dict(card.fsrs), now)
            due.append((weakness, -card.rung, len(due), item))
    introduced_today = sum(start_of_today <= c.created_at < end_of_today for c in cards.values())
    fresh = new[:max(0, NEW_PER_DAY - introduced_today)]
    budget, chosen, spent = session.practice_minutes * 60, [], 0
    for item in [x[-1] for x in sorted(due)] + fresh:
        if chosen and spent + item.seconds > budget:
            break
        chosen.append(item)
        spent += item.seconds
    picked = {x.line_id for x in chosen}
    later = [c.due for c in cards.values() if c.line_id not in picked and c.due >= now]
    return Practice(
        minutes=session.practice_minutes, seconds=spent, lines=chosen,
        due_left=sum(1 for _w, _r, _n, x in due if x.line_id not in picked),
        new_left=len(new) - sum(x.new for x in chosen), next_due=min(later) if later else None)
