"""What happens to every clip after an engine speaks it, and how clips are stored.

postprocess() makes clips from different engines and voices sit together in a
run-through: silence trimmed to a short pad, the same loudness, no clipping.
quality_problem() is a cheap sanity check of a clip against its text, so a
broken synthesis (NaN, silence, a model that babbles for 40 s) is caught and
the line can fall back to another engine.
"""

from __future__ import annotations

import functools
import io
import math
import os
import re

import lameenc
import numpy as np
import pyloudnorm
import soundfile
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import lfilter

from tts_app.engines.base import Clip

# Part of every cache key: bump it whenever postprocess() would give a different result.
# pp2: each line's emotion sets its loudness (a shout louder than a whisper), no longer all -20 LUFS.
# -mp3: clips are stored as MP3 (encode_clip), not WAV.
POSTPROCESS_VERSION = "pp2-mp3"

TARGET_LUFS = -20.0  # integrated loudness every clip is normalised to
PEAK_CEILING_DBFS = -1.0  # nothing leaves postprocess() louder than this
MAX_GAIN_DB = 30.0  # never boost a clip by more than this (noise, near-silence)
TRIM_THRESHOLD_DB = -40.0  # silence = quieter than this, relative to the clip's peak
TRIM_PAD_S = 0.05  # silence kept before and after the speech

_LOUDNESS_BLOCK_S = 0.4  # pyloudnorm's gating block; shorter clips cannot be measured directly

# quality_problem() limits
SILENT_RMS_DBFS = -60.0
FULL_SCALE = 0.999
MAX_CLIPPED_FRACTION = 0.001
WORDS_PER_SECOND = 2.5  # ~150 words per minute
MIN_EXPECTED_S = 0.6


def _as_float32_mono(samples) -> np.ndarray:
    x = np.asarray(samples)
    if x.ndim > 1:  # (frames, channels)
        x = x.reshape(x.shape[0], -1).mean(axis=1)
    if np.issubdtype(x.dtype, np.integer):
        x = x.astype(np.float32) / float(np.iinfo(x.dtype).max + 1)
    return np.ascontiguousarray(x, dtype=np.float32)


# --------------------------------------------------------------------------
# Post-processing
# --------------------------------------------------------------------------
def trim_silence(clip: Clip, threshold_db: float = TRIM_THRESHOLD_DB, pad_s: float = TRIM_PAD_S) -> Clip:
    """Cut leading/trailing silence, keeping `pad_s` of it on each side."""
    x = _as_float32_mono(clip.samples)
    if x.size == 0 or not np.all(np.isfinite(x)):
        return Clip(x, clip.sample_rate)
    # a 5 ms envelope, so single clicks in the silence do not count as speech
    win = max(1, int(0.005 * clip.sample_rate))
    envelope = uniform_filter1d(np.abs(x), size=win)
    top = float(envelope.max())
    if top <= 0.0:
        return Clip(x, clip.sample_rate)
    loud = np.flatnonzero(envelope > top * 10 ** (threshold_db / 20.0))
    if loud.size == 0:
        return Clip(x, clip.sample_rate)
    pad = round(pad_s * clip.sample_rate)
    start = max(0, int(loud[0]) - pad)
    end = min(x.size, int(loud[-1]) + 1 + pad)
    return Clip(x[start:end].copy(), clip.sample_rate)


def measure_loudness(clip: Clip) -> float:
    """Integrated loudness in LUFS (-inf for silence).

    pyloudnorm needs at least one 400 ms block; a shorter clip is measured by
    looping it to that length, so it is judged by the same K-weighted meter as
    every other clip (a plain RMS fallback would disagree with it by a few dB).
    """
    x = _as_float32_mono(clip.samples).astype(np.float64)
    if x.size == 0 or not np.any(x):
        return float("-inf")
    need = math.ceil(_LOUDNESS_BLOCK_S * clip.sample_rate) + 1
    if x.size < need:
        x = np.tile(x, math.ceil(need / x.size))
    return _integrated_loudness(x, clip.sample_rate)


