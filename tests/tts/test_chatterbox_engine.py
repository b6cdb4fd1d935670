"""ChatterboxEngine against fakes of chatterbox-tts (no torch, no weights), plus
one end-to-end test on the real architecture with random weights where torch
and chatterbox-tts are installed."""

from __future__ import annotations

import os
import threading
import types

import numpy as np
import pytest

from tts_app.engines import chatterbox as cb
from tts_app.engines.base import EngineFailed, EngineUnavailable, SynthesisRequest

try:
    from tests.tts.fakes import FakeChatterboxTTS, FakeTorch, make_voice, make_weights
except ImportError:  # tests/ not importable as a package
    from fakes import FakeChatterboxTTS, FakeTorch, make_voice, make_weights


@pytest.fixture
def dirs(tmp_path):
    models = tmp_path / "models"
    voices = tmp_path / "voices"
    voices.mkdir()
    return models, voices


@pytest.fixture
def fake_torch():
    return FakeTorch(cuda=False)


@pytest.fixture
def upstream(monkeypatch, fake_torch):
    """Installed + fakes injected through the adapter's lazy import."""
    FakeChatterboxTTS.instances = []
    monkeypatch.setattr(cb, "module_installed", lambda name: True)
    monkeypatch.setattr(
        cb, "_import_upstream", lambda: (cb.go_offline(), types.SimpleNamespace(
            ChatterboxTTS=FakeChatterboxTTS, torch=fake_torch))[1]
    )
    monkeypatch.delenv(cb.DTYPE_ENV, raising=False)
    monkeypatch.delenv(cb.DEVICE_ENV, raising=False)
    return fake_torch


@pytest.fixture
def engine(dirs, upstream):
    models, voices = dirs
    make_weights(models / "chatterbox")
    return cb.ChatterboxEngine(models_dir=models, voices_dir=voices)


def model_of(engine) -> FakeChatterboxTTS:
    return engine._model


# -- availability -------------------------------------------------------------
def test_not_installed(dirs, monkeypatch):
    monkeypatch.setattr(cb, "module_installed", lambda name: False)
    avail = cb.ChatterboxEngine(*dirs).availability()
    assert not avail.available
    assert avail.reason.startswith("Chatterbox isn't set up on this computer yet. A parent can add it")


def test_weights_missing(dirs, upstream):
    models, voices = dirs
    avail = cb.ChatterboxEngine(models, voices).availability()
    assert not avail.available
    assert avail.reason.startswith("Chatterbox weights are missing: put them in ")
    assert str(models / "chatterbox") in avail.reason


def test_one_weight_file_missing(dirs, upstream):
    models, voices = dirs
    make_weights(models / "chatterbox")
    (models / "chatterbox" / "conds.pt").unlink()
    avail = cb.ChatterboxEngine(models, voices).availability()
    assert not avail.available and "conds.pt" in avail.reason


def test_available_and_load_refused_when_not(engine, dirs):
    assert engine.availability().available
    empty = cb.ChatterboxEngine(dirs[0] / "nowhere", dirs[1])
    with pytest.raises(EngineUnavailable, match="weights are missing"):
        empty.synthesize([SynthesisRequest("Hi.", cb.DEFAULT_VOICE_ID)])


def test_module_installed_is_cheap_and_real():
    assert cb.module_installed("json")
    assert not cb.module_installed("surely_not_a_module_runthru")


