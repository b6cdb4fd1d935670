"""IndexTTS2Engine against fakes of indextts.infer_v2.IndexTTS2 (no torch, no GPU, no weights)."""

from __future__ import annotations

import os
import types

import numpy as np
import pytest

from tts_app.engines import indextts as ix
from tts_app.engines.base import EngineFailed, EngineUnavailable, SynthesisRequest

try:
    from tests.tts import fakes
except ImportError:  # tests/ not importable as a package
    import fakes

INDEXTTS_FILES, FakeIndexTTS2, FakeTorch = fakes.INDEXTTS_FILES, fakes.FakeIndexTTS2, fakes.FakeTorch
OldFakeIndexTTS2, make_voice, make_weights = fakes.OldFakeIndexTTS2, fakes.make_voice, fakes.make_weights
NoAuxFakeIndexTTS2 = fakes.NoAuxFakeIndexTTS2


@pytest.fixture
def dirs(tmp_path):
    return tmp_path / "models", tmp_path / "voices"


@pytest.fixture
def installed(monkeypatch):
    FakeIndexTTS2.instances = []
    monkeypatch.setattr(ix, "module_installed", lambda name: True)
    monkeypatch.setattr(ix, "_cuda_available", lambda: True)
    monkeypatch.setattr(ix, "distribution_name", lambda: "indextts")  # the fakes mirror the official release
    monkeypatch.setattr(
        ix, "_import_upstream", lambda: (ix.go_offline(), types.SimpleNamespace(
            IndexTTS2=FakeIndexTTS2, torch=FakeTorch(cuda=True)))[1]
    )
    monkeypatch.delenv(ix.FP16_ENV, raising=False)
    monkeypatch.delenv("RUNTHRU_TTS_DEVICE", raising=False)


@pytest.fixture
def engine(dirs, installed):
    models, voices = dirs
    make_weights(models / "index-tts", INDEXTTS_FILES)
    make_voice(voices, "alice")
    make_voice(voices, "bob")
    return ix.IndexTTS2Engine(models_dir=models, voices_dir=voices)


def model_of(engine) -> FakeIndexTTS2:
    return engine._model


# -- availability -------------------------------------------------------------
def test_not_installed(dirs, monkeypatch):
    monkeypatch.setattr(ix, "module_installed", lambda name: False)
    avail = ix.IndexTTS2Engine(*dirs).availability()
    assert not avail.available
    assert avail.reason.startswith("IndexTTS2 isn't set up on this computer yet. A parent can add it")


def test_no_gpu(dirs, installed, monkeypatch):
    monkeypatch.setattr(ix, "_cuda_available", lambda: False)
    avail = ix.IndexTTS2Engine(*dirs).availability()
    assert not avail.available
    assert avail.reason == "IndexTTS2 needs an NVIDIA graphics card"


def test_weights_missing(dirs, installed):
    avail = ix.IndexTTS2Engine(*dirs).availability()
    assert not avail.available
    assert avail.reason.startswith("IndexTTS2 weights are missing: put them in ")
    assert str(dirs[0] / "index-tts") in avail.reason


def test_auxiliary_model_missing(dirs, installed):
    models, voices = dirs
    make_weights(models / "index-tts", INDEXTTS_FILES)
    make_voice(voices, "alice")
    (models / "index-tts" / "hf_cache" / "campplus_cn_common.bin").unlink()
    avail = ix.IndexTTS2Engine(models, voices).availability()
    assert not avail.available and "campplus_cn_common.bin" in avail.reason


def test_needs_a_voice_clip(dirs, installed):
    models, voices = dirs
    make_weights(models / "index-tts", INDEXTTS_FILES)
    avail = ix.IndexTTS2Engine(models, voices).availability()
    assert not avail.available
    assert avail.reason == "IndexTTS2 needs at least one voice clip; upload one in the admin"


def test_available(engine):
    assert engine.availability().available


def test_cuda_check_without_torch(monkeypatch):
    ix._cuda_available.cache_clear()
    monkeypatch.setattr(ix, "module_installed", lambda name: False)
    try:
        assert ix._cuda_available() is False
    finally:
        ix._cuda_available.cache_clear()


# -- description ----------------------------------------------------------------
def test_voices_are_reference_clips(engine):
    assert [v.id for v in engine.voices()] == ["indextts2-ref-alice", "indextts2-ref-bob"]
    assert engine.voices()[0].name == "Alice" and engine.voices()[0].engine == "indextts2"


