"""Speech on request (/api/tts/synthesize) cannot fill the disk or hog the engine: the text is
capped, each device is rate-limited, and its clips live apart from the scripts' clips in a store
of bounded size that forgets the least recently heard first."""

import io
import time

import pytest
import soundfile

from tts_app import cache

from .api_helpers import assert_error, make_client


@pytest.fixture(autouse=True)
def empty_adhoc_store(settings, tmp_path):
    settings.RUNTHRU_ADHOC_AUDIO_DIR = tmp_path


def speak(api, text="Shut the door before the wind takes the maps."):
    return api.post("/api/tts/synthesize", {"text": text, "engine": "espeak", "voice_id": "en-us-f2"}, format="json")


def script_cache_files() -> list:
    return sorted(p for p in cache.audio_root().rglob("*.*") if not p.name.startswith(".tmp-"))


def adhoc_files() -> dict:
    from django.conf import settings

    return {p.name: p.stat().st_size for p in settings.RUNTHRU_ADHOC_AUDIO_DIR.glob("*.mp3")}


def test_ad_hoc_text_is_capped_at_500_characters(api):
    assert speak(api, "la " * 166).status_code == 200
    error = assert_error(speak(api, "la " * 167 + "la"), 400)
    assert "500" in error["message"]


def test_a_device_asking_for_speech_too_fast_gets_a_429_and_other_devices_carry_on(api, pin):
    answers = [speak(api).status_code for _ in range(21)]
    assert answers[:20] == [200] * 20
    error = assert_error(speak(api), 429)
    assert error["message"]
    other = make_client()
    token = other.post("/api/auth/verify", {"pin": pin}, format="json").json()["token"]
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert speak(other).status_code == 200


def test_ad_hoc_clips_stay_out_of_the_script_cache_and_within_their_size(api, settings):
    before = script_cache_files()
    first = speak(api, "The first thing I say.")
    assert first.status_code == 200
    one_clip = len(first.content)
    settings.RUNTHRU_ADHOC_AUDIO_BYTES = int(one_clip * 3.5)
    for n in range(2, 8):
        time.sleep(0.02)  # distinct last-heard times
        assert speak(api, f"Thing number {n} that I say.").status_code == 200
    assert script_cache_files() == before
    sizes = adhoc_files()
    assert 2 <= len(sizes) <= 4 and sum(sizes.values()) <= settings.RUNTHRU_ADHOC_AUDIO_BYTES


def test_the_least_recently_heard_clip_is_forgotten_first(api, settings):
    speak(api, "Keep me, I am heard often.")
    settings.RUNTHRU_ADHOC_AUDIO_BYTES = 10 ** 9
    keep = speak(api, "Keep me, I am heard often.")
    forget = speak(api, "Forget me, I was heard once.")
    time.sleep(0.02)
    again = speak(api, "Keep me, I am heard often.")  # heard again: now the most recent
    assert again.content == keep.content
    settings.RUNTHRU_ADHOC_AUDIO_BYTES = sum(adhoc_files().values()) - 1
    time.sleep(0.02)
    newest = speak(api, "Hi.")  # shorter than the clip it pushes out
    data, rate = soundfile.read(io.BytesIO(newest.content))
    assert len(data) / rate > 0.2
    keys = {name.split("-")[0] for name in adhoc_files()}
    assert keys == {keep["ETag"].strip('"'), newest["ETag"].strip('"')}
    assert forget["ETag"].strip('"') not in keys
