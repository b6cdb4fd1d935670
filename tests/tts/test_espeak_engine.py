"""The built-in espeak-ng engine: runs anywhere, many voices, audible emotion."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from tts_app import audio, prosody
from tts_app.engines import espeak as espeak_module
from tts_app.engines.base import Clip, EngineFailed, SynthesisRequest
from tts_app.engines.espeak import VOICE_SPECS, EspeakEngine, resolve_voice

LINE = "I never said she stole the money, but somebody did."


@pytest.fixture(scope="module")
def engine() -> EspeakEngine:
    eng = EspeakEngine()
    eng.load()
    return eng


def speak(engine: EspeakEngine, text: str = LINE, voice: str = "en-us-f2", **params) -> Clip:
    return engine.synthesize([SynthesisRequest(text=text, voice_id=voice, params=params)])[0]


def speak_as(engine: EspeakEngine, label: str, voice: str = "en-us-f2") -> Clip:
    return speak(engine, voice=voice, **prosody.espeak_params({"label": label, "intensity": 0.8}))


def median_pitch(clip: Clip) -> float:
    """Median F0 (Hz) of the voiced frames, by autocorrelation; 0 if none is voiced."""
    x, sr, size = clip.samples.astype(np.float64), clip.sample_rate, 1024
    lo, hi = sr // 500, sr // 60
    pitches = []
    for start in range(0, len(x) - size, size // 2):
        frame = x[start : start + size] * np.hanning(size)
        if np.sqrt(np.mean(frame**2)) < 0.02:
            continue
        corr = np.correlate(frame, frame, "full")[size - 1 :]
        lag = lo + int(np.argmax(corr[lo:hi]))
        if corr[lag] > 0.3 * corr[0]:
            pitches.append(sr / lag)
    return float(np.median(pitches)) if pitches else 0.0


def spectral_centroid(clip: Clip) -> float:
    spectrum = np.abs(np.fft.rfft(clip.samples.astype(np.float64)))
    freqs = np.fft.rfftfreq(len(clip.samples), 1.0 / clip.sample_rate)
    return float((spectrum * freqs).sum() / spectrum.sum())


def rms(clip: Clip) -> float:
    return float(np.sqrt(np.mean(np.square(clip.samples, dtype=np.float64))))


# -- running anywhere ---------------------------------------------------------
def test_it_is_available_with_no_system_packages():
    eng = EspeakEngine()
    assert eng.availability().available, eng.availability().reason
    lib_path, data_path = espeak_module._paths()
    # the library and its data come from the espeakng-loader wheel, not from /usr
    assert "espeakng_loader" in Path(lib_path).parts
    assert Path(data_path, "phontab").is_file()
    assert not eng.loaded  # availability() is cheap: it does not load the engine


def test_it_reports_its_version_and_capabilities():
    eng = EspeakEngine()
    assert eng.version().startswith("espeak-ng-1.")
    caps = eng.capabilities()
    assert (caps.emotion_vector, caps.voice_cloning, caps.batch_size) == (False, False, 1)
    assert (caps.sample_rate, caps.device) == (22050, "cpu")


def test_the_registry_can_build_it():
    from tts_app.engines import registry

    registry.reset_for_tests()
    try:
        assert isinstance(registry.get_engine("espeak"), EspeakEngine)
    finally:
        registry.reset_for_tests()


# -- voices -------------------------------------------------------------------
def test_it_offers_at_least_twelve_distinct_voices_with_stable_ids(engine):
    voices = engine.voices()
    ids = [v.id for v in voices]
    assert len(voices) >= 12
    assert len(set(ids)) == len(ids)
    assert len({resolve_voice(i).espeak_name() for i in ids}) == len(ids)
    assert all(v.engine == "espeak" and v.name and v.description for v in voices)
    # ids go into cache keys and database rows: these must never change
    assert ids[:6] == ["en-us-f2", "en-gb-m3", "en-scotland-f4", "en-029-m2", "en-rp-f1", "en-us-m7"]
    assert sorted(engine.default_voice_ids()) == sorted(ids)


def test_every_voice_uses_a_variant_that_ships_with_the_data(engine):
    # espeak-ng silently ignores an unknown "+variant", so check the files themselves
    _, data_path = espeak_module._paths()
    for spec in VOICE_SPECS:
        assert Path(data_path, "voices", "!v", spec.variant).is_file(), spec
        assert Path(data_path, "voices", "!v", spec.whisper_variant).is_file(), spec


def test_the_first_voices_alternate_between_women_and_men(engine):
    genders = [resolve_voice(i).gender for i in engine.default_voice_ids()[:8]]
    assert genders == ["female", "male"] * 4
    languages = [resolve_voice(i).language for i in engine.default_voice_ids()[:6]]
    assert len(set(languages)) >= 5  # and mostly different accents


def test_every_voice_speaks_and_the_voices_sound_different(engine):
    clips = {spec.id: speak(engine, voice=spec.id) for spec in VOICE_SPECS}
    arrays = list(clips.values())
    for i, a in enumerate(arrays):
        for b in arrays[i + 1 :]:
            assert a.samples.shape != b.samples.shape or not np.array_equal(a.samples, b.samples)
    for spec in VOICE_SPECS:
        pitch = median_pitch(clips[spec.id])
        if spec.gender == "female":
            assert pitch > 150, (spec.id, pitch)
        elif spec.gender == "male":
            assert 60 < pitch < 140, (spec.id, pitch)
        else:
            assert pitch > 250, (spec.id, pitch)  # the child


def test_the_same_variant_with_another_accent_sounds_different(engine):
    american = speak(engine, voice="en-rp-f1")
    assert resolve_voice("en-rp-f1").language != "en-us"
    other = engine.synthesize([SynthesisRequest(LINE, "en-us-f2")])[0]
    assert not np.array_equal(american.samples[:5000], other.samples[:5000])


def test_unknown_voice_ids_map_to_one_of_its_voices_stably():
    first = resolve_voice("indextts2:juliet-reference")
    assert first in VOICE_SPECS
    assert resolve_voice("indextts2:juliet-reference") == first
    assert resolve_voice("espeak:en-gb-m3").id == "en-gb-m3"
    assert resolve_voice("") == VOICE_SPECS[0]


# -- speaking -----------------------------------------------------------------
def test_it_speaks_a_line_with_a_real_voice(engine):
    clip = speak(engine, **prosody.espeak_params(None))
    assert clip.samples.dtype == np.float32
    assert clip.samples.ndim == 1
    assert clip.sample_rate == engine.capabilities().sample_rate == 22050
    low, high = audio.duration_bounds(LINE)
    assert low < clip.duration < high
    assert 1.5 < clip.duration < 5.0  # ten words at ~175 words per minute
    assert np.max(np.abs(clip.samples)) <= 1.0
    assert audio.quality_problem(clip, LINE) is None


def test_a_batch_gives_one_clip_per_request_in_order(engine):
    requests = [SynthesisRequest("Yes.", "en-us-f2"), SynthesisRequest(LINE, "en-gb-m3")]
    short, long = engine.synthesize(requests)
    assert short.duration < long.duration


def test_angry_soft_and_excited_lines_sound_measurably_different(engine):
    angry, soft, excited = (speak_as(engine, label) for label in ("angry", "soft", "excited"))
    neutral = speak_as(engine, "neutral")
    # angry: faster and louder than soft
    assert angry.duration < 0.85 * soft.duration
    assert rms(angry) > 1.5 * rms(soft)
    # excited: faster and higher than soft, and higher than neutral
    assert excited.duration < 0.85 * soft.duration
    assert median_pitch(excited) > 1.15 * median_pitch(soft)
    assert median_pitch(excited) > median_pitch(neutral)
    # sad: slower and quieter than neutral
    sad = speak_as(engine, "sad")
    assert sad.duration > 1.1 * neutral.duration
    assert rms(sad) < rms(neutral)


def test_whispering_uses_the_whisper_variant(engine):
    assert engine.espeak_voice_name("en-us-f2", whisper=True) == "en-us+whisperf"
    assert engine.espeak_voice_name("en-gb-m3", whisper=True) == "en+whisper"
    assert engine.espeak_voice_name("en-gb-m3") == "en+m3"
    params = prosody.espeak_params({"label": "whisper", "intensity": 0.5})
    assert params["whisper"] is True
    whispered = speak(engine, voice="en-gb-m3", **params)
    spoken = speak(engine, voice="en-gb-m3", **{**params, "whisper": False})
    # breath noise instead of a voiced tone: much brighter spectrum
    assert spectral_centroid(whispered) > spectral_centroid(spoken) + 400


def test_special_characters_do_not_break_it(engine):
    text = '<b>Romeo & Juliet</b> — "Ay me!" 50% <break time="3s"/> it\'s ☃ \x00 done…'
    clip = speak(engine, text=text)
    assert clip.duration > 1.0
    assert np.all(np.isfinite(clip.samples))
    # no SSML: "<b>" is read out rather than swallowed as markup
    assert speak(engine, text="<b>x</b>").duration > speak(engine, text="x").duration + 0.5


def test_out_of_range_params_are_clamped_not_fatal(engine):
    clip = speak(engine, rate=10_000, pitch=-5, range="wide", volume=999)
    assert clip.duration > 0.3


def test_empty_text_raises_engine_failed(engine):
    for text in ("", "   \n"):
        with pytest.raises(EngineFailed):
            speak(engine, text=text)


def test_two_instances_can_speak_from_several_threads_at_once(engine):
    # espeak-ng is one global library: lines spoken at once must not mix. (A repeated
    # line can differ by a few samples of phase, so compare lengths, not samples.)
    expected = {spec.id: speak(engine, voice=spec.id).samples for spec in VOICE_SPECS[:4]}
    other = EspeakEngine()
    results: dict[tuple[int, str], np.ndarray] = {}
    errors: list[BaseException] = []

    def work(n: int, eng: EspeakEngine) -> None:
        try:
            for voice in expected:
                results[(n, voice)] = speak(eng, voice=voice).samples
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n, engine if n % 2 else other)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 16
    for (_, voice), samples in results.items():
        assert abs(len(samples) - len(expected[voice])) < 0.02 * len(expected[voice])
        assert audio.quality_problem(Clip(samples, 22050), LINE) is None
