"""Clip post-processing, WAV storage and the quality check."""

from __future__ import annotations

import io

import numpy as np
import pyloudnorm
import pytest
import soundfile

from tts_app import audio
from tts_app.engines.base import Clip, SynthesisRequest
from tts_app.engines.espeak import EspeakEngine

SR = 22050
LINE = "I never said she stole the money, but somebody did."


def tone(seconds: float, amplitude: float = 0.3, freq: float = 220.0, sr: int = SR) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    # a second harmonic, so it is not a pure test tone
    wave = np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(4 * np.pi * freq * t)
    return (amplitude * wave).astype(np.float32)


def silence(seconds: float, sr: int = SR) -> np.ndarray:
    return np.zeros(int(seconds * sr), dtype=np.float32)


def rms(clip: Clip) -> float:
    return float(np.sqrt(np.mean(np.square(clip.samples, dtype=np.float64))))


def lufs(clip: Clip) -> float:
    return pyloudnorm.Meter(clip.sample_rate).integrated_loudness(clip.samples.astype(np.float64))


@pytest.fixture(scope="module")
def spoken() -> Clip:
    return EspeakEngine().synthesize([SynthesisRequest(LINE, "en-gb-m3")])[0]


def test_the_version_and_target_are_constants_for_cache_keys():
    assert isinstance(audio.POSTPROCESS_VERSION, str) and audio.POSTPROCESS_VERSION
    assert audio.TARGET_LUFS == -20.0


# -- trimming -------------------------------------------------------------------
def test_trimming_cuts_silence_but_keeps_short_pads():
    clip = Clip(np.concatenate([silence(1.0), tone(0.5), silence(1.5)]), SR)
    trimmed = audio.trim_silence(clip)
    assert trimmed.duration == pytest.approx(0.5 + 2 * audio.TRIM_PAD_S, abs=0.01)
    assert np.max(np.abs(trimmed.samples[: int(0.04 * SR)])) == 0.0  # the pad is the original silence


def test_trimming_ignores_faint_noise_but_keeps_quiet_speech():
    rng = np.random.default_rng(0)
    noise = (rng.standard_normal(SR) * 1e-4).astype(np.float32)  # -80 dBFS hiss
    clip = Clip(np.concatenate([noise, tone(0.3, 0.02), tone(0.5), noise]), SR)
    trimmed = audio.trim_silence(clip)
    assert trimmed.duration == pytest.approx(0.8 + 2 * audio.TRIM_PAD_S, abs=0.01)


def test_postprocess_trims_and_leaves_the_input_alone(spoken):
    padded = Clip(np.concatenate([silence(0.7), spoken.samples, silence(0.7)]), SR)
    before = padded.samples.copy()
    out = audio.postprocess(padded)
    assert out.duration < spoken.duration + 0.2
    assert out.samples.dtype == np.float32 and out.sample_rate == SR
    assert np.array_equal(padded.samples, before)


# -- loudness -------------------------------------------------------------------
def test_loudness_normalisation_makes_quiet_and_loud_clips_match(spoken):
    quiet = audio.postprocess(Clip(spoken.samples * 0.05, SR))
    loud = audio.postprocess(Clip(spoken.samples * 0.9, SR))
    assert abs(lufs(quiet) - lufs(loud)) < 1.0
    assert lufs(loud) == pytest.approx(audio.TARGET_LUFS, abs=1.0)


def test_clips_shorter_than_a_loudness_block_are_normalised_too():
    short_quiet = audio.postprocess(Clip(tone(0.25, 0.01), SR))
    short_loud = audio.postprocess(Clip(tone(0.25, 0.5), SR))
    assert short_quiet.duration < 0.4
    assert rms(short_quiet) == pytest.approx(rms(short_loud), rel=0.12)
    # and about as loud as a long clip of the same sound
    long = audio.postprocess(Clip(tone(2.0, 0.1), SR))
    assert audio.measure_loudness(short_loud) == pytest.approx(lufs(long), abs=1.0)


def test_a_loudness_offset_makes_a_clip_quieter_or_louder(spoken):
    whisper = audio.postprocess(spoken, loudness_offset_db=-6.0)
    assert lufs(whisper) == pytest.approx(audio.TARGET_LUFS - 6.0, abs=1.0)


