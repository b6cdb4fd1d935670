"""One attempt at a line, checked: what was heard, each word's status and a 0..1 score."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .align import WordResult, align_words, score_words, words_of
from .audio import SAMPLE_RATE, decode_attempt
from .recognise import known, recognise


@dataclass(frozen=True)
class LineCheck:
    score: float
    heard: str
    words: list[WordResult]
    duration: float
    samples: np.ndarray  # 16 kHz mono, for keeping the recording


def _credit_unknown(expected: list[str], results: list[WordResult]) -> list[WordResult]:
    """Words the recogniser cannot know (names not in its dictionary) were never in its
    model, so they always come back missed. Give them the benefit of the doubt when the
    words either side of them were heard right; otherwise they stay missed."""
    out = list(results)
    line_positions = [i for i, r in enumerate(out) if r.status != "extra"]
    for n, i in enumerate(line_positions):
        r = out[i]
        if r.status != "missed" or known(r.word):
            continue
        before = out[line_positions[n - 1]].status if n > 0 else "ok"
        after = out[line_positions[n + 1]].status if n + 1 < len(line_positions) else "ok"
        if before == "ok" and after == "ok" and len(line_positions) > 1:
            out[i] = WordResult(r.word, "ok")
    return out


def check_samples(samples: np.ndarray, expected_text: str, context_texts: list[str] = ()) -> LineCheck:
    heard = recognise(samples, expected_text, context_texts)
    expected = words_of(expected_text)
    words = _credit_unknown(expected, align_words(expected, words_of(heard)))
    return LineCheck(score=round(score_words(words), 3), heard=heard, words=words,
                     duration=round(samples.size / SAMPLE_RATE, 2), samples=samples)


def check_line(data: bytes, expected_text: str, context_texts: list[str] = ()) -> LineCheck:
    """Decode a recorded attempt (checked first, AudioRejected if bad) and check it against the line."""
    return check_samples(decode_attempt(data), expected_text, context_texts)