def test_default_dirs_follow_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("RUNTHRU_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(cb, "_setting", lambda name: None)
    e = cb.ChatterboxEngine()
    assert e.weights_dir == tmp_path / "models" / "chatterbox"
    assert e.voices_dir == tmp_path / "voices"


def test_default_dirs_follow_django_settings(monkeypatch, tmp_path):
    values = {"RUNTHRU_MODELS_DIR": str(tmp_path / "m"), "RUNTHRU_DATA_DIR": str(tmp_path / "d")}
    monkeypatch.setattr(cb, "_setting", values.get)
    e = cb.ChatterboxEngine()
    assert e.weights_dir == tmp_path / "m" / "chatterbox"
    assert e.voices_dir == tmp_path / "d" / "voices"


# -- voices, version, capabilities ----------------------------------------------
def test_voices_builtin_plus_reference_clips(engine, dirs):
    make_voice(dirs[1], "mrs_hughes")
    make_voice(dirs[1], "bob")
    (dirs[1] / "notes.txt").write_text("not a voice")
    ids = [v.id for v in engine.voices()]
    assert ids == ["chatterbox-default", "chatterbox-ref-bob", "chatterbox-ref-mrs_hughes"]
    assert engine.voices()[2].name == "Mrs Hughes"
    assert all(v.engine == "chatterbox" for v in engine.voices())


def test_version_depends_on_weights_and_dtype(engine, monkeypatch):
    v1 = engine.version()
    assert v1.startswith("chatterbox-")
    assert engine.version() == v1
    (engine.weights_dir / "t3_cfg.safetensors").write_bytes(b"other weights")
    v2 = engine.version()
    assert v2 != v1
    monkeypatch.setenv(cb.DTYPE_ENV, "bf16")
    assert engine.version() == v2 + "-bfloat16"


def test_capabilities(engine):
    caps = engine.capabilities()
    assert caps.voice_cloning and not caps.emotion_vector
    assert caps.sample_rate == 24000 and caps.batch_size > 1  # the batched fast path takes several lines


# -- loading ----------------------------------------------------------------------
def test_load_is_local_offline_and_picks_device(engine, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    engine.load()
    m = model_of(engine)
    assert m.ckpt_dir == engine.weights_dir
    assert m.device == "cpu"
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert engine.capabilities().device == "cpu"


def test_device_env_overrides(engine, monkeypatch):
    monkeypatch.setenv(cb.DEVICE_ENV, "cuda:1")
    engine.load()
    assert model_of(engine).device == "cuda:1"


def test_cuda_when_available(dirs, monkeypatch):
    FakeChatterboxTTS.instances = []
    monkeypatch.setattr(cb, "module_installed", lambda name: True)
    monkeypatch.setattr(
        cb, "_import_upstream",
        lambda: types.SimpleNamespace(ChatterboxTTS=FakeChatterboxTTS, torch=FakeTorch(cuda=True)),
    )
    monkeypatch.delenv(cb.DEVICE_ENV, raising=False)
    make_weights(dirs[0] / "chatterbox")
    e = cb.ChatterboxEngine(*dirs)
    e.load()
    assert e._model.device == "cuda"
    e.unload()
    assert not e.loaded and e._model is None


def test_load_failure_is_unavailable(engine, monkeypatch):
    def boom(ckpt_dir, device):
        raise RuntimeError("bad file")

    monkeypatch.setattr(FakeChatterboxTTS, "from_local", staticmethod(boom))
    with pytest.raises(EngineUnavailable, match="bad file"):
        engine.load()


# -- synthesis ----------------------------------------------------------------------
def test_builtin_voice_speaks(engine):
    (clip,) = engine.synthesize([SynthesisRequest("Hello there.", "chatterbox-default")])
    assert clip.sample_rate == 24000
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    assert len(clip.samples) == len("Hello there.") * FakeChatterboxTTS.samples_per_char
    assert model_of(engine).generate_calls[0]["voice"] == "builtin"
    assert model_of(engine).prepare_calls == []


def test_params_passed_through(engine):
    params = {"exaggeration": 0.9, "cfg_weight": 0.3, "temperature": 0.7}
    engine.synthesize([SynthesisRequest("Go away!", "chatterbox-default", params)])
    call = model_of(engine).generate_calls[0]
    assert (call["exaggeration"], call["cfg_weight"], call["temperature"]) == (0.9, 0.3, 0.7)


def test_defaults_when_no_params(engine):
    engine.synthesize([SynthesisRequest("Fine.", "chatterbox-default")])
    call = model_of(engine).generate_calls[0]
    assert (call["exaggeration"], call["cfg_weight"], call["temperature"]) == (0.5, 0.5, 0.8)


@pytest.mark.parametrize("bad", [0, 0.0, -1, None, "nan", float("nan")])
def test_cfg_weight_always_positive(engine, bad):
    engine.synthesize([SynthesisRequest("Fine.", "chatterbox-default", {"cfg_weight": bad})])
    assert model_of(engine).generate_calls[0]["cfg_weight"] > 0


def test_out_of_range_params_clamped(engine):
    engine.synthesize(
        [SynthesisRequest("Fine.", "chatterbox-default", {"exaggeration": 9, "temperature": 0})]
    )
    call = model_of(engine).generate_calls[0]
    assert call["exaggeration"] == 2.0 and call["temperature"] > 0


def test_seed_param_seeds_torch(engine, upstream):
    engine.synthesize([SynthesisRequest("Fine.", "chatterbox-default", {"seed": 7})])
    assert upstream.seeds == [7]


def test_reference_voice_conditioning_cached_once(engine, dirs):
    make_voice(dirs[1], "alice")
    make_voice(dirs[1], "bob")
    reqs = [
        SynthesisRequest("One.", "chatterbox-ref-alice", {"exaggeration": 0.3}),
        SynthesisRequest("Two.", "chatterbox-ref-bob"),
        SynthesisRequest("Three.", "chatterbox-ref-alice", {"exaggeration": 1.2}),
        SynthesisRequest("Four.", "chatterbox-default"),
    ]
    engine.synthesize(reqs)
    engine.synthesize(reqs[:2])
    m = model_of(engine)
    assert [os.path.basename(p) for p, _ in m.prepare_calls] == ["alice.wav", "bob.wav"]
    assert [c["voice"] for c in m.generate_calls] == ["alice", "bob", "alice", "builtin", "alice", "bob"]
    assert [c["exaggeration"] for c in m.generate_calls][:3] == [0.3, 0.5, 1.2]
    # generate() mutates model.conds; the cached conditioning is untouched
    assert engine._conds["chatterbox-ref-alice"].t3 == {}
    assert m.generate_calls[0]["conds"] is not engine._conds["chatterbox-ref-alice"]


def test_unknown_voice_fails(engine, dirs):
    with pytest.raises(EngineFailed):
        engine.synthesize([SynthesisRequest("Hi.", "chatterbox-ref-nobody")])
    with pytest.raises(EngineFailed):
        engine.synthesize([SynthesisRequest("Hi.", "espeak-en")])


def test_bad_reference_clip_fails(engine, dirs, monkeypatch):
    make_voice(dirs[1], "alice")

    def broken(self, wav_fpath, exaggeration=0.5):
        raise ValueError("not audio")

    monkeypatch.setattr(FakeChatterboxTTS, "prepare_conditionals", broken)
    with pytest.raises(EngineFailed, match="alice.wav"):
        engine.synthesize([SynthesisRequest("Hi.", "chatterbox-ref-alice")])


def test_empty_line_fails(engine):
    with pytest.raises(EngineFailed):
        engine.synthesize([SynthesisRequest("   ", "chatterbox-default")])


def test_generate_error_becomes_engine_failed(engine, monkeypatch):
    def broken(self, text, **kw):
        raise RuntimeError("CUDA out of memory")

    monkeypatch.setattr(FakeChatterboxTTS, "generate", broken)
    with pytest.raises(EngineFailed, match="out of memory"):
        engine.synthesize([SynthesisRequest("Hi.", "chatterbox-default")])


def test_non_finite_audio_fails(engine, monkeypatch):
    monkeypatch.setattr(FakeChatterboxTTS, "generate", lambda self, text, **kw: np.full((1, 10), np.nan))
    with pytest.raises(EngineFailed, match="no usable audio"):
        engine.synthesize([SynthesisRequest("Hi.", "chatterbox-default")])


def test_long_speech_is_chunked_and_crossfaded(engine):
    sentence = "Now is the winter of our discontent made glorious summer by this sun of York. "
    text = (sentence * 8).strip()
    (clip,) = engine.synthesize([SynthesisRequest(text, "chatterbox-default", {"exaggeration": 0.7})])
    calls = model_of(engine).generate_calls
    assert len(calls) >= 3
    assert all(len(c["text"]) <= 280 for c in calls)
    assert " ".join(c["text"] for c in calls).split() == text.split()
    assert all(c["exaggeration"] == 0.7 for c in calls)
    per_char = FakeChatterboxTTS.samples_per_char
    raw = sum(len(c["text"]) * per_char for c in calls)
    overlap = int(round(24000 * 0.030))
    assert len(clip.samples) == raw - overlap * (len(calls) - 1)


@pytest.mark.parametrize(
    ("value", "dtype", "device"),
    [("bf16", "bfloat16", "cpu"), ("float16", "float16", "cuda"), ("bfloat16", "bfloat16", "cuda:0")],
)
def test_dtype_env_uses_autocast(engine, upstream, monkeypatch, value, dtype, device):
    monkeypatch.setenv(cb.DTYPE_ENV, value)
    monkeypatch.setenv(cb.DEVICE_ENV, device)
    engine.synthesize([SynthesisRequest("Hi.", "chatterbox-default")])
    assert upstream.autocasts == [{"device_type": device.split(":")[0], "dtype": dtype}]


def test_float32_default_has_no_autocast(engine, upstream):
    engine.synthesize([SynthesisRequest("Hi.", "chatterbox-default")])
    assert upstream.autocasts == []


def test_bad_dtype_env_is_unavailable(engine, monkeypatch):
    monkeypatch.setenv(cb.DTYPE_ENV, "int8")
    avail = engine.availability()
    assert not avail.available and cb.DTYPE_ENV in avail.reason


def test_one_call_at_a_time(engine, monkeypatch):
    monkeypatch.setattr(FakeChatterboxTTS, "generate_delay", 0.02)
    engine.load()
    errors = []

    def worker(i):
        try:
            engine.synthesize([SynthesisRequest(f"Line {i}.", "chatterbox-default")])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert model_of(engine).max_active == 1
    assert len(model_of(engine).generate_calls) == 6
    assert len(FakeChatterboxTTS.instances) == 1  # loaded once


def test_to_mono_float32_layouts():
    assert cb.to_mono_float32(np.zeros((1, 5))).shape == (5,)
    assert cb.to_mono_float32(np.zeros((5, 1))).shape == (5,)
    stereo = np.stack([np.ones(4), -np.ones(4)])
    assert np.allclose(cb.to_mono_float32(stereo), 0.0)
    ints = cb.to_mono_float32(np.array([[16384], [-32768]], dtype=np.int16))
    assert ints.dtype == np.float32 and np.allclose(ints, [0.5, -1.0])


# -- real architecture, random weights ---------------------------------------------------
@pytest.fixture(scope="module")
def random_checkpoint(tmp_path_factory):
    pytest.importorskip("torch")
    pytest.importorskip("chatterbox")
    from tts_app.random_checkpoint import build_random_checkpoint

    models = tmp_path_factory.mktemp("random-models")
    build_random_checkpoint(models / "chatterbox", small=True, seed=0, speech_tokens=25)
    return models


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_random_weight_checkpoint_end_to_end(random_checkpoint, tmp_path, monkeypatch, dtype):
    import soundfile as sf

    from tts_app.random_checkpoint import small_t3_config, synthetic_voice

    monkeypatch.setenv(cb.DEVICE_ENV, "cpu")
    monkeypatch.setenv(cb.DTYPE_ENV, dtype)
    voices = tmp_path / "voices"
    voices.mkdir()
    sf.write(str(voices / "narrator.wav"), synthetic_voice(seconds=2.0, f0=200.0), 16000)
    engine = cb.ChatterboxEngine(models_dir=random_checkpoint, voices_dir=voices)
    assert engine.availability().available, engine.availability().reason
    with small_t3_config():
        engine.load()
    reqs = [
        SynthesisRequest("Hello there.", "chatterbox-default", {"exaggeration": 0.8, "cfg_weight": 0}),
        SynthesisRequest("Who goes there?", "chatterbox-ref-narrator", {"temperature": 0.6}),
    ]
    clips = engine.synthesize(reqs)
    for clip in clips:
        assert clip.sample_rate == 24000
        assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
        # 25 speech tokens per chunk = one second of audio
        assert len(clip.samples) == 24000
        assert np.all(np.isfinite(clip.samples)) and np.abs(clip.samples).max() <= 1.0
        assert np.abs(clip.samples).max() > 0
    assert list(engine._conds) == ["chatterbox-ref-narrator"]
    engine.unload()


@pytest.fixture
def real_engine(random_checkpoint, tmp_path, monkeypatch):
    """ChatterboxEngine on the random-weight checkpoint, one line per call (the plain path)."""
    from tts_app.random_checkpoint import small_t3_config

    def make(dtype="float32"):
        monkeypatch.setenv(cb.DEVICE_ENV, "cpu")
        monkeypatch.setenv(cb.DTYPE_ENV, dtype)
        monkeypatch.setenv(cb.BATCH_ENV, "1")
        engine = cb.ChatterboxEngine(models_dir=random_checkpoint, voices_dir=tmp_path / "voices")
        with small_t3_config():
            engine.load()
        return engine

    return make


def test_single_line_speaks_exactly_what_upstream_generate_says(real_engine):
    import copy

    import torch

    engine = real_engine()
    params = {"exaggeration": 1.3, "cfg_weight": 0.3, "temperature": 0.7, "seed": 11}
    (clip,) = engine.synthesize([SynthesisRequest("Who goes there?", cb.DEFAULT_VOICE_ID, params)])
    assert engine._fast is None  # one line: the plain path, upstream generate()
    builtin = engine._builtin_conds
    assert float(builtin.t3.emotion_adv.flatten()[0]) == 0.5  # the cached voice kept its own setting
    model = engine._model
    model.conds = copy.copy(builtin)
    torch.manual_seed(11)
    wav = model.generate("Who goes there?", exaggeration=1.3, cfg_weight=0.3, temperature=0.7)
    np.testing.assert_allclose(clip.samples, np.clip(wav.squeeze(0).numpy(), -1, 1), atol=1e-6)
    engine.unload()


def test_reduced_precision_runs_only_the_token_model_under_autocast(real_engine):
    import torch

    engine = real_engine("bfloat16")
    model = engine._model
    seen = {}

    def record(name):
        def hook(module, args):
            seen[name] = (torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"))

        return hook

    handles = [
        model.t3.tfmr.register_forward_pre_hook(record("t3")),
        model.s3gen.mel2wav.conv_pre.register_forward_pre_hook(record("vocoder")),
    ]
    try:
        (clip,) = engine.synthesize([SynthesisRequest("Hello there.", cb.DEFAULT_VOICE_ID, {"seed": 1})])
    finally:
        for h in handles:
            h.remove()
    assert seen["t3"] == (True, torch.bfloat16)
    assert seen["vocoder"][0] is False
    assert engine.version().endswith("-bfloat16")
    assert len(clip.samples) == 24000 and np.all(np.isfinite(clip.samples)) and np.abs(clip.samples).max() > 0
    engine.unload()
