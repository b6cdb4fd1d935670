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


def _decode(raw: bytes) -> tuple[np.ndarray, int]:
    try:
        samples, rate = soundfile.read(io.BytesIO(raw), dtype="float32", always_2d=True)
    except Exception:  # soundfile raises several types for "not audio"
        raise UserError(
            "We couldn't play that file. Upload a voice recording as WAV, FLAC, OGG or MP3.",
            code="bad_audio",
        ) from None
    return samples.mean(axis=1), rate


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
    samples, rate = _decode(raw)
    if not np.all(np.isfinite(samples)) or len(samples) == 0:
        raise UserError("That recording is empty or damaged. Try recording it again.", code="bad_audio")
    seconds = len(samples) / rate
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise UserError(
            f"Voice clips must be 3 to 30 seconds long. This one is {seconds:.1f} seconds.",
            code="bad_duration", details={"seconds": round(seconds, 2)},
        )
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

