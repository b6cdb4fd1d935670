"""GET and POST /api/tts/voices."""

import io

import numpy as np
import soundfile
from django.core.files.uploadedfile import SimpleUploadedFile

from tts_app.models import Voice

from .api_helpers import assert_error


def wav(seconds: float, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    # A wobbling tone, loud enough to count as speech for the loudness checks.
    samples = 0.3 * np.sin(2 * np.pi * (180 + 40 * np.sin(2 * np.pi * 3 * t)) * t)
    buf = io.BytesIO()
    soundfile.write(buf, samples.astype(np.float32), rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def test_it_lists_at_least_twelve_espeak_voices(api):
    response = api.get("/api/tts/voices")
    assert response.status_code == 200
    espeak = [v for v in response.json() if v["engine"] == "espeak"]
    assert len(espeak) >= 12
    assert all(v["name"] and v["preview_url"].startswith("/api/tts/voices/espeak/") for v in espeak)


def test_it_lists_the_natural_voices_with_ids_no_other_engine_uses(api):
    voices = api.get("/api/tts/voices").json()
    natural = [v for v in voices if v["engine"] == "natural"]
    assert len(natural) >= 6
    assert all(v["name"] and v["description"] and v["preview_url"].startswith("/api/tts/voices/natural/")
               for v in natural)
    ids = [v["id"] for v in voices]
    assert len(ids) == len(set(ids))  # a voice id names one voice of one engine


def test_it_filters_voices_by_engine(api):
    voices = api.get("/api/tts/voices?engine=espeak").json()
    assert voices and {v["engine"] for v in voices} == {"espeak"}


def test_it_refuses_an_unknown_engine_filter(api):
    error = assert_error(api.get("/api/tts/voices?engine=siri"), 400, "unknown_engine")
    assert "espeak" in error["details"]["valid"]


def test_a_teen_cannot_add_a_voice(api):
    upload = SimpleUploadedFile("grandma.wav", wav(5.0), content_type="audio/wav")
    error = assert_error(api.post("/api/tts/voices", {"file": upload}, format="multipart"), 403, "parents_only")
    assert "Ask a parent" in error["message"]
    assert not Voice.objects.exists()


def test_a_parent_adds_a_five_second_reference_clip(parent_api):
    upload = SimpleUploadedFile("grandma.wav", wav(5.0), content_type="audio/wav")
    response = parent_api.post("/api/tts/voices", {"file": upload, "name": "Grandma"}, format="multipart")
    assert response.status_code == 201, response.content
    voice = Voice.objects.get()
    assert voice.name == "Grandma"
    assert 4.9 < voice.duration < 5.1
    assert all(v["id"].endswith(f"-ref-{voice.pk}") for v in response.json())


def test_it_refuses_a_one_second_clip(parent_api):
    upload = SimpleUploadedFile("short.wav", wav(1.0), content_type="audio/wav")
    error = assert_error(parent_api.post("/api/tts/voices", {"file": upload}, format="multipart"), 400, "bad_duration")
    assert "3 to 30 seconds" in error["message"]
    assert not Voice.objects.exists()


def test_it_refuses_a_file_that_is_not_audio(parent_api):
    upload = SimpleUploadedFile("notes.wav", b"these are my notes, not a recording" * 20)
    assert_error(parent_api.post("/api/tts/voices", {"file": upload}, format="multipart"), 400, "bad_audio")


def test_it_refuses_an_upload_without_a_file(parent_api):
    assert_error(parent_api.post("/api/tts/voices", {"name": "x"}, format="multipart"), 400)
