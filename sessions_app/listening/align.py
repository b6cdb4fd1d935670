"""Comparing the words heard with the words of the line.

A word-level Levenshtein alignment (rapidfuzz, on lists of words) gives the
fewest edits from the line to what was heard; every script word is then ok
(heard), changed (something else was said in its place) or missed, and heard
words with no place in the line are extra. (difflib's longest-block matching
was tried first: it pairs a repeated phrase with the wrong occurrence.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")


def words_of(text: str) -> list[str]:
    """Lower-case words, apostrophes kept inside words ("don't"), curly quotes straightened."""
    return _WORD.findall(text.lower().replace("’", "'").replace("‘", "'"))


@dataclass(frozen=True)
class WordResult:
    word: str
    status: str  # ok | missed | changed | extra


def align_words(expected: list[str], heard: list[str]) -> list[WordResult]:
    out: list[WordResult] = []
    for op, a0, a1, b0, b1 in Levenshtein.opcodes(expected, heard):
        if op == "equal":
            out += [WordResult(w, "ok") for w in expected[a0:a1]]
        elif op == "delete":
            out += [WordResult(w, "missed") for w in expected[a0:a1]]
        elif op == "insert":
            out += [WordResult(w, "extra") for w in heard[b0:b1]]
        else:  # replace: pair words one for one, the rest are missed or extra
            pairs = min(a1 - a0, b1 - b0)
            out += [WordResult(w, "changed") for w in expected[a0:a0 + pairs]]
            out += [WordResult(w, "missed") for w in expected[a0 + pairs:a1]]
            out += [WordResult(w, "extra") for w in heard[b0 + pairs:b1]]
    return out


def score_words(results: list[WordResult]) -> float:
    """Share of the line's words said right, less a little for each extra word."""
    line_words = [r for r in results if r.status != "extra"]
    if not line_words:
        return 0.0
    ok = sum(r.status == "ok" for r in line_words)
    extra = sum(r.status == "extra" for r in results)
    return max(0.0, min(1.0, (ok - 0.5 * extra) / len(line_words)))
