"""Strictness: word-perfect counts every word as written; close forgives contractions and
filler; gist counts the meaning words in order."""

import pytest

from sessions_app.listening import check_heard
from sessions_app.strictness import CLOSE, GIST, WORD_PERFECT, counted_words

LINE = "I am not going to the party tonight."


def score(heard: str, strictness: str, line: str = LINE) -> float:
    return check_heard(heard, line, strictness).score


def test_word_perfect_marks_a_dropped_the_and_close_does_too():
    heard = "i am not going to party tonight"
    assert score(heard, WORD_PERFECT) < 1.0
    assert score(heard, CLOSE) < 1.0
    missed = [w.word for w in check_heard(heard, LINE, WORD_PERFECT).words if w.status == "missed"]
    assert missed == ["the"]


@pytest.mark.parametrize("heard", ["i'm not going to the party tonight", "um i am not going to the uh party tonight"])
def test_close_forgives_contractions_and_filler_that_word_perfect_marks(heard):
    assert score(heard, CLOSE) == 1.0
    assert score(heard, WORD_PERFECT) < 1.0


def test_close_forgives_a_contraction_in_the_script_said_in_full():
    assert score("i will not go", CLOSE, line="I won't go.") == 1.0
    assert score("i will not go", WORD_PERFECT, line="I won't go.") < 1.0


def test_gist_counts_the_meaning_words_in_order():
    assert score("i'm not going to that party tonight", GIST) == 1.0
    assert score("i'm not going to that party tonight", CLOSE) < 1.0
    assert score("i'm going to the party tonight", GIST) < 1.0  # "not" carries the meaning
    assert score("tonight i'm not going to the party", GIST) < 1.0  # out of order


def test_gist_keeps_a_line_made_only_of_small_words():
    assert counted_words(["is", "it", "you"], GIST) == ["is", "it", "you"]