def test_capabilities_and_version(engine, monkeypatch):
    caps = engine.capabilities()
    assert caps.emotion_vector and caps.voice_cloning and caps.sample_rate == 22050
    v = engine.version()
    assert v.startswith("indextts2-")
    (engine.weights_dir / "gpt.pth").write_bytes(b"new gpt")
    assert engine.version() != v
    monkeypatch.setenv(ix.FP16_ENV, "1")
    assert engine.version().endswith("-fp16")


# -- loading ----------------------------------------------------------------------
def test_load_offline_with_local_aux_paths(engine, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    engine.load()
    kw = model_of(engine).kwargs
    wd = engine.weights_dir
    assert kw["cfg_path"] == str(wd / "config.yaml")
    assert kw["model_dir"] == str(wd)
    assert kw["use_fp16"] is False
    assert kw["device"] == "cuda:0"
    assert kw["use_qwen_emo"] is False
    assert kw["aux_paths"] == {
        "w2v_bert": str(wd / "hf_cache" / "w2v-bert-2.0"),
        "semantic_codec": str(wd / "hf_cache" / "semantic_codec_model.safetensors"),
        "campplus": str(wd / "hf_cache" / "campplus_cn_common.bin"),
        "bigvgan": str(wd / "hf_cache" / "bigvgan"),
    }
    for path in kw["aux_paths"].values():
        assert os.path.exists(path)
    assert os.environ["HF_HUB_OFFLINE"] == "1"


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("true", True), ("0", False), ("", False)])
def test_fp16_flag(engine, monkeypatch, value, expected):
    monkeypatch.setenv(ix.FP16_ENV, value)
    engine.load()
    assert model_of(engine).kwargs["use_fp16"] is expected


def test_device_env(engine, monkeypatch):
    monkeypatch.setenv("RUNTHRU_TTS_DEVICE", "cuda:1")
    engine.load()
    assert model_of(engine).kwargs["device"] == "cuda:1"


def use_release(monkeypatch, cls):
    monkeypatch.setattr(ix, "_import_upstream", lambda: types.SimpleNamespace(IndexTTS2=cls, torch=FakeTorch()))


def test_release_without_aux_paths_needs_the_emotion_text_model_folder(engine, monkeypatch):
    use_release(monkeypatch, OldFakeIndexTTS2)  # it would also load qwen0.6bemo4-merge/, which is missing
    with pytest.raises(EngineUnavailable, match="put the qwen0.6bemo4-merge folder"):
        engine.load()


