"""IndexTTS2Engine through real upstream IndexTTS2 code on the CPU, with a
random-weight checkpoint built offline (tts_app.indextts_checkpoint).

Runs where torch and an ``indextts`` distribution are installed (the
``.venv-indextts`` environment of .ci/neural); skipped elsewhere. Every clip
costs ~15 s on two CPU cores, so the engine is loaded once per module and
each test speaks as few lines as it can.
"""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest

if importlib.util.find_spec("torch") is None or importlib.util.find_spec("indextts") is None:
    pytest.skip("needs torch and an indextts distribution (.ci/neural)", allow_module_level=True)
import torch  # noqa: E402

from tts_app.engines import indextts as ix  # noqa: E402
from tts_app.engines.base import EngineFailed, EngineUnavailable, SynthesisRequest  # noqa: E402

SILENCE = int(22050 * 200 / 1000)  # upstream puts 200 ms between a line's text segments
LONG = (
    "Now is the winter of our discontent made glorious summer by this sun of York, and all the clouds "
    "that loured upon our house in the deep bosom of the ocean buried. Now are our brows bound with "
    "victorious wreaths, our bruised arms hung up for monuments, our stern alarums changed to merry "
    "meetings, our dreadful marches to delightful measures. Grim-visaged war hath smoothed his wrinkled "
    "front, and now, instead of mounting barbed steeds to fright the souls of fearful adversaries, he "
    "capers nimbly in a lady's chamber to the lascivious pleasing of a lute."
)
SAD = [0.0, 0.0, 0.7, 0.0, 0.0, 0.2, 0.0, 0.0]
HAPPY = [0.8, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.0]


@pytest.fixture(scope="module")
def cpu():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RUNTHRU_TTS_DEVICE", "cpu")
        mp.delenv(ix.FP16_ENV, raising=False)
        yield mp


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    from tts_app.indextts_checkpoint import build_random_checkpoint

    models = tmp_path_factory.mktemp("ix-models")
    build_random_checkpoint(models / "index-tts", seed=0, codes=12)
    return models


@pytest.fixture(scope="module")
def voices(tmp_path_factory):
    import soundfile as sf

    from tts_app.random_checkpoint import synthetic_voice

    d = tmp_path_factory.mktemp("ix-voices")
    sf.write(str(d / "alice.wav"), synthetic_voice(seconds=2.0, sample_rate=24000, f0=210.0), 24000)
    sf.write(str(d / "bob.wav"), synthetic_voice(seconds=1.5, sample_rate=16000, f0=110.0), 16000)
    return d


@pytest.fixture(scope="module")
def engine(cpu, checkpoint, voices):
    eng = ix.IndexTTS2Engine(models_dir=checkpoint, voices_dir=voices)
    eng.load()
    yield eng
    eng.unload()


def speak(engine, text, voice="indextts2-ref-alice", seed=0, **params):
    torch.manual_seed(seed)  # upstream always samples; a seed makes two calls comparable
    (clip,) = engine.synthesize([SynthesisRequest(text, voice, params)])
    return clip


def segments(engine, text) -> int:
    tok = engine._model.tokenizer
    return len(tok.split_segments(tok.tokenize(" ".join(text.split())), 120))


def test_the_random_checkpoint_loads_offline_in_real_upstream_code(engine):
    from indextts.infer_v2 import IndexTTS2

    assert engine.availability().available
    assert type(engine._model) is IndexTTS2  # the real class, not a stand-in
    assert engine._model.device == "cpu"
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert engine.version().startswith("indextts2-") and not engine.version().endswith("-fp16")
    assert [v.id for v in engine.voices()] == ["indextts2-ref-alice", "indextts2-ref-bob"]


def test_a_line_becomes_finite_22khz_audio_of_the_rigged_length(engine):
    clip = speak(engine, "  Who goes   there? ")
    assert clip.sample_rate == 22050
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    assert np.all(np.isfinite(clip.samples)) and 0 < np.abs(clip.samples).max() <= 1.0
    # 12 codes per segment -> about 20 mel frames of 256 samples
    assert 15 * 256 <= len(clip.samples) <= 22 * 256


