"""Reading an attempt as browsers record it: WAV, Ogg (Vorbis/Opus), WebM/Opus, or MP4/AAC
(Safari on iPhones and iPads before iOS 18.4 records only MP4).

Everything is checked from the header before any decoding (what it claims to
be, its rate, channels and length), and decoding itself is bounded: WebM from
MediaRecorder carries no duration, so the decoder stops as soon as it has more
than the limit.
"""

from __future__ import annotations

import io

import numpy as np
import soundfile
from scipy.signal import resample_poly

from runthru_site.errors import UserError

SAMPLE_RATE = 16000  # what the recogniser's model was trained on
MAX_ATTEMPT_SECONDS = 60.0
MIN_ATTEMPT_SECONDS = 0.2
# Browsers send WebM/Opus or Ogg, about 0.3 MB for 60 s; a WAV of one line (10 s at
# 48 kHz) is about 1 MB. Below the 2 MB request limit, so this check answers first.
MAX_ATTEMPT_BYTES = 1536 * 1024
RATE_RANGE = (8000, 96000)
MAX_CHANNELS = 2

_WEBM_MAGIC = b"\x1a\x45\xdf\xa3"


class AudioRejected(UserError):
    code = "bad_audio"


def sniff(data: bytes) -> str | None:
    """The container from the first bytes: 'wav', 'ogg', 'webm', 'mp4' or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[:4] == b"OggS":
        return "ogg"
    if data[:4] == _WEBM_MAGIC:
        return "webm"
    if data[4:8] == b"ftyp":
        return "mp4"
    return None


def _check_shape(rate: int, channels: int, seconds: float | None, max_seconds: float) -> None:
    if not RATE_RANGE[0] <= rate <= RATE_RANGE[1]:
        raise AudioRejected(f"That recording has an unusual sample rate ({rate} Hz). Try recording again.",
                            code="bad_audio_format")
    if not 1 <= channels <= MAX_CHANNELS:
        raise AudioRejected(f"That recording has {channels} channels; we need mono or stereo.",
                            code="bad_audio_format")
    if seconds is not None:
        _check_length(seconds, max_seconds)


def _in_words(seconds: float) -> str:
    return f"{seconds:.0f} seconds" if seconds <= 90 else f"{seconds / 60:g} minutes"


def _check_length(seconds: float, max_seconds: float) -> None:
    if seconds > max_seconds:
        raise AudioRejected(f"That recording is longer than {_in_words(max_seconds)}. "
                            "Say one line at a time.", code="audio_too_long", details={"max_seconds": max_seconds})
    if seconds < MIN_ATTEMPT_SECONDS:
        raise AudioRejected("That recording is empty. Check your microphone and try again.", code="audio_empty")


def _to_mono(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    if samples.ndim == 2:
        samples = samples.mean(axis=1)
    samples = samples.astype(np.float32)
    if rate != target:
        g = np.gcd(rate, target)
        samples = resample_poly(samples, target // g, rate // g).astype(np.float32)
    return samples


def _read_soundfile(data: bytes, target: int, max_seconds: float) -> np.ndarray:
    try:
        info = soundfile.info(io.BytesIO(data))
    except (RuntimeError, soundfile.LibsndfileError):
        raise AudioRejected("We couldn't read that recording. Try recording again.") from None
    _check_shape(info.samplerate, info.channels, info.frames / info.samplerate if info.samplerate else 0.0,
                 max_seconds)
    try:
        samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True,
                                       frames=int(max_seconds * info.samplerate) + 1)
    except (RuntimeError, soundfile.LibsndfileError):
        raise AudioRejected("We couldn't read that recording. Try recording again.") from None
    return _to_mono(samples, rate, target)


def _read_with_ffmpeg(data: bytes, target: int, container_format: str, max_seconds: float) -> np.ndarray:
    # PyAV: the maintained FFmpeg binding, whose wheels bundle the Opus, Vorbis and AAC
    # decoders; libsndfile reads neither WebM (Matroska) nor MP4.
    import av

    try:
        with av.open(io.BytesIO(data), format=container_format, mode="r") as container:
            if not container.streams.audio:
                raise AudioRejected("That recording has no sound in it.", code="bad_audio")
            stream = container.streams.audio[0]
            if stream.codec_context is None:  # a damaged header names no decoder
                raise AudioRejected("We couldn't read that recording. Try recording again.")
            _check_shape(stream.codec_context.sample_rate or target, stream.codec_context.channels or 1, None,
                         max_seconds)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=target)
            chunks, total, limit = [], 0, int(max_seconds * target)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += chunk.size
                if total > limit:
                    _check_length(total / target, max_seconds)
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except (av.FFmpegError, UnicodeDecodeError, ValueError, OverflowError):
        # A damaged file's tags reach PyAV as text it cannot decode (an encoder tag that is not
        # UTF-8 was a 500), and odd sizes as ValueError: all of it is a recording we cannot read.
        raise AudioRejected("We couldn't read that recording. Try recording again.") from None
    return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)


def decode_attempt(data: bytes, rate: int = SAMPLE_RATE, max_seconds: float = MAX_ATTEMPT_SECONDS) -> np.ndarray:
    """Mono float32 samples of a recording at `rate` (16 kHz, the recogniser's, unless a
    caller keeps the sound itself, like a parent's recorded line), at most `max_seconds`
    long, or AudioRejected."""
    if not data:
        raise AudioRejected("That recording is empty. Check your microphone and try again.", code="audio_empty")
    if len(data) > MAX_ATTEMPT_BYTES:
        raise AudioRejected("That recording is too big. Say one line at a time.", code="audio_too_big")
    kind = sniff(data)
    if kind is None:
        raise AudioRejected("That isn't a recording we can read (we take WAV, WebM, Ogg or MP4).", code="not_audio")
    if kind in ("webm", "mp4"):
        samples = _read_with_ffmpeg(data, rate, "webm" if kind == "webm" else "mp4", max_seconds)
    else:
        samples = _read_soundfile(data, rate, max_seconds)
    _check_length(samples.size / rate, max_seconds)
    if not np.isfinite(samples).all():
        raise AudioRejected("We couldn't read that recording. Try recording again.")
    return samples


# Silence trimming: the page sends from when it starts listening until after the teen
# stops, so a 5 s attempt is often a second or more of room noise, and the recogniser's
# time grows with every frame it hears.
_FRAME = SAMPLE_RATE // 100  # 10 ms, the recogniser's frame step
# Kept either side of the speech: with 0.25 s, soft first and last sounds (f, s, h) were cut
# and a few more dropped words went unfound (bench/listen.py); 0.6 s found as many as no
# trimming (within one attempt in 108) and still takes about 20% off a 5 s attempt.
TRIM_MARGIN_S = 0.6
_MIN_RUN = 5  # frames in a row above the threshold before it counts as speech (a click is not)


def speech_span(samples: np.ndarray) -> tuple[int, int]:
    """(start, end) sample indices of the speech in an attempt, with a margin either side; the
    whole attempt when no part of it stands out from its quietest tenth (all speech, or all noise)."""
    n = samples.size // _FRAME
    if n < 3 * _MIN_RUN:
        return 0, samples.size
    frames = samples[: n * _FRAME].astype(np.float64).reshape(n, _FRAME)
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-10)
    floor, peak = np.percentile(level, 10), np.percentile(level, 99)
    if peak - floor < 10:  # no clear speech over the noise: leave it all to the recogniser
        return 0, samples.size
    # A third of the way from the noise floor to the loud speech, and at least 6 dB over the floor.
    loud = level > floor + max(6.0, (peak - floor) / 3)
    runs = np.convolve(loud, np.ones(_MIN_RUN), mode="valid") >= _MIN_RUN
    hits = np.flatnonzero(runs)
    if hits.size == 0:
        return 0, samples.size
    margin = int(TRIM_MARGIN_S * SAMPLE_RATE)
    start = max(0, hits[0] * _FRAME - margin)
    end = min(samples.size, (hits[-1] + _MIN_RUN) * _FRAME + margin)
    return int(start), int(end)


def trim_silence(samples: np.ndarray) -> np.ndarray:
    start, end = speech_span(samples)
    return samples[start:end]
