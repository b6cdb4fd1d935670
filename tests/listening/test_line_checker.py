"""The line checker hears real speech (espeak-ng reading lines) with the real recogniser."""

import numpy as np
import pytest

from sessions_app.listening import AudioRejected, align_words, check_line, decode_attempt, score_words
from sessions_app.listening.align import words_of
from sessions_app.listening.audio import speech_span
from sessions_app.listening.recognise import recognise
from tests.speech import ogg_bytes, padded, speak, wav_bytes, webm_bytes, with_noise

SCENE = [
    "I will not go to the party tonight, whatever my father says.",
    "The lighthouse lamp has not been lit for seven long winters.",
    "Come down from there at once, you foolish boy, before you fall.",
    "But soft, what light through yonder window breaks? It is the east.",
]
LINE = SCENE[0]


def attempt(text, **kw):
    return wav_bytes(padded(speak(text, **kw)))


def test_the_line_said_right_scores_high_and_every_word_is_ok():
    result = check_line(attempt(LINE), LINE, SCENE[1:])
    assert result.score >= 0.8, result
    assert [w.status for w in result.words].count("ok") >= 10


def test_a_different_line_from_the_scene_scores_low():
    result = check_line(attempt(SCENE[2]), LINE, SCENE[1:])
    assert result.score <= 0.4, result


def test_a_dropped_word_is_marked_missed():
    result = check_line(attempt(LINE.replace(" not", "")), LINE, SCENE[1:])
    missed = [w.word for w in result.words if w.status == "missed"]
    assert missed == ["not"], result


def test_a_noisy_reading_at_20_db_still_passes():
    samples = with_noise(padded(speak(LINE, pace=1.2)), 20)
    assert check_line(wav_bytes(samples), LINE, SCENE[1:]).score >= 0.8


def test_alignment_names_changed_missed_and_extra_words():
    words = align_words(words_of("to be or not to be"), words_of("to bee or to be now"))
    assert [(w.word, w.status) for w in words] == [
        ("to", "ok"), ("be", "changed"), ("or", "ok"), ("not", "missed"), ("to", "ok"), ("be", "ok"), ("now", "extra"),
    ]
    assert 0 < score_words(words) < 1


@pytest.mark.parametrize("pack", [wav_bytes, ogg_bytes, webm_bytes], ids=["wav", "ogg", "webm-opus"])
def test_every_browser_format_decodes_to_16_khz_mono_of_the_right_length(pack):
    samples = padded(speak(LINE))
    decoded = decode_attempt(pack(samples))
    assert decoded.dtype == np.float32 and decoded.ndim == 1
    assert abs(decoded.size - samples.size) / 16000 < 0.15


def test_webm_opus_is_heard_as_well_as_wav():
    assert check_line(webm_bytes(padded(speak(LINE))), LINE, SCENE[1:]).score >= 0.8


@pytest.mark.parametrize("data, code", [
    (b"", "audio_empty"),
    (b"hello, this is not audio at all" * 10, "not_audio"),
    (b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk", "bad_audio"),
])
def test_bad_audio_is_refused_before_decoding(data, code):
    with pytest.raises(AudioRejected) as caught:
        decode_attempt(data)
    assert caught.value.code == code


# The natural voices (the default install's) make attempts closer to a teen's voice than espeak-ng.
NATURAL_LINE = SCENE[1]


@pytest.mark.parametrize("voice", ["hibari-heart", "piper-joe-deep"])
def test_a_natural_voice_reading_the_line_in_a_noisy_room_scores_high(voice):
    samples = with_noise(padded(speak(NATURAL_LINE, voice=voice), before=0.5, after=1.2), 20)
    assert check_line(wav_bytes(samples), NATURAL_LINE, [t for t in SCENE if t != NATURAL_LINE]).score >= 0.8


@pytest.mark.parametrize("voice, dropped", [("piper-joe", "not"), ("hibari-heart-low", "seven")])
def test_a_word_a_natural_voice_dropped_is_the_one_marked_missed(voice, dropped):
    said = NATURAL_LINE.replace(f" {dropped}", "")
    samples = with_noise(padded(speak(said, voice=voice), before=0.5, after=1.2), 20)
    result = check_line(wav_bytes(samples), NATURAL_LINE, [t for t in SCENE if t != NATURAL_LINE])
    flagged = [w.word for w in result.words if w.status != "ok"]
    assert flagged == [dropped], (flagged, result.heard)
    assert [w.status for w in result.words if w.word == dropped] == ["missed"]


def test_silence_trimming_keeps_every_word_and_drops_the_long_silence():
    speech = speak(NATURAL_LINE, voice="hibari-heart")
    samples = with_noise(padded(speech, before=1.5, after=2.0), 20, seed=3)
    start, end = speech_span(samples)
    voiced = np.flatnonzero(np.abs(padded(speech, before=1.5, after=2.0)) > 0.02)
    assert start <= voiced[0] and end >= voiced[-1], "a word was cut"
    assert (end - start) / 16000 < samples.size / 16000 - 2.0, "the silence was kept"
    assert words_of(recognise(samples, NATURAL_LINE, SCENE)) == words_of(NATURAL_LINE)


def test_an_attempt_of_only_room_noise_is_left_whole_for_the_recogniser():
    noise = (np.random.default_rng(4).standard_normal(3 * 16000) * 0.01).astype(np.float32)
    assert speech_span(noise) == (0, noise.size)