def test_a_batch_comes_back_in_request_order_with_distinct_clips(engine):
    medium = LONG[: len(LONG) // 2]
    texts = [LONG, "Hi.", medium]
    counts = [segments(engine, t) for t in texts]
    assert counts[0] > counts[2] > counts[1] == 1  # the lines' lengths tell them apart
    calls = []
    real_infer = engine._model.infer

    def recording_infer(**kw):
        calls.append((kw["spk_audio_prompt"].rsplit("/", 1)[-1], kw["text"][:10]))
        return real_infer(**kw)

    engine._model.infer = recording_infer
    try:
        torch.manual_seed(0)
        clips = engine.synthesize(
            [
                SynthesisRequest(texts[0], "indextts2-ref-alice"),
                SynthesisRequest(texts[1], "indextts2-ref-bob"),
                SynthesisRequest(texts[2], "indextts2-ref-alice", {"emo_vector": SAD}),
            ]
        )
    finally:
        del engine._model.infer
    # upstream caches one speaker prompt: the engine speaks alice's lines together
    assert [c[0] for c in calls] == ["alice.wav", "alice.wav", "bob.wav"]
    one = len(clips[1].samples)
    assert [len(c.samples) for c in clips] == [n * one + (n - 1) * SILENCE for n in counts]
    assert not np.array_equal(clips[0].samples[:one], clips[2].samples[:one])


def test_emotion_vectors_and_voices_change_the_audio(engine):
    line = "I told you so."
    bob = speak(engine, line, voice="indextts2-ref-bob")
    # Upstream draws random numbers while it reads a new voice prompt, so a voice's
    # first line is a warm-up; the lines after it are comparable under one seed.
    speak(engine, line)
    sad = speak(engine, line, emo_vector=SAD, emo_alpha=1.0)
    happy = speak(engine, line, emo_vector=HAPPY, emo_alpha=1.0)
    plain = speak(engine, line)
    muted = speak(engine, line, emo_vector=HAPPY, emo_alpha=0.0)
    np.testing.assert_allclose(muted.samples, plain.samples, atol=1e-6)  # emo_alpha 0 switches the vector off
    assert not np.allclose(sad.samples, happy.samples, atol=1e-4)
    assert not np.allclose(sad.samples, plain.samples, atol=1e-4)
    assert len(bob.samples) == len(plain.samples) and not np.allclose(bob.samples, plain.samples, atol=1e-4)


@pytest.mark.parametrize("bad", [[0.1] * 7, [float("nan")] * 8, ["sad"] * 8])
def test_a_bad_emotion_vector_is_refused_before_upstream_runs(engine, bad):
    with pytest.raises(EngineFailed, match="emo_vector"):
        speak(engine, "Hello.", emo_vector=bad)


def test_unusable_voice_clips_and_lines_fail_with_a_reason(engine, voices):
    (voices / "broken.wav").write_bytes(b"RIFF not really a wave file")
    try:
        with pytest.raises(EngineFailed, match="IndexTTS2 failed on 'Hello.'"):
            speak(engine, "Hello.", voice="indextts2-ref-broken")
    finally:
        (voices / "broken.wav").unlink()
    with pytest.raises(EngineFailed, match="no voice"):
        speak(engine, "Hello.", voice="indextts2-ref-nobody")
    with pytest.raises(EngineFailed, match="empty line"):
        speak(engine, "   ")
    # the engine still works afterwards
    assert speak(engine, "Hello.").samples.size > 0


def test_fp16_flag_reaches_upstream_which_keeps_float32_on_cpu(cpu, checkpoint, voices):
    cpu.setenv(ix.FP16_ENV, "1")
    try:
        eng = ix.IndexTTS2Engine(models_dir=checkpoint, voices_dir=voices)
        assert eng.version().endswith("-fp16")  # cached audio is kept apart
        eng.load()
        assert eng._model.use_fp16 is False and eng._model.dtype is None  # upstream: no fp16 on CPU
        eng.unload()
    finally:
        cpu.delenv(ix.FP16_ENV)


def test_a_damaged_checkpoint_is_reported_as_unavailable(cpu, checkpoint, voices, tmp_path):
    broken = tmp_path / "models" / "index-tts"
    broken.mkdir(parents=True)
    for item in (checkpoint / "index-tts").iterdir():
        (broken / item.name).symlink_to(item)
    (broken / "gpt.pth").unlink()
    (broken / "gpt.pth").write_bytes(b"not a checkpoint")
    eng = ix.IndexTTS2Engine(models_dir=tmp_path / "models", voices_dir=voices)
    assert eng.availability().available  # the files are there...
    with pytest.raises(EngineUnavailable, match="could not load"):
        eng.load()  # ...but upstream cannot read them


def test_a_release_that_always_loads_the_emotion_text_model_needs_its_folder(cpu, checkpoint, voices, tmp_path):
    import inspect

    from indextts.infer_v2 import IndexTTS2

    if "use_qwen_emo" in inspect.signature(IndexTTS2).parameters:
        pytest.skip("this release can leave the emotion-text model out")
    partial = tmp_path / "models" / "index-tts"
    partial.mkdir(parents=True)
    for item in (checkpoint / "index-tts").iterdir():
        if item.name != ix.QWEN_DIR:
            (partial / item.name).symlink_to(item)
    eng = ix.IndexTTS2Engine(models_dir=tmp_path / "models", voices_dir=voices)
    with pytest.raises(EngineUnavailable, match=ix.QWEN_DIR):
        eng.load()
