"""The delivery-word lexicon."""

from scripts_app.parsing import EMOTION_LABELS, emotion_for_direction, parse_script
from scripts_app.parsing.emotion import LEXICON


def test_the_lexicon_has_at_least_150_words_all_with_known_labels():
    assert len(LEXICON) >= 150
    for entry in LEXICON.values():
        assert entry["label"] in EMOTION_LABELS
        assert 0 <= entry["intensity"] <= 1
        assert entry["valence"] in {"positive", "neutral", "negative"}


def test_it_maps_the_documented_examples():
    angry = {"label": "angry", "intensity": 0.8, "valence": "negative"}
    assert emotion_for_direction("angrily") == (angry, [])
    assert emotion_for_direction("(softly)")[0] == {"label": "soft", "intensity": 0.4, "valence": "neutral"}
    excited = {"label": "excited", "intensity": 0.7, "valence": "positive"}
    assert emotion_for_direction("excited")[0] == excited
    assert emotion_for_direction("whispering")[0]["label"] == "whisper"
    assert emotion_for_direction("through tears")[0]["label"] == "crying"
    for word, label in [("sarcastically", "sarcastic"), ("furious", "angry"), ("tenderly", "tender"),
                        ("laughing", "laughing"), ("sobbing", "crying"), ("nervously", "nervous"),
                        ("coldly", "cold")]:
        assert emotion_for_direction(word)[0]["label"] == label


def test_modifiers_scale_the_intensity():
    base = emotion_for_direction("angrily")[0]["intensity"]
    assert emotion_for_direction("very angrily")[0]["intensity"] > base
    assert emotion_for_direction("slightly angrily")[0]["intensity"] < base
    sad = emotion_for_direction("sad")[0]["intensity"]
    assert emotion_for_direction("a little sad")[0]["intensity"] < sad


def test_blocking_directions_carry_no_emotion_and_no_unknown_words():
    for text in ["turning", "beat", "pause", "to Juliet", "aside", "Enter", "exit", "crosses to the door",
                 "sits", "rising"]:
        assert emotion_for_direction(text) == (None, []), text


def test_unknown_words_read_as_neutral_and_become_a_warning_with_its_line():
    assert emotion_for_direction("frobnicate") == (None, ["frobnicate"])
    result = parse_script("# Play\n\n**JO:** (frobnicate) Hello.\n")
    speech = result["scenes"][0]["elements"][0]
    assert speech["emotion"] is None and speech["direction"] == "frobnicate"
    assert result["warnings"] == [{"line": 3, "message":
                                   "Unknown delivery word(s) in direction: 'frobnicate' — read as neutral",
                                   "kind": "unknown_delivery", "actionable": False}]


def test_a_speech_takes_its_emotion_from_its_directions():
    result = parse_script("**JO:** (turning, furious) Get out!\n\n**SAM:** (to Jo) Fine.\n")
    first, second = result["scenes"][0]["elements"]
    assert first["emotion"]["label"] == "angry" and first["direction"] == "turning, furious"
    assert second["emotion"] is None and result["warnings"] == []
