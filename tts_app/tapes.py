"""Cue tapes: clips and silences joined into one MP3 for the car or headphones.

The clips are decoded and encoded again in one LAME stream (rather than their MP3 frames
glued together) so that clips at different sample rates (engines differ, a parent's recording)
become one rate, and a silence is exactly as long as promised. Encoding runs at the clips'
bitrate and quality; it streams to a temp file, so memory stays a few seconds of audio
however long the tape.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lameenc
import numpy as np
import soundfile

from runthru_site.files import write_stream_atomic

from .audio import MP3_BITRATE_KBPS, MP3_LAME_QUALITY
from .id3 import Chapter, id3_tag

MAX_SILENCE_S = 60.0
MAX_SEGMENTS = 20000
_BLOCK = 1 << 16  # samples encoded at a time


@dataclass(frozen=True)
class Segment:
    """A clip's file, or a silence of `seconds`; `title` names its chapter ("" for none)."""

    path: Path | None
    seconds: float = 0.0
    title: str = ""


@dataclass(frozen=True)
class TapeTags:
    title: str
    artist: str
    album: str
    track: str


@dataclass(frozen=True)
class TapeResult:
    size: int
    duration: float
    chapters: list[Chapter]


def _rate_of(path: Path) -> int:
    return soundfile.info(str(path)).samplerate


def tape_sample_rate(segments: list[Segment]) -> int:
    """The rate most clips have, so most are not resampled."""
    rates = Counter(_rate_of(s.path) for s in segments if s.path is not None)
    return rates.most_common(1)[0][0] if rates else 24000


def _resampled(x: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target or not len(x):
        return x
    from scipy.signal import resample_poly

    g = np.gcd(rate, target)
    return resample_poly(x, target // g, rate // g).astype(np.float32)


def _pcm(x: np.ndarray) -> bytes:
    return (np.clip(np.nan_to_num(x), -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def tape_write(final: Path, segments: list[Segment], *, tags: TapeTags,
               on_segment: Callable[[int], None] | None = None) -> TapeResult:
    """Encode the segments in order into `final` (written whole or not at all)."""
    if len(segments) > MAX_SEGMENTS:
        raise ValueError("too many lines for one tape")
    rate = tape_sample_rate(segments)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(MP3_BITRATE_KBPS)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(MP3_LAME_QUALITY)
    chapters: list[Chapter] = []
    samples = 0
    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=final.parent, prefix=".tape-") as body:
        for n, segment in enumerate(segments):
            start = samples
            if segment.path is None:
                silence = np.zeros(_BLOCK, dtype=np.float32)
                left = int(round(min(segment.seconds, MAX_SILENCE_S) * rate))
                while left > 0:
                    chunk = silence[:min(left, _BLOCK)]
                    body.write(encoder.encode(_pcm(chunk)))
                    left -= len(chunk)
                    samples += len(chunk)
            else:
                # Whole, not in blocks: reading part of an MP3 makes libsndfile ask where it is,
                # and that seek loses mpg123's bit reservoir (garbled frames). A clip is a line
                # (a parent's recording at most 3 minutes), so this stays a few MB.
                clip, clip_rate = soundfile.read(str(segment.path), dtype="float32", always_2d=True)
                x = _resampled(clip.mean(axis=1), clip_rate, rate)
                for at in range(0, len(x), _BLOCK):
                    body.write(encoder.encode(_pcm(x[at:at + _BLOCK])))
                samples += len(x)
            if segment.title:
                chapters.append(Chapter(start * 1000 // rate, samples * 1000 // rate, segment.title))
            if on_segment is not None:
                on_segment(n + 1)
        body.write(encoder.flush())
        tag = id3_tag(title=tags.title, artist=tags.artist, album=tags.album, track=tags.track, chapters=chapters)
        _write_with_tag(final, tag, body)
    return TapeResult(size=final.stat().st_size, duration=samples / rate, chapters=chapters)


def _write_with_tag(final: Path, tag: bytes, body) -> None:
    # The tag goes first (players read it there) but its chapters are only known once the
    # audio is encoded: copy the encoded audio in behind it.
    def write(out):
        out.write(tag)
        body.seek(0)
        while chunk := body.read(1 << 20):
            out.write(chunk)

    write_stream_atomic(final, write)