def test_peaks_are_limited_below_minus_one_dbfs(spoken):
    ceiling = 10 ** (audio.PEAK_CEILING_DBFS / 20)
    # 5 dB louder than the target pushes espeak's peaks past full scale: the limiter
    # holds them at -1 dBFS and costs little loudness
    out = audio.postprocess(spoken, loudness_offset_db=+5.0)
    assert np.max(np.abs(out.samples)) <= ceiling + 1e-6
    assert lufs(out) == pytest.approx(audio.TARGET_LUFS + 5.0, abs=1.5)
    assert audio.quality_problem(out, LINE) is None


def test_silence_and_empty_clips_pass_through_without_errors():
    assert not np.any(audio.postprocess(Clip(silence(1.0), SR)).samples)
    assert audio.postprocess(Clip(np.zeros(0, dtype=np.float32), SR)).samples.size == 0


# -- WAV ------------------------------------------------------------------------
def test_a_wav_round_trip_is_16_bit_pcm_mono(spoken, tmp_path):
    clip = audio.postprocess(spoken)
    data = audio.encode_wav(clip)
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    info = soundfile.info(io.BytesIO(data))
    assert (info.format, info.subtype, info.channels, info.samplerate) == ("WAV", "PCM_16", 1, SR)
    back = audio.decode_wav(data)
    assert back.sample_rate == SR and back.samples.dtype == np.float32
    assert np.max(np.abs(back.samples - clip.samples)) <= 1.0 / 32768 + 1e-7
    path = tmp_path / "line.wav"
    path.write_bytes(data)
    assert np.array_equal(audio.decode_wav(path).samples, back.samples)
    assert np.array_equal(audio.decode_wav(str(path)).samples, back.samples)


def test_encoding_never_wraps_out_of_range_samples():
    back = audio.decode_wav(audio.encode_wav(Clip(np.array([2.0, -2.0, np.nan, 0.5], dtype=np.float32), SR)))
    assert back.samples[0] > 0.99 and back.samples[1] < -0.99 and back.samples[2] == 0.0


def test_stereo_files_decode_to_mono():
    buf = io.BytesIO()
    soundfile.write(buf, np.stack([tone(0.5), tone(0.5)], axis=1), SR, format="WAV", subtype="PCM_16")
    clip = audio.decode_wav(buf.getvalue())
    assert clip.samples.ndim == 1 and clip.duration == pytest.approx(0.5, abs=0.001)


# -- quality check --------------------------------------------------------------
def test_a_real_espeak_clip_passes_the_quality_check(spoken):
    assert audio.quality_problem(spoken, LINE) is None
    assert audio.quality_problem(audio.postprocess(spoken), LINE) is None


def test_the_quality_check_flags_nan_samples(spoken):
    broken = spoken.samples.copy()
    broken[100] = np.nan
    assert "NaN" in audio.quality_problem(Clip(broken, SR), LINE)


def test_the_quality_check_flags_silence():
    assert "silent" in audio.quality_problem(Clip(silence(3.0), SR), LINE)
    assert "silent" in audio.quality_problem(Clip(tone(3.0, 0.0002), SR), LINE)
    assert "empty" in audio.quality_problem(Clip(np.zeros(0, dtype=np.float32), SR), LINE)


def test_the_quality_check_flags_clipping(spoken):
    assert "clipping" in audio.quality_problem(Clip(np.clip(spoken.samples * 20, -1, 1), SR), LINE)


def test_the_quality_check_flags_clips_too_short_or_too_long_for_the_text(spoken):
    assert "too short" in audio.quality_problem(Clip(spoken.samples[: SR // 2], SR), LINE)
    babble = np.tile(spoken.samples, 6)  # ~17 s for ten words
    assert "too long" in audio.quality_problem(Clip(babble, SR), LINE)


def test_the_quality_check_is_forgiving_for_very_short_lines():
    assert audio.quality_problem(Clip(tone(0.25), SR), "No.") is None
    assert audio.quality_problem(Clip(tone(2.5), SR), "Nooooo!") is None  # drawn out
    assert "too long" in audio.quality_problem(Clip(tone(6.0), SR), "No.")


def test_expected_duration_is_about_150_words_per_minute():
    assert audio.count_words("Don't you dare, Romeo — it's twelve o'clock!") == 7
    assert audio.expected_duration("Yes.") == 0.6
    assert audio.expected_duration(" ".join(["word"] * 25)) == pytest.approx(10.0)
