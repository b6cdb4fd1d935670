import numpy as np
import pytest

from tts_app.engines.chunking import crossfade_join, split_text


def test_short_text_is_one_chunk():
    assert split_text("  Hello   there. ") == ["Hello there."]


def test_blank_text_has_no_chunks():
    assert split_text("   \n ") == []


def test_splits_at_sentence_boundaries_and_packs():
    text = "One two three. Four five six! Seven eight nine? Ten."
    chunks = split_text(text, max_chars=30)
    assert chunks == ["One two three. Four five six!", "Seven eight nine? Ten."]
    assert all(len(c) <= 30 for c in chunks)


def test_every_chunk_fits_and_nothing_is_lost():
    sentence = "To be, or not to be, that is the question, whether 'tis nobler in the mind to suffer. "
    text = sentence * 12
    chunks = split_text(text, max_chars=280)
    assert len(chunks) > 1
    assert all(len(c) <= 280 for c in chunks)
    assert " ".join(chunks).split() == text.split()
    # cuts fall at sentence ends
    assert all(c.endswith(".") for c in chunks)


def test_quotes_after_sentence_end_stay_with_sentence():
    chunks = split_text('He said "Go!" Then he left.', max_chars=15)
    assert chunks == ['He said "Go!"', "Then he left."]


def test_overlong_sentence_splits_at_clauses_then_words():
    text = "alpha beta gamma, delta epsilon zeta, eta theta iota kappa lambda mu nu xi omicron pi rho"
    chunks = split_text(text, max_chars=25)
    assert all(len(c) <= 25 for c in chunks)
    assert " ".join(chunks).split() == text.split()
    assert chunks[0] == "alpha beta gamma,"


def test_overlong_word_is_cut_hard():
    chunks = split_text("x" * 70, max_chars=30)
    assert [len(c) for c in chunks] == [30, 30, 10]


def test_max_chars_must_be_positive():
    with pytest.raises(ValueError):
        split_text("hi", max_chars=0)


def test_crossfade_join_length_and_seam():
    sr = 1000
    a = np.ones(200, dtype=np.float32)
    b = np.ones(300, dtype=np.float32)
    out = crossfade_join([a, b], sr, crossfade_ms=20)  # 20 samples overlap
    assert out.dtype == np.float32
    assert len(out) == 200 + 300 - 20
    # equal-power fade of two equal constant signals stays near 1 (max sqrt(2))
    assert np.all(out > 0.99) and np.all(out < 1.42)


def test_crossfade_fades_between_different_signals():
    sr = 1000
    out = crossfade_join([np.ones(100), -np.ones(100)], sr, crossfade_ms=40)
    assert len(out) == 160
    assert out[0] == 1.0 and out[-1] == -1.0
    seam = out[60:100]
    assert np.all(np.diff(seam) < 0)  # monotonic from + to -


def test_crossfade_never_eats_more_than_half_a_short_clip():
    out = crossfade_join([np.ones(10), np.ones(10)], 1000, crossfade_ms=50)
    assert len(out) == 15


def test_crossfade_join_edge_cases():
    assert crossfade_join([], 24000).size == 0
    assert crossfade_join([np.zeros(0), np.zeros(0)], 24000).size == 0
    single = np.arange(5, dtype=np.float32)
    assert np.array_equal(crossfade_join([single], 24000), single)
    assert len(crossfade_join([np.ones(100), np.ones(100)], 24000, crossfade_ms=0)) == 200
