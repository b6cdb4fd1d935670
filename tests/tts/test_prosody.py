"""One emotion table drives espeak, Chatterbox and IndexTTS2 parameters."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tts_app import prosody
from tts_app.prosody import chatterbox_params, espeak_params, indextts_params, params_for

PARSER_LABELS = (
    "angry", "sad", "happy", "excited", "afraid", "soft", "whisper", "shout", "sarcastic", "tender",
    "surprised", "disgusted", "calm", "nervous", "laughing", "crying", "cold", "urgent", "neutral",
)  # fmt: skip
ENGINES = ("espeak", "chatterbox", "indextts2")
NEUTRAL_ESPEAK = {"rate": 175, "pitch": 50, "range": 50, "volume": 100, "whisper": False}


def cue(label: str, intensity: float = 0.7, valence: str = "neutral") -> dict:
    return {"label": label, "intensity": intensity, "valence": valence}


def test_the_table_has_a_row_for_every_parser_label():
    assert set(PARSER_LABELS) == set(prosody.LABELS)


@pytest.mark.parametrize("label", PARSER_LABELS)
def test_every_label_gives_valid_espeak_params(label):
    p = espeak_params(cue(label))
    assert set(p) == {"rate", "pitch", "range", "volume", "whisper"}
    assert 80 <= p["rate"] <= 450 and 0 <= p["pitch"] <= 100
    assert 0 <= p["range"] <= 100 and 0 <= p["volume"] <= 200
    assert all(isinstance(p[k], int) for k in ("rate", "pitch", "range", "volume"))
    assert p["whisper"] is (label == "whisper")
    if label != "neutral":
        assert p != NEUTRAL_ESPEAK


@pytest.mark.parametrize("label", PARSER_LABELS)
def test_every_label_gives_valid_chatterbox_params(label):
    p = chatterbox_params(cue(label))
    assert set(p) == {"exaggeration", "cfg_weight", "temperature"}
    assert 0.25 <= p["exaggeration"] <= 2.0
    assert 0.3 <= p["cfg_weight"] <= 0.5
    assert 0.6 <= p["temperature"] <= 1.0


@pytest.mark.parametrize("label", PARSER_LABELS)
def test_every_label_gives_a_valid_indextts_vector(label):
    p = indextts_params(cue(label, intensity=1.0))
    assert set(p) == {"emo_vector", "emo_alpha"}
    assert len(p["emo_vector"]) == 8
    assert all(isinstance(v, float) and v >= 0 for v in p["emo_vector"])
    assert sum(p["emo_vector"]) <= 0.8 + 1e-9
    assert 0.0 <= p["emo_alpha"] <= 1.0
    if label == "neutral":
        assert p == {"emo_vector": [0.0] * 8, "emo_alpha": 0.0}
    else:
        assert sum(p["emo_vector"]) > 0 and p["emo_alpha"] > 0


@pytest.mark.parametrize("intensity", [0.0, 0.3, 1.0, 5.0, -1.0, None, "very"])
@pytest.mark.parametrize("label", PARSER_LABELS + ("made-up",))
def test_cfg_weight_is_never_zero(label, intensity):
    for flat in (False, True):
        assert chatterbox_params({"label": label, "intensity": intensity}, flat=flat)["cfg_weight"] >= 0.3


def test_the_indextts_vector_follows_its_emotion_order():
    assert prosody.INDEXTTS_EMOTIONS == (
        "happy", "angry", "sad", "afraid", "disgusted", "melancholic", "surprised", "calm",
    )  # fmt: skip
    angry = indextts_params(cue("angry", 1.0))["emo_vector"]
    assert angry.index(max(angry)) == 1
    calm = indextts_params(cue("calm", 1.0))["emo_vector"]
    assert calm.index(max(calm)) == 7


def test_the_indextts_vector_is_normalised_like_its_own_ui():
    # bias first, then the sum is capped at 0.8
    assert prosody.normalize_emo_vector([0, 0, 0.5, 0, 0, 0, 0, 0]) == [0, 0, 0.5, 0, 0, 0, 0, 0]
    capped = prosody.normalize_emo_vector([1.0] * 8)
    assert sum(capped) <= 0.8 and sum(capped) > 0.79
    assert capped[2] > capped[7]  # calm is damped most
    with pytest.raises(ValueError):
        prosody.normalize_emo_vector([1.0] * 7)


@pytest.mark.parametrize("label", PARSER_LABELS)
def test_flat_mode_gives_neutral_parameters_for_every_label(label):
    for engine in ENGINES:
        assert params_for(engine, cue(label, 1.0), flat=True) == params_for(engine, None)
    assert espeak_params(cue(label, 1.0), flat=True) == NEUTRAL_ESPEAK
    assert chatterbox_params(cue(label, 1.0), flat=True) == prosody.CHATTERBOX_NEUTRAL
    assert prosody.loudness_offset_db(cue(label, 1.0), flat=True) == 0.0


def test_no_emotion_means_neutral():
    assert espeak_params(None) == NEUTRAL_ESPEAK
    assert chatterbox_params(None) == {"exaggeration": 0.5, "cfg_weight": 0.5, "temperature": 0.8}
    assert indextts_params(None) == {"emo_vector": [0.0] * 8, "emo_alpha": 0.0}


def test_angry_is_faster_louder_and_wider_than_neutral():
    p = espeak_params(cue("angry"))
    assert p["rate"] > 175 and p["volume"] > 100 and p["range"] > 50
    assert chatterbox_params(cue("angry"))["exaggeration"] > 0.5


def test_soft_and_sad_are_slower_quieter_and_lower():
    for label in ("soft", "sad"):
        p = espeak_params(cue(label))
        assert p["rate"] < 175 and p["volume"] < 100 and p["pitch"] < 50, label


def test_excited_and_happy_are_faster_higher_and_wider():
    for label in ("excited", "happy"):
        p = espeak_params(cue(label))
        assert p["rate"] > 175 and p["pitch"] > 50 and p["range"] > 50, label


def test_whispering_asks_for_the_whisper_variant():
    assert espeak_params(cue("whisper", 0.1))["whisper"] is True
    assert espeak_params(cue("soft", 1.0))["whisper"] is False


@pytest.mark.parametrize("label", [label for label in PARSER_LABELS if label != "neutral"])
def test_intensity_scales_the_deviation_from_neutral(label):
    def espeak_distance(intensity):
        p = espeak_params(cue(label, intensity))
        return sum(abs(p[k] - NEUTRAL_ESPEAK[k]) for k in ("rate", "pitch", "range", "volume"))

    def chatterbox_distance(intensity):
        p = chatterbox_params(cue(label, intensity))
        return sum(abs(p[k] - prosody.CHATTERBOX_NEUTRAL[k]) for k in p)

    assert espeak_distance(1.0) > espeak_distance(0.2) > 0
    assert chatterbox_distance(1.0) > chatterbox_distance(0.2) > 0
    assert indextts_params(cue(label, 1.0))["emo_alpha"] > indextts_params(cue(label, 0.2))["emo_alpha"]


def test_unknown_labels_lean_on_their_valence():
    positive = espeak_params(cue("smug", 0.8, "positive"))
    negative = espeak_params(cue("smug", 0.8, "negative"))
    assert positive["pitch"] > 50 and positive["rate"] > 175
    assert negative["rate"] < 175
    assert espeak_params(cue("smug", 0.8, "neutral")) == NEUTRAL_ESPEAK
    # at most half as far from neutral as a known label
    happy = espeak_params(cue("happy", 0.8))
    assert abs(positive["pitch"] - 50) < abs(happy["pitch"] - 50)


def test_the_direction_text_is_used_when_the_label_is_missing_or_unknown():
    assert espeak_params(None, direction="(whispering to Juliet)")["whisper"] is True
    assert espeak_params(cue("smug"), direction="furiously, snapping")["volume"] > 100
    # a known label wins over the direction text
    assert espeak_params(cue("happy"), direction="whispering")["whisper"] is False
    assert espeak_params(None, direction="(crosses to the window)") == NEUTRAL_ESPEAK


def test_emotions_can_be_objects_and_bad_intensities_do_not_crash():
    as_object = SimpleNamespace(label="Angry", intensity=0.7, valence="negative")
    assert espeak_params(as_object) == espeak_params(cue("angry", 0.7))
    default = espeak_params(cue("angry", prosody.DEFAULT_INTENSITY))
    assert espeak_params({"label": "angry"}) == default
    assert espeak_params({"label": "angry", "intensity": "loud"}) == default
    assert espeak_params(cue("angry", 9.0)) == espeak_params(cue("angry", 1.0))


def test_params_for_dispatches_by_engine_name():
    e = cue("excited", 0.6)
    assert params_for("espeak", e) == espeak_params(e)
    assert params_for("chatterbox", e) == chatterbox_params(e)
    assert params_for("indextts2", e) == indextts_params(e)
    assert params_for("espeak", e, flat=True) == NEUTRAL_ESPEAK
    assert params_for("no-such-engine", e) == {}


def test_loudness_offsets_keep_whispers_quieter_than_shouts():
    whisper = prosody.loudness_offset_db(cue("whisper", 0.7))
    shout = prosody.loudness_offset_db(cue("shout", 0.7))
    assert whisper < 0 < shout
    assert prosody.loudness_offset_db(None) == 0.0
