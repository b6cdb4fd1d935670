"""The memorisation ladder: how much of a line the teen sees before saying it.

Rung 0 shows the whole line, 1 its first few words, 2 the first letter of every word, 3 only
the cue. A line climbs a rung after a good try at its rung and drops one after a missed try;
"nearly" keeps it where it is. Grades are the teen's own after a tap ("got it", "nearly",
"missed") or listen mode's score turned into the same grades.
"""

from __future__ import annotations

import re

RUNGS = ("full", "first_words", "first_letters", "cue_only")
TOP = len(RUNGS) - 1
FIRST_WORDS = 3

AGAIN, HARD, GOOD, EASY = "again", "hard", "good", "easy"
GRADES = (AGAIN, HARD, GOOD, EASY)
# What the buttons say: the teen never sees "again/hard/good".
GRADE_WORDS = {AGAIN: "missed", HARD: "nearly", GOOD: "got it", EASY: "easy"}
NEARLY_SCORE = 0.75  # a listen-mode try this good is "nearly"; only every word counted is "got it"


def rung_after(rung: int, grade: str) -> int:
    if grade in (GOOD, EASY):
        return min(TOP, rung + 1)
    if grade == AGAIN:
        return max(0, rung - 1)
    return rung


def grade_for_score(score: float) -> str:
    """Listen mode's grade: every counted word right is "got it"."""
    if score >= 1.0:
        return GOOD
    return HARD if score >= NEARLY_SCORE else AGAIN


_WORD = re.compile(r"[\w'’-]+")


def shown_at(text: str, rung: int) -> str:
    """The line as the teen sees it at a rung."""
    if rung <= 0:
        return text
    if rung == 1:
        words = text.split()
        return " ".join(words[:FIRST_WORDS]) + (" …" if len(words) > FIRST_WORDS else "")
    if rung == 2:
        return _WORD.sub(lambda m: m.group(0)[0], text)
    return ""
