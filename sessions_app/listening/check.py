"""One attempt at a line, checked: what was heard, each word's status and a 0..1 score."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..strictness import WORD_PERFECT, counted_words
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


def _align_with_unknown(expected: list[str], heard: list[str]) -> list[WordResult]:
    """Words the recogniser cannot know (names not in its dictionary, like "Maren") are not in
    its model, so it can only ever hear something else in their place. They are left out of
    the alignment and put back after: ok when the words either side were heard right (the
    benefit of the doubt), missed otherwise."""
    known_words = [w for w in expected if known(w)]
    aligned = align_words(known_words, heard)
    out: list[WordResult] = []
    line_slots = iter([i for i, r in enumerate(aligned) if r.status != "extra"])
    # Walk the expected words; copy the aligned results, inserting unknown words in place.
    cursor = 0
    for word in expected:
        if known(word):
            slot = next(line_slots)
            out += aligned[cursor:slot + 1]
            cursor = slot + 1
        else:
            out.append(WordResult(word, "unknown"))
    out += aligned[cursor:]
    line = [i for i, r in enumerate(out) if r.status != "extra"]
    for n, i in enumerate(line):
        if out[i].status != "unknown":
            continue
        before = next((out[j].status for j in reversed(line[:n]) if out[j].status != "unknown"), "ok")
        after = next((out[j].status for j in line[n + 1:] if out[j].status != "unknown"), "ok")
        out[i] = WordResult(out[i].word, "ok" if before == after == "ok" and known_words else "missed")
    return out


def check_samples(samples: np.ndarray, expected_text: str, context_texts: list[str] = (),
                  strictness: str = WORD_PERFECT) -> LineCheck:
    heard = recognise(samples, expected_text, context_texts)
    return _checked(heard, expected_text, samples, strictness)


def check_heard(heard: str, expected_text: str, strictness: str = WORD_PERFECT) -> LineCheck:
    """Mark words already heard (no audio): what the strictness settings are tested with."""
    return _checked(heard, expected_text, np.zeros(0, dtype=np.float32), strictness)


def _checked(heard: str, expected_text: str, samples: np.ndarray, strictness: str) -> LineCheck:
    # The recogniser heard the line as written; only the marking follows the strictness.
    expected = counted_words(words_of(expected_text), strictness)
    words = _align_with_unknown(expected, counted_words(words_of(heard), strictness))
    return LineCheck(score=round(score_words(words), 3), heard=heard, words=words,
                     duration=round(samples.size / SAMPLE_RATE, 2), samples=samples)


def check_line(data: bytes, expected_text: str, context_texts: list[str] = (),
               strictness: str = WORD_PERFECT) -> LineCheck:
    """Decode a recorded attempt (checked first, AudioRejected if bad) and check it against the line."""
    return check_samples(decode_attempt(data), expected_text, context_texts, strictness)