def test_release_without_aux_paths_reads_helper_models_through_a_hub_cache_view(engine, monkeypatch, tmp_path):
    make_weights(engine.weights_dir, fakes.QWEN_FILES)
    monkeypatch.setattr(ix.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    use_release(monkeypatch, NoAuxFakeIndexTTS2)
    engine.load()
    model = engine._model
    assert model.kwargs["model_dir"] == str(engine.weights_dir) and model.kwargs["use_fp16"] is False
    view = tmp_path / "tmp" / os.path.basename(model.hub_cache)
    assert model.hub_cache == str(view)
    codec = view / "models--amphion--MaskGCT" / "snapshots" / ix._VIEW_REVISION / "semantic_codec" / "model.safetensors"
    assert codec.read_bytes() == (engine.weights_dir / "hf_cache" / "semantic_codec_model.safetensors").read_bytes()
    assert (view / "models--amphion--MaskGCT" / "refs" / "main").read_text() == ix._VIEW_REVISION
    assert "HF_HUB_CACHE" not in os.environ  # set only while upstream loads


def test_hub_view_names_every_helper_file_as_the_hub_does(tmp_path):
    weights = make_weights(tmp_path / "index-tts", INDEXTTS_FILES)
    view = ix.hub_view(weights, tmp_path / "view")
    assert ix.hub_view(weights, tmp_path / "view") == view  # rebuilding is harmless
    for rel, (repo, filename) in ix.HUB_FILES.items():
        link = view / f"models--{repo.replace('/', '--')}" / "snapshots" / ix._VIEW_REVISION / filename
        assert link.resolve() == (weights / rel).resolve()
    assert sorted(ix.HUB_FILES) == sorted(ix.AUX_FILES)


def test_unknown_release_refused(engine, monkeypatch):
    class Strange:
        def __init__(self, checkpoint_dir):
            raise AssertionError("must not be constructed")

    use_release(monkeypatch, Strange)
    with pytest.raises(EngineUnavailable, match="not one RunThru knows"):
        engine.load()


def test_cpu_device_runs_without_a_gpu(dirs, installed, monkeypatch):
    monkeypatch.setattr(ix, "_cuda_available", lambda: False)
    monkeypatch.setenv("RUNTHRU_TTS_DEVICE", "cpu")
    models, voices = dirs
    make_weights(models / "index-tts", INDEXTTS_FILES)
    make_voice(voices, "alice")
    assert ix.IndexTTS2Engine(models, voices).availability().available


def test_load_failure_is_unavailable(engine, monkeypatch):
    class Broken(FakeIndexTTS2):
        def __init__(self, cfg_path, model_dir, use_fp16=False, device=None, use_qwen_emo=True, aux_paths=None):
            raise RuntimeError("CUDA error")

    monkeypatch.setattr(
        ix, "_import_upstream", lambda: types.SimpleNamespace(IndexTTS2=Broken, torch=FakeTorch())
    )
    with pytest.raises(EngineUnavailable, match="CUDA error"):
        engine.load()


# -- synthesis ----------------------------------------------------------------------
def test_emotion_passed_exactly(engine):
    vec = [0.1, 0.0, 0.55, 0.0, 0.0, 0.2, 0.0, 0.05]
    (clip,) = engine.synthesize(
        [SynthesisRequest("  I  told you so.", "indextts2-ref-alice", {"emo_vector": vec, "emo_alpha": 0.65})]
    )
    (call,) = model_of(engine).infer_calls
    assert call["emo_vector"] == vec
    assert call["emo_alpha"] == 0.65
    assert call["use_emo_text"] is False
    assert call["output_path"] is None
    assert call["text"] == "I told you so."
    assert call["spk_audio_prompt"] == str(engine.voices_dir / "alice.wav")
    assert clip.sample_rate == 22050
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    assert np.allclose(clip.samples, 0.5)


def test_no_emotion_params(engine):
    engine.synthesize([SynthesisRequest("Hello.", "indextts2-ref-bob")])
    (call,) = model_of(engine).infer_calls
    assert call["emo_vector"] is None and call["emo_alpha"] == 1.0


@pytest.mark.parametrize("bad", [[0.1] * 7, [0.1] * 9, [float("nan")] * 8, ["sad"] * 8, 3])
def test_bad_emo_vector_fails(engine, bad):
    with pytest.raises(EngineFailed, match="emo_vector"):
        engine.synthesize([SynthesisRequest("Hello.", "indextts2-ref-bob", {"emo_vector": bad})])


@pytest.mark.parametrize("bad", ["loud", None, float("inf")])
def test_bad_emo_alpha_fails(engine, bad):
    with pytest.raises(EngineFailed, match="emo_alpha"):
        engine.synthesize([SynthesisRequest("Hello.", "indextts2-ref-bob", {"emo_alpha": bad})])


def test_one_line_per_call_grouped_by_voice_in_order(engine):
    reqs = [
        SynthesisRequest("One.", "indextts2-ref-bob"),
        SynthesisRequest("Two.", "indextts2-ref-alice"),
        SynthesisRequest("Three.", "indextts2-ref-bob"),
    ]
    clips = engine.synthesize(reqs)
    assert len(clips) == 3
    calls = model_of(engine).infer_calls
    assert [c["text"] for c in calls] == ["Two.", "One.", "Three."]


def test_unknown_voice_and_empty_line_fail(engine):
    with pytest.raises(EngineFailed):
        engine.synthesize([SynthesisRequest("Hi.", "indextts2-ref-nobody")])
    with pytest.raises(EngineFailed):
        engine.synthesize([SynthesisRequest(" ", "indextts2-ref-bob")])


def test_infer_error_and_no_audio_fail(engine, monkeypatch):
    engine.load()

    def broken(**kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(model_of(engine), "infer", broken)
    with pytest.raises(EngineFailed, match="boom"):
        engine.synthesize([SynthesisRequest("Hi.", "indextts2-ref-bob")])
    monkeypatch.setattr(model_of(engine), "infer", lambda **kw: None)
    with pytest.raises(EngineFailed, match="no audio"):
        engine.synthesize([SynthesisRequest("Hi.", "indextts2-ref-bob")])


def test_unload(engine):
    engine.load()
    engine.unload()
    assert not engine.loaded and engine._model is None
