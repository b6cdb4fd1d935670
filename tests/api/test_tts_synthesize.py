"""POST /api/tts/synthesize and the voice preview."""

import io

import pytest
import soundfile

from tts_app import cache

from .api_helpers import assert_error


def speak(api, accept=None, **fields):
    body = {"text": "Shut the door before the wind takes the maps.", "engine": "espeak", "voice_id": "en-us-f2",
            **fields}
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    return api.post("/api/tts/synthesize", body, format="json", **headers)


def audio_files() -> list:
    return sorted(p for p in cache.audio_root().glob("*/*") if not p.name.startswith(".tmp-"))


def test_it_speaks_a_line_as_mp3_a_sixth_of_the_wav_or_less(api):
    response = speak(api)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    data, rate = soundfile.read(io.BytesIO(response.content))
    assert len(data) / rate > 1.0
    wav = speak(api, accept="audio/wav")
    assert len(response.content) * 6 <= len(wav.content)


def test_it_speaks_a_line_as_wav_when_asked(api):
    response = speak(api, accept="audio/wav")
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert response.content[:4] == b"RIFF"
    data, rate = soundfile.read(io.BytesIO(response.content))
    assert len(data) / rate > 1.0
    assert response["ETag"] != speak(api)["ETag"]  # two representations, two ETags


def test_a_second_request_is_served_from_the_cache(api):
    first = speak(api)
    files = audio_files()
    second = speak(api)
    assert second.status_code == 200
    assert second["ETag"] == first["ETag"]
    assert second.content == first.content
    assert audio_files() == files


def test_a_different_emotion_makes_a_different_clip(api):
    calm = speak(api)
    angry = speak(api, emotion={"label": "angry", "intensity": 0.9, "valence": "negative"})
    assert angry.status_code == 200
    assert angry["ETag"] != calm["ETag"]


def test_it_refuses_an_unknown_voice_and_lists_the_valid_ones(api):
    error = assert_error(speak(api, voice_id="darth"), 400, "unknown_voice")
    assert "en-us-f2" in error["details"]["valid"]


def test_it_refuses_an_unknown_engine_and_lists_the_valid_ones(api):
    error = assert_error(speak(api, engine="siri"), 400, "unknown_engine")
    assert set(error["details"]["valid"]) >= {"espeak", "chatterbox"}


def test_it_refuses_empty_text(api):
    assert_error(speak(api, text="   "), 400)


def test_an_engine_that_cannot_run_here_answers_503_with_a_reason(api):
    error = assert_error(speak(api, engine="chatterbox", voice_id="chatterbox-default"), 503, "engine_unavailable")
    assert "set up" in error["message"].lower()


def test_it_plays_a_voice_preview(api):
    response = api.get("/api/tts/voices/espeak/en-gb-m3/preview")
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"


def test_every_natural_voice_has_a_preview(api):
    for voice in api.get("/api/tts/voices?engine=natural").json():
        response = api.get(voice["preview_url"])
        assert response.status_code == 200, voice["id"]
        data, rate = soundfile.read(io.BytesIO(response.content))
        assert len(data) / rate > 1.5


def test_a_preview_of_an_unknown_voice_is_refused(api):
    assert_error(api.get("/api/tts/voices/espeak/darth/preview"), 400, "unknown_voice")


def test_intensity_and_valence_without_a_label_change_the_delivery(api):
    plain = speak(api).content
    warm = speak(api, emotion={"intensity": 0.7, "valence": "positive"}).content
    cross = speak(api, emotion={"intensity": 0.7, "valence": "negative"}).content
    assert len({plain, warm, cross}) == 3


def test_engine_and_voice_may_be_left_out(api):
    response = api.post("/api/tts/synthesize", {"text": "Shut the door."}, format="json")
    assert response.status_code == 200
    assert response["X-RunThru-Engine"]


def test_index_tts_with_no_family_voice_is_a_clear_400(api, no_family_voices):
    response = api.post("/api/tts/synthesize", {"text": "Hello.", "engine": "index-tts"}, format="json")
    error = assert_error(response, 400, "engine_needs_voice")
    assert error["details"]["engine"] == "indextts2"


@pytest.mark.parametrize("text", ["\u0014\u00bf", "\U0010d5d0\x84\U00013de3", "Þ¹\x05gò𠭅û둼\x19"])
def test_text_with_no_words_to_say_is_a_clear_400_not_a_server_error(api, text):
    response = api.post("/api/tts/synthesize", {"text": text}, format="json")
    error = assert_error(response, 400)
    assert error["code"] in ("empty_text", "unspeakable")


@pytest.mark.parametrize("accept", ["audio/mpeg", "audio/wav"])
def test_errors_are_json_even_when_the_client_asked_for_audio(api, anon, accept):
    assert_error(anon.post("/api/tts/synthesize", {"text": "Hi."}, format="json", HTTP_ACCEPT=accept), 401)
    assert_error(api.get("/api/tts/synthesize", HTTP_ACCEPT=accept), 405)
    assert_error(api.post("/api/tts/synthesize", {"text": ""}, format="json", HTTP_ACCEPT=accept), 400)