@functools.lru_cache(maxsize=8)
def _k_weighting(sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """pyloudnorm's ITU-R BS.1770 K-weighting filters, combined into one IIR filter."""
    meter = pyloudnorm.Meter(sample_rate)
    b, a = np.array([1.0]), np.array([1.0])
    for stage in meter._filters.values():
        b, a = np.convolve(b, stage.b), np.convolve(a, stage.a)
    return b, a


def _integrated_loudness(x: np.ndarray, sample_rate: int) -> float:
    """BS.1770-4 integrated loudness, as pyloudnorm.Meter.integrated_loudness computes it.

    Same filters and gating, but the 400 ms blocks are summed with one cumulative
    sum instead of pyloudnorm's Python loop: that loop cost more per line than
    espeak-ng needs to speak it (tests check both agree within 0.05 LU).
    """
    b, a = _k_weighting(sample_rate)
    y = lfilter(b, a, x)
    block = round(_LOUDNESS_BLOCK_S * sample_rate)
    step = round(block * 0.25)  # 75% overlap
    count = (x.size - block) // step + 1
    if count < 1:
        return float("-inf")
    energy = np.concatenate(([0.0], np.cumsum(y * y)))
    starts = np.arange(count) * step
    z = (energy[starts + block] - energy[starts]) / block
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10.0 * np.log10(z)
    z = z[loud >= -70.0]  # absolute gate
    if z.size == 0:
        return float("-inf")
    relative = -0.691 + 10.0 * np.log10(z.mean()) - 10.0
    z = z[(-0.691 + 10.0 * np.log10(z)) >= relative]  # relative gate
    if z.size == 0:
        return float("-inf")
    return float(-0.691 + 10.0 * np.log10(z.mean()))


def _limit_peaks(x: np.ndarray, sample_rate: int, ceiling: float) -> np.ndarray:
    """A small look-ahead limiter: smooth gain reduction around peaks over the ceiling."""
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    if peak <= ceiling:
        return x
    needed = np.minimum(1.0, ceiling / np.maximum(np.abs(x), 1e-12))
    win = max(1, int(0.005 * sample_rate))  # 5 ms attack/release
    gain = uniform_filter1d(minimum_filter1d(needed, size=2 * win + 1), size=win)
    y = x * gain
    # the smoothing can leave a sample a hair over; the final clip is inaudible
    return np.clip(y, -ceiling, ceiling)


def postprocess(clip: Clip, loudness_offset_db: float = 0.0) -> Clip:
    """Trim silence, normalise to TARGET_LUFS (+ offset), limit peaks to PEAK_CEILING_DBFS.

    `loudness_offset_db` (see prosody.loudness_offset_db) keeps a whisper quieter
    than a shout; 0 gives every clip the same loudness.
    """
    trimmed = trim_silence(clip)
    x = trimmed.samples.astype(np.float64)
    if x.size == 0 or not np.all(np.isfinite(x)):
        return Clip(x.astype(np.float32), clip.sample_rate)
    loudness = measure_loudness(trimmed)
    if math.isfinite(loudness):
        gain_db = min(MAX_GAIN_DB, TARGET_LUFS + loudness_offset_db - loudness)
        x = x * 10 ** (gain_db / 20.0)
    x = _limit_peaks(x, clip.sample_rate, 10 ** (PEAK_CEILING_DBFS / 20.0))
    return Clip(x.astype(np.float32), clip.sample_rate)


# --------------------------------------------------------------------------
# WAV
# --------------------------------------------------------------------------
def encode_wav(clip: Clip) -> bytes:
    """16-bit PCM mono WAV bytes."""
    x = np.clip(np.nan_to_num(_as_float32_mono(clip.samples)), -1.0, 1.0)
    buf = io.BytesIO()
    soundfile.write(buf, x, int(clip.sample_rate), format="WAV", subtype="PCM_16")
    return buf.getvalue()


# MP3 for storing and serving: every browser plays it (iPhone Safari included, where Opus
# in Ogg does not play everywhere). Constant 48 kbit/s: about an eighth of 16-bit WAV at
# 22-24 kHz, and clear for speech. Encoded with LAME through lameenc rather than the LAME
# inside libsndfile (soundfile), which fixes LAME's slowest search: encoding took about as long
# as a natural voice speaking the line (bench/pregenerate.py). LAME's quality 7 (no
# psychoacoustic noise shaping) is 8-10x faster here and, for these clean voices, measures
# closer to the WAV (22.8 dB SNR against 20.1 dB for libsndfile's encoding of the same clip).
MP3_BITRATE_KBPS = 48
MP3_LAME_QUALITY = 7  # LAME's scale: 0 slowest/best .. 9 fastest


def encode_mp3(clip: Clip) -> bytes:
    """Mono MP3 bytes at a constant 48 kbit/s."""
    x = np.clip(np.nan_to_num(_as_float32_mono(clip.samples)), -1.0, 1.0)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(MP3_BITRATE_KBPS)
    encoder.set_in_sample_rate(int(clip.sample_rate))
    encoder.set_channels(1)
    encoder.set_quality(MP3_LAME_QUALITY)
    pcm = (x * 32767.0).astype("<i2").tobytes()
    return bytes(encoder.encode(pcm) + encoder.flush())


def encode_clip(clip: Clip) -> bytes:
    """How a made clip is stored and served (see cache.relative_path_for for its name)."""
    return encode_mp3(clip)


def decode_wav(data: bytes | bytearray | memoryview | str | os.PathLike) -> Clip:
    """A Clip (float32 mono, channels averaged) from WAV (or MP3) bytes or a file path."""
    source = io.BytesIO(bytes(data)) if isinstance(data, bytes | bytearray | memoryview) else os.fspath(data)
    samples, rate = soundfile.read(source, dtype="float32", always_2d=True)
    return Clip(np.ascontiguousarray(samples.mean(axis=1), dtype=np.float32), int(rate))


# --------------------------------------------------------------------------
# Quality check
# --------------------------------------------------------------------------
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def count_words(text: str) -> int:
    return len(_WORD_RE.findall(text or ""))


def expected_duration(text: str) -> float:
    """Roughly how long the line takes at ~150 words per minute (at least 0.6 s)."""
    return max(MIN_EXPECTED_S, count_words(text) / WORDS_PER_SECOND)


def duration_bounds(text: str) -> tuple[float, float]:
    """(shortest, longest) plausible duration; forgiving for very short lines."""
    expected = expected_duration(text)
    low = 0.3 * expected
    # a one-word line may be drawn out ("Nooooo!", a laugh): allow at least 2.5 s extra
    high = max(3.0 * expected, expected + 2.5)
    return low, high


def quality_problem(clip: Clip, text: str) -> str | None:
    """None if the clip looks like a plausible reading of `text`, else why not."""
    x = np.asarray(clip.samples)
    if x.size == 0 or not clip.sample_rate:
        return "the clip is empty"
    if not np.all(np.isfinite(x)):
        bad = int(np.count_nonzero(~np.isfinite(x)))
        return f"the clip contains {bad} NaN/infinite samples"
    x = _as_float32_mono(x)
    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))
    if rms <= 10 ** (SILENT_RMS_DBFS / 20.0):
        level = 20 * math.log10(rms) if rms > 0 else float("-inf")
        return f"the clip is silent (RMS {level:.0f} dBFS)"
    clipped = int(np.count_nonzero(np.abs(x) >= FULL_SCALE))
    if clipped > max(3, MAX_CLIPPED_FRACTION * x.size):
        return f"the clip is clipping ({clipped} samples at full scale, {100.0 * clipped / x.size:.1f}%)"
    duration = x.size / float(clip.sample_rate)
    low, high = duration_bounds(text)
    words = count_words(text)
    if duration < low:
        return (
            f"the clip is too short: {duration:.2f} s for {words} word(s) "
            f"(expected about {expected_duration(text):.1f} s, at least {low:.2f} s)"
        )
    if duration > high:
        return (
            f"the clip is too long: {duration:.1f} s for {words} word(s) "
            f"(expected about {expected_duration(text):.1f} s, at most {high:.1f} s)"
        )
    return None
