"""Real speech for listen-mode tests and the benchmark: a voice reading a line (an espeak-ng
voice, or one of the natural voices such as "hibari-heart" or "piper-joe-deep"), at 16 kHz
mono, packed the way browsers send it (WAV, WebM/Opus, Ogg)."""

from __future__ import annotations

import io
from contextlib import contextmanager

import numpy as np
import soundfile
from scipy.signal import resample_poly

from tts_app.engines import natural
from tts_app.engines.base import SynthesisRequest
from tts_app.engines.espeak import NEUTRAL_PARAMS, EspeakEngine
from tts_app.engines.natural import NaturalEngine

_ESPEAK = EspeakEngine()
_NATURAL = NaturalEngine()


def engine_for(voice: str):
    return _NATURAL if _NATURAL.owns_voice(voice) else _ESPEAK


def speak(text: str, voice: str = "en-us-f2", pace: float = 1.0, rate: int = 16000) -> np.ndarray:
    """float32 mono samples of `text` read by `voice` at `pace` × its normal speed."""
    engine = engine_for(voice)
    params = {"pace": pace} if engine is _NATURAL else {"rate": int(round(NEUTRAL_PARAMS["rate"] * pace))}
    with _steady_piper():
        clip = engine.synthesize([SynthesisRequest(text=text, voice_id=voice, params=params)])[0]
    g = np.gcd(clip.sample_rate, rate)
    return resample_poly(clip.samples, rate // g, clip.sample_rate // g).astype(np.float32)


@contextmanager
def _steady_piper():
    """Piper samples its timing and tone afresh on every take, and about one take in three of
    the same words is heard differently by the recogniser: a test built on such a take passes
    or fails by chance. Its noise off, piper reads a line the same way every run (hibari
    already does, from a fixed seed), so a test's input is fixed like any other fixture."""
    speaker = natural._SPEAKERS["joe"]
    if speaker.missing():
        yield
        return
    config = speaker.model().config
    before = config.noise_scale, config.noise_w_scale
    config.noise_scale = config.noise_w_scale = 0.0
    try:
        yield
    finally:
        config.noise_scale, config.noise_w_scale = before


def with_noise(samples: np.ndarray, snr_db: float, seed: int = 0) -> np.ndarray:
    """White noise added at a signal-to-noise ratio (speech power over the voiced part)."""
    rng = np.random.default_rng(seed)
    voiced = samples[np.abs(samples) > 0.01]
    power = float(np.mean(voiced**2)) if voiced.size else 1e-6
    noise = rng.standard_normal(samples.size).astype(np.float32) * np.sqrt(power / 10 ** (snr_db / 10))
    return samples + noise


def padded(samples: np.ndarray, before: float = 0.3, after: float = 0.3, rate: int = 16000) -> np.ndarray:
    return np.concatenate([np.zeros(int(before * rate), np.float32), samples, np.zeros(int(after * rate), np.float32)])


def wav_bytes(samples: np.ndarray, rate: int = 16000, channels: int = 1) -> bytes:
    data = np.repeat(samples[:, None], channels, axis=1) if channels > 1 else samples
    buffer = io.BytesIO()
    soundfile.write(buffer, data, rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def ogg_bytes(samples: np.ndarray, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format="OGG", subtype="VORBIS")
    return buffer.getvalue()


def _encoded(samples: np.ndarray, rate: int, *, container: str, codec: str, codec_rate: int,
             sample_format: str) -> bytes:
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as out:
        stream = out.add_stream(codec, rate=codec_rate)
        stream.layout = "mono"
        g = np.gcd(rate, codec_rate)
        pcm = resample_poly(samples, codec_rate // g, rate // g).astype(np.float32)
        frame = av.AudioFrame.from_ndarray(pcm[None, :], format=sample_format, layout="mono")
        frame.sample_rate = codec_rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def mp4_bytes(samples: np.ndarray, rate: int = 16000) -> bytes:
    """MP4 with AAC at 44.1 kHz, as Safari's MediaRecorder makes it (iOS before 18.4 records nothing else)."""
    return _encoded(samples, rate, container="mp4", codec="aac", codec_rate=44100, sample_format="fltp")


def webm_bytes(samples: np.ndarray, rate: int = 16000) -> bytes:
    """WebM with Opus at 48 kHz, as Chrome's MediaRecorder makes it."""
    return _encoded(samples, rate, container="webm", codec="libopus", codec_rate=48000, sample_format="flt")


def mp4_with_an_odd_encoder_tag() -> bytes:
    """An MP4 whose encoder tag is not UTF-8, as some phones' files are after a bad copy (a 500 once)."""
    good = mp4_bytes(np.zeros(16000, np.float32))
    at = good.find(b"Lavf")
    return good[:at] + b"\xff\xfe\xfd\xfc" + good[at + 4:]


def silence_wav(seconds: float, rate: int = 8000) -> bytes:
    return wav_bytes(np.zeros(int(seconds * rate), np.float32), rate=rate)


def wav_of_shape(rate: int, channels: int) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, np.zeros((rate // 2, channels), np.float32), rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def bad_recordings(max_seconds: float = 60) -> list:
    """Uploads every recording endpoint must answer with a clear 400: (bytes, error code), with ids.
    `max_seconds`: the endpoint's longest recording (a WAV one second over it, or for limits too
    long for a small WAV, WebM: its length is only known by decoding)."""
    import pytest

    too_long = (silence_wav(max_seconds + 1) if max_seconds <= 60
                else webm_bytes(np.zeros(int((max_seconds + 1) * 16000), np.float32)))
    return [
        pytest.param(b"", "audio_empty", id="empty"),
        pytest.param(b"<html>not a recording</html>" * 20, "not_audio", id="not-audio"),
        pytest.param(b"RIFF\x24\x00\x00\x00WAVEfmt garbage here", "bad_audio", id="broken-wav"),
        pytest.param(b"\x1a\x45\xdf\xa3 not really a webm file at all", "bad_audio", id="broken-webm"),
        pytest.param(b"\x00\x00\x00\x18ftypmp42 not really an mp4 file", "bad_audio", id="broken-mp4"),
        pytest.param(mp4_with_an_odd_encoder_tag(), "bad_audio", id="mp4-tag-not-utf-8"),
        pytest.param(too_long, "audio_too_long", id=f"over-{max_seconds:g}-s"),
        pytest.param(b"RIFF" + b"\x00" * (1600 * 1024), "audio_too_big", id="too-big"),
        pytest.param(wav_of_shape(4000, 1), "bad_audio_format", id="odd-rate"),
        pytest.param(wav_of_shape(16000, 3), "bad_audio_format", id="three-channels"),
        pytest.param(silence_wav(0.05, 16000), "audio_empty", id="too-short"),
    ]
