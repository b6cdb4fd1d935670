"""Voice uploads that are small on the wire and huge once decoded: each is refused from its header,
before decoding, and no upload costs a web process more than 100 MB."""

import io
import tracemalloc

import numpy as np
import pytest
import soundfile
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.api_helpers import assert_error
from tts_app.models import Voice
from tts_app.voices import voice_upload

MB = 1024 * 1024


def encoded(samples: np.ndarray, rate: int, fmt: str, subtype: str) -> bytes:
    buf = io.BytesIO()
    soundfile.write(buf, samples, rate, format=fmt, subtype=subtype)
    return buf.getvalue()


def speech_like(seconds: float, rate: int, channels: int = 1) -> np.ndarray:
    t = np.arange(int(seconds * rate), dtype=np.float32) / rate
    tone = (0.3 * np.sin(2 * np.pi * (180 + 40 * np.sin(2 * np.pi * 3 * t)) * t)).astype(np.float32)
    return np.repeat(tone[:, None], channels, axis=1) if channels > 1 else tone


@pytest.fixture(scope="module")
def eight_channel_flac() -> bytes:
    """The reported file: 10 minutes of 8-channel, 48 kHz silence, about 237 KB as FLAC."""
    buf = io.BytesIO()
    with soundfile.SoundFile(buf, "w", 48_000, 8, "PCM_16", format="FLAC") as out:
        block = np.zeros((48_000 * 10, 8), dtype=np.int16)
        for _ in range(60):  # written 10 s at a time, so making the bomb costs little memory
            out.write(block)
    data = buf.getvalue()
    assert len(data) < 300 * 1024
    return data


@pytest.fixture(scope="module")
def megahertz_wav() -> bytes:
    """The reported file: 3 MB of WAV at 1,000,003 Hz (1.5 s), which passed every check."""
    return encoded(speech_like(1.5, 1_000_003), 1_000_003, "WAV", "PCM_16")


def peak_bytes(raw: bytes, name: str) -> tuple[int, Exception | None]:
    """Peak memory that Python and numpy allocated while uploading `raw` as a voice (numpy reports
    its arrays to tracemalloc; the old code's 990 MB were numpy arrays)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    error = None
    try:
        voice_upload(upload=SimpleUploadedFile(name, raw))
    except Exception as exc:  # noqa: BLE001 - the error is checked by the caller
        error = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, error


def test_ten_minutes_of_eight_channel_flac_is_refused_from_its_header_within_100_mb(db, eight_channel_flac):
    peak, error = peak_bytes(eight_channel_flac, "bomb.flac")
    assert error is not None and error.code == "bad_audio" and "8 channels" in error.message
    assert peak < 100 * MB, f"{peak / MB:.0f} MB"
    assert not Voice.objects.exists()


def test_a_wav_at_a_million_hertz_is_refused_from_its_header_within_100_mb(db, megahertz_wav):
    peak, error = peak_bytes(megahertz_wav, "bomb.wav")
    assert error is not None and error.code == "bad_audio" and "sample rate" in error.message
    assert peak < 100 * MB, f"{peak / MB:.0f} MB"


def test_the_biggest_ordinary_recording_fits_in_100_mb(db):
    # 30 seconds of stereo at 192 kHz, the most any accepted upload can decode to
    raw = encoded(speech_like(30.0, 192_000, channels=2), 192_000, "FLAC", "PCM_16")
    peak, error = peak_bytes(raw, "studio.flac")
    assert error is None, error
    assert peak < 100 * MB, f"{peak / MB:.0f} MB"
    assert Voice.objects.get().duration == pytest.approx(30.0, abs=0.01)


@pytest.mark.parametrize("channels, rate", [(3, 16_000), (1, 4_000), (1, 384_000)])
def test_odd_channel_counts_and_sample_rates_get_a_clear_400(parent_api, channels, rate):
    api = parent_api  # only a parent adds voices
    samples = speech_like(5.0, rate, channels)
    upload = SimpleUploadedFile("odd.wav", encoded(samples, rate, "WAV", "PCM_16"))
    error = assert_error(api.post("/api/tts/voices", {"file": upload}, format="multipart"), 400, "bad_audio")
    assert "channels" in error["message"] or "sample rate" in error["message"]
    assert not Voice.objects.exists()


def test_a_ten_minute_recording_gets_a_clear_400_about_its_length(parent_api):
    api = parent_api  # only a parent adds voices
    mono = encoded(np.zeros(16_000 * 600, dtype=np.int16), 16_000, "FLAC", "PCM_16")
    error = assert_error(api.post("/api/tts/voices", {"file": SimpleUploadedFile("long.flac", mono)},
                                  format="multipart"), 400, "bad_duration")
    assert error["details"]["seconds"] == 600.0
