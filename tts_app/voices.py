"""Uploaded reference voices: checked, resampled, loudness-normalised, stored under data/voices/."""

from __future__ import annotations

import hashlib
import io
from math import gcd
from pathlib import Path

import numpy as np
import pyloudnorm
import soundfile
from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from scipy.signal import resample_poly

from runthru_site.errors import UserError

from .cache import write_file_atomic
from .models import Voice

VOICE_SAMPLE_RATE = 24000
MIN_SECONDS, MAX_SECONDS = 3.0, 30.0
VOICE_LUFS = -20.0


MIN_RATE, MAX_RATE = 8_000, 192_000  # telephone quality to studio quality
MAX_CHANNELS = 2  # a voice is recorded in mono or stereo
_BLOCK_FRAMES = 65_536  # decoded a block at a time and mixed to mono, so several channels never sit in memory
_NOT_AUDIO = "We couldn't play that file. Upload a voice recording as WAV, FLAC, OGG or MP3."


def _check_header(raw: bytes) -> soundfile._SoundFileInfo:
    """What the file says it holds, refused before decoding when it can't be a short voice clip.

    Decoding first let a 237 KB FLAC (10 minutes of 8-channel silence) take 990 MB, and a WAV
    at 1,000,003 Hz take 909 MB in the resampler.
    """
    try:
        info = soundfile.info(io.BytesIO(raw))
    except Exception:  # soundfile raises several types for "not audio"
        raise UserError(_NOT_AUDIO, code="bad_audio") from None
    if not 1 <= info.channels <= MAX_CHANNELS:
        raise UserError(
            f"That recording has {info.channels} channels. Record the voice in mono or stereo and try again.",
            code="bad_audio", details={"channels": info.channels},
        )
    if not MIN_RATE <= info.samplerate <= MAX_RATE:
        raise UserError(
            "That recording has an unusual sample rate. Save it as an ordinary WAV, FLAC, OGG or MP3 "
            "(for example 44,100 or 48,000 Hz) and try again.",
            code="bad_audio", details={"sample_rate": info.samplerate},
        )
    _check_seconds(info.frames / info.samplerate)
    return info


def _check_seconds(seconds: float) -> None:
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise UserError(
            f"Voice clips must be 3 to 30 seconds long. This one is {seconds:.1f} seconds.",
            code="bad_duration", details={"seconds": round(seconds, 2)},
        )


def _decode(raw: bytes, rate: int) -> np.ndarray:
    """Mono samples, at most MAX_SECONDS of them: a header may claim fewer frames than the file holds."""
    cap = int(MAX_SECONDS * rate) + 1
    out = np.empty(cap, dtype=np.float32)
    n = 0
    try:
        with soundfile.SoundFile(io.BytesIO(raw)) as f:
            for block in f.blocks(blocksize=_BLOCK_FRAMES, dtype="float32", always_2d=True, frames=cap):
                out[n:n + len(block)] = block.mean(axis=1)
                n += len(block)
    except Exception:
        raise UserError(_NOT_AUDIO, code="bad_audio") from None
    if n == cap:
        raise UserError("Voice clips must be 3 to 30 seconds long. This one is longer than 30 seconds.",
                        code="bad_duration", details={"seconds": round(n / rate, 2)})
    return out[:n]


def _prepare(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate != VOICE_SAMPLE_RATE:
        g = gcd(rate, VOICE_SAMPLE_RATE)
        samples = resample_poly(samples, VOICE_SAMPLE_RATE // g, rate // g).astype(np.float32)
    loudness = pyloudnorm.Meter(VOICE_SAMPLE_RATE).integrated_loudness(samples)
    if np.isfinite(loudness):
        samples = pyloudnorm.normalize.loudness(samples, loudness, VOICE_LUFS)
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if peak > 0.95:
        samples = samples * (0.95 / peak)
    return samples.astype(np.float32)


def voice_upload(*, upload, name: str | None = None, description: str = "") -> Voice:
    raw = upload.read()
    rate = _check_header(raw).samplerate
    samples = _decode(raw, rate)
    if not np.all(np.isfinite(samples)) or len(samples) == 0:
        raise UserError("That recording is empty or damaged. Try recording it again.", code="bad_audio")
    seconds = len(samples) / rate
    _check_seconds(seconds)
    if float(np.sqrt(np.mean(samples**2))) < 1e-3:
        raise UserError("That recording is silent. Record someone speaking and try again.", code="silent_audio")
    prepared = _prepare(samples, rate)
    buf = io.BytesIO()
    soundfile.write(buf, prepared, VOICE_SAMPLE_RATE, subtype="PCM_16", format="WAV")
    data = buf.getvalue()
    display = (name or Path(upload.name or "voice").stem).strip()[:80] or "Voice"
    base = slugify(display)[:40] or "voice"
    sha = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        slug, n = base, 1
        while Voice.objects.filter(pk=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        relative = f"{slug}.wav"
        write_file_atomic(Path(settings.RUNTHRU_VOICES_DIR) / relative, data)
        return Voice.objects.create(
            id=slug, name=display, description=description, path=relative, sha256=sha, duration=seconds
        )


def voice_delete(*, voice: Voice) -> None:
    path = Path(settings.RUNTHRU_VOICES_DIR) / voice.path
    voice.delete()
    path.unlink(missing_ok=True)

