"""Reads for listen mode: attempts, and which lines the teen has learnt.

A line is learnt when its last three attempts all scored 0.9 or more: a fumble
after that puts it back on the drill list, which is what a teen drilling wants.
"""

from __future__ import annotations

from dataclasses import dataclass

from runthru_site.errors import NotFound
from scripts_app.selectors import is_user_line

from .models import LineAttempt, RehearsalSession

LEARNT_SCORE = 0.9
LEARNT_STREAK = 3


@dataclass(frozen=True)
class LineProgress:
    line_id: str
    attempts: int
    best: float | None
    latest: float | None
    learnt: bool


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


def _scores_by_line(session: RehearsalSession) -> dict[str, list[float]]:
    scores: dict[str, list[float]] = {}
    rows = LineAttempt.objects.filter(session=session).order_by("created_at", "id").values_list("line_id", "score")
    for line_id, score in rows:
        scores.setdefault(line_id, []).append(score)
    return scores


def _line_progress(line_id: str, scores: list[float]) -> LineProgress:
    tail = scores[-LEARNT_STREAK:]
    return LineProgress(
        line_id=line_id, attempts=len(scores), best=max(scores) if scores else None,
        latest=scores[-1] if scores else None,
        learnt=len(tail) == LEARNT_STREAK and all(s >= LEARNT_SCORE for s in tail),
    )


def session_progress(session: RehearsalSession) -> tuple[list[SceneProgress], list[LineProgress]]:
    """Per scene "learnt of total" of the teen's lines, and per line best, latest and learnt."""
    scores = _scores_by_line(session)
    scenes, lines = [], []
    for i, scene in enumerate(session.script.scenes):
        mine = [e for e in scene["elements"] if is_user_line(e, session.user_role)]
        progress = [_line_progress(e["id"], scores.get(e["id"], [])) for e in mine]
        lines += progress
        scenes.append(SceneProgress(index=i, title=scene.get("title") or f"Scene {i + 1}",
                                    learnt=sum(p.learnt for p in progress), total=len(progress)))
    return scenes, lines


def progress_summary(session: RehearsalSession) -> str:
    """One line for the parents' admin: "3 of 12 lines learnt"."""
    scenes, _ = session_progress(session)
    return f"{sum(s.learnt for s in scenes)} of {sum(s.total for s in scenes)} lines learnt"
