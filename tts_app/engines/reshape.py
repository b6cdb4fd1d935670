"""Pitch, pitch range, formants and whisper for a clip, through the WORLD vocoder (pyworld).

The natural voices' models can change pace themselves but not pitch or the size
of the speaker's vocal tract. WORLD splits speech into F0, a spectral envelope
and aperiodicity, so each can be changed on its own and put back together:
pitch and range act on F0, formants on the envelope's frequency axis, and a
whisper is the same envelope excited by noise only. This is what makes the
derived voices (a deeper man, a brighter young woman) and the pitch side of
emotion; a resampler trick would change pitch, formants and pace together.
"""

from __future__ import annotations

import numpy as np

FRAME_PERIOD_MS = 5.0


def is_neutral(pitch_st: float = 0.0, pitch_range: float = 1.0, formant: float = 1.0, whisper: bool = False) -> bool:
    return abs(pitch_st) < 1e-3 and abs(pitch_range - 1.0) < 1e-3 and abs(formant - 1.0) < 1e-3 and not whisper


def _warp_envelope(sp: np.ndarray, ratio: float) -> np.ndarray:
    """Move every formant by `ratio` (>1: higher, a smaller speaker) along the frequency axis."""
    bins = sp.shape[1]
    source = np.minimum(np.arange(bins, dtype=np.float64) / ratio, bins - 1.0)
    low = np.floor(source).astype(np.int64)
    high = np.minimum(low + 1, bins - 1)
    frac = source - low
    return np.ascontiguousarray(sp[:, low] * (1.0 - frac) + sp[:, high] * frac)


def _fold_octave_jumps(f0: np.ndarray, window_s: float = 0.3) -> np.ndarray:
    """Halve or double the frames an octave away from their neighbourhood's median.

    A pitch tracker sometimes locks onto twice (or half) the real F0 for a few frames; resynthesised
    at a new pitch those frames become audible squeaks, so they are folded back first.
    """
    voiced = f0 > 0
    if voiced.sum() < 3:
        return f0
    from scipy.ndimage import median_filter

    log_f0 = np.log2(np.where(voiced, f0, 1.0))
    index = np.arange(f0.size)
    filled = np.interp(index, index[voiced], log_f0[voiced])  # unvoiced gaps do not drag the median
    local = median_filter(filled, size=max(3, int(window_s * 1000 / FRAME_PERIOD_MS)) | 1, mode="nearest")
    octaves = np.round(log_f0 - local)
    octaves = np.where(voiced & (np.abs(octaves) >= 1), octaves, 0)
    return np.where(voiced, f0 / 2.0**octaves, 0.0)


def _on_world_frames(track: np.ndarray, frame_s: float, *, duration_s: float) -> tuple[np.ndarray, np.ndarray]:
    """A pitch track resampled onto WORLD's frames: voicing from the nearest frame, pitch
    interpolated on a log scale between voiced frames."""
    track = np.asarray(track, dtype=np.float64)
    times = np.arange(int(duration_s * 1000.0 / FRAME_PERIOD_MS) + 1) * (FRAME_PERIOD_MS / 1000.0)
    voiced = track > 0
    if track.size == 0 or not voiced.any():
        return np.zeros_like(times), times
    source_times = np.arange(track.size) * frame_s
    nearest = np.clip(np.round(times / frame_s).astype(np.int64), 0, track.size - 1)
    f0 = np.exp(np.interp(times, source_times[voiced], np.log(track[voiced])))
    return np.where(voiced[nearest], f0, 0.0), times


def _coarse_aperiodicity(pyworld, x: np.ndarray, f0: np.ndarray, times: np.ndarray, rate: int) -> np.ndarray:
    """D4C on every other frame, interpolated back: how noisy each band is changes more slowly than
    the envelope, and D4C was the largest part of a derived woman's compute."""
    if times.size < 4:
        return pyworld.d4c(x, f0, times, rate)
    coarse = pyworld.d4c(x, np.ascontiguousarray(f0[::2]), np.ascontiguousarray(times[::2]), rate)
    position = np.arange(times.size) / 2.0
    low = np.minimum(np.floor(position).astype(np.int64), coarse.shape[0] - 1)
    high = np.minimum(low + 1, coarse.shape[0] - 1)
    frac = (position - low)[:, None]
    return np.ascontiguousarray(coarse[low] * (1.0 - frac) + coarse[high] * frac)


def reshape(
    samples: np.ndarray,
    sample_rate: int,
    *,
    f0_range: tuple[float, float] = (60.0, 500.0),
    f0_track: tuple[np.ndarray, float] | None = None,
    pitch_st: float = 0.0,
    pitch_range: float = 1.0,
    formant: float = 1.0,
    whisper: bool = False,
) -> np.ndarray:
    """The same speech with its pitch moved by `pitch_st` semitones, its intonation widened
    (`pitch_range` > 1) or flattened, its formants scaled by `formant`, or whispered.

    `f0_range` bounds the pitch search to the speaker's own range, so it cannot jump an octave.
    `f0_track` (Hz per frame, frame length in s; 0 Hz unvoiced) is the pitch the model itself spoke
    at: given it, there is nothing to search for, which saves most of WORLD's time."""
    x = np.ascontiguousarray(samples, dtype=np.float64)
    if x.size == 0 or is_neutral(pitch_st, pitch_range, formant, whisper):
        return np.asarray(samples, dtype=np.float32)
    import pyworld  # imported here: only clips that need reshaping pay for it

    if f0_track is not None:
        f0, times = _on_world_frames(*f0_track, duration_s=x.size / sample_rate)
    else:
        floor, ceil = f0_range
        # Harvest, not the 15x cheaper Dio (+ StoneMask): on joe, Dio takes the second harmonic for the
        # fundamental on a third to a half of the voiced frames (the voice jumps an octave there), and
        # a ceiling low enough to stop that leaves most frames unvoiced (a whispery voice).
        f0, times = pyworld.harvest(x, sample_rate, f0_floor=floor, f0_ceil=ceil, frame_period=FRAME_PERIOD_MS)
    sp = pyworld.cheaptrick(x, f0, times, sample_rate)
    ap = _coarse_aperiodicity(pyworld, x, f0, times, sample_rate)
    f0 = _fold_octave_jumps(f0)
    voiced = f0 > 0
    if whisper:
        f0 = np.zeros_like(f0)
        ap = np.ones_like(ap)
    elif voiced.any():
        log_f0 = np.log(f0[voiced])
        centre = float(np.median(log_f0))
        shifted = centre + (log_f0 - centre) * pitch_range + pitch_st * np.log(2.0) / 12.0
        f0[voiced] = np.exp(shifted)
    if abs(formant - 1.0) >= 1e-3:
        sp = _warp_envelope(sp, formant)
    y = pyworld.synthesize(f0, sp, ap, sample_rate, FRAME_PERIOD_MS)
    return np.nan_to_num(y[: x.size]).astype(np.float32)
