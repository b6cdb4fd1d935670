"""Real speech for listen-mode tests and the benchmark: a voice reading a line (an espeak-ng
voice, or one of the natural voices such as "hibari-heart" or "piper-joe-deep"), at 16 kHz
mono, packed the way browsers send it (WAV, WebM/Opus, Ogg)."""

from __future__ import annotations

import io

import numpy as np
import soundfile
from scipy.signal import resample_poly

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
    clip = engine.synthesize([SynthesisRequest(text=text, voice_id=voice, params=params)])[0]
    g = np.gcd(clip.sample_rate, rate)
    return resample_poly(clip.samples, rate // g, clip.sample_rate // g).astype(np.float32)


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


def mp4_bytes(samples: np.ndarray, rate: int = 16000) -> bytes:
    """MP4 with AAC at 44.1 kHz, as Safari's MediaRecorder makes it (iOS before 18.4 records nothing else)."""
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        stream = container.add_stream("aac", rate=44100)
        stream.layout = "mono"
        g = np.gcd(rate, 44100)
        pcm = resample_poly(samples, 44100 // g, rate // g).astype(np.float32)
        frame = av.AudioFrame.from_ndarray(pcm[None, :], format="fltp", layout="mono")
        frame.sample_rate = 44100
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def webm_bytes(samples: np.ndarray, rate: int = 16000) -> bytes:
    """WebM with Opus at 48 kHz, as Chrome's MediaRecorder makes it."""
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="webm") as container:
        stream = container.add_stream("libopus", rate=48000)
        stream.layout = "mono"
        g = np.gcd(rate, 48000)
        pcm = resample_poly(samples, 48000 // g, rate // g).astype(np.float32)
        frame = av.AudioFrame.from_ndarray(pcm[None, :], format="flt", layout="mono")
        frame.sample_rate = 48000
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()
