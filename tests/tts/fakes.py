"""Fakes of the upstream model classes the neural engines drive.

They mirror the signatures of chatterbox-tts 0.1.7 ``ChatterboxTTS`` and
``indextts.infer_v2.IndexTTS2`` (release v2.5.0) and record every call, so
the adapters can be tested without torch or weights.
"""

from __future__ import annotations

import contextlib
import threading
import time
import types
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

CHATTERBOX_FILES = ("ve.safetensors", "t3_cfg.safetensors", "s3gen.safetensors", "tokenizer.json", "conds.pt")
INDEXTTS_FILES = (
    "config.yaml",
    "gpt.pth",
    "s2mel.pth",
    "bpe.model",
    "wav2vec2bert_stats.pt",
    "feat1.pt",
    "feat2.pt",
    "hf_cache/w2v-bert-2.0/config.json",
    "hf_cache/w2v-bert-2.0/preprocessor_config.json",
    "hf_cache/w2v-bert-2.0/model.safetensors",
    "hf_cache/semantic_codec_model.safetensors",
    "hf_cache/campplus_cn_common.bin",
    "hf_cache/bigvgan/config.json",
    "hf_cache/bigvgan/bigvgan_generator.pt",
)
QWEN_FILES = ("qwen0.6bemo4-merge/config.json",)


def make_weights(directory: Path, names=CHATTERBOX_FILES) -> Path:
    for name in names:
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"fake weights for " + name.encode())
    return directory


def make_voice(voices_dir: Path, stem: str, seconds: float = 0.2, sr: int = 24000) -> Path:
    import soundfile as sf

    voices_dir.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * sr)) / sr
    path = voices_dir / f"{stem}.wav"
    sf.write(str(path), (0.3 * np.sin(2 * np.pi * 150 * t)).astype(np.float32), sr)
    return path


class FakeTensor:
    """Just enough of torch.Tensor for the adapters' output handling."""

    def __init__(self, array: np.ndarray) -> None:
        self._a = np.asarray(array)

    @property
    def shape(self):
        return self._a.shape

    def detach(self):
        return self

    def cpu(self):
        return self

    def is_floating_point(self) -> bool:
        return self._a.dtype.kind == "f"

    def float(self):
        return FakeTensor(self._a.astype(np.float32))

    def squeeze(self, dim=None):
        return FakeTensor(self._a.squeeze(dim))

    def numpy(self):
        return self._a


class FakeTorch:
    """Records the torch calls the adapters make (autocast, seeds, cuda)."""

    def __init__(self, cuda: bool = False) -> None:
        self.autocasts: list[dict] = []
        self.seeds: list[int] = []
        self.bfloat16, self.float16, self.float32 = "bfloat16", "float16", "float32"
        self.cuda = types.SimpleNamespace(is_available=lambda: cuda, empty_cache=lambda: None)

    @contextlib.contextmanager
    def autocast(self, device_type, dtype=None, **kwargs):
        self.autocasts.append({"device_type": device_type, "dtype": dtype})
        yield

    def manual_seed(self, seed):
        self.seeds.append(seed)


@dataclass
class FakeConditionals:
    voice: str
    exaggeration: float
    t3: dict = field(default_factory=dict)


class FakeChatterboxTTS:
    """Signatures of chatterbox-tts 0.1.7 ChatterboxTTS."""

    instances: list[FakeChatterboxTTS] = []
    samples_per_char = 100
    generate_delay = 0.0

    def __init__(self, ckpt_dir, device) -> None:
        self.sr = 24000
        self.ckpt_dir = Path(ckpt_dir)
        self.device = device
        self.conds = FakeConditionals("builtin", 0.5) if (self.ckpt_dir / "conds.pt").exists() else None
        self.t3 = types.SimpleNamespace(inference=self._t3_inference)
        self.prepare_calls: list[tuple[str, float]] = []
        self.generate_calls: list[dict] = []
        self.active = 0
        self.max_active = 0
        self._guard = threading.Lock()

    def _t3_inference(self, **kwargs):
        return [1, 2, 3]

    @classmethod
    def from_local(cls, ckpt_dir, device) -> FakeChatterboxTTS:
        inst = cls(ckpt_dir, device)
        cls.instances.append(inst)
        return inst

    def prepare_conditionals(self, wav_fpath, exaggeration=0.5):
        self.prepare_calls.append((str(wav_fpath), exaggeration))
        self.conds = FakeConditionals(Path(wav_fpath).stem, exaggeration)

    def generate(
        self,
        text,
        repetition_penalty=1.2,
        min_p=0.05,
        top_p=1.0,
        audio_prompt_path=None,
        exaggeration=0.5,
        cfg_weight=0.5,
        temperature=0.8,
    ):
        with self._guard:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            assert self.conds is not None, "Please `prepare_conditionals` first"
            if cfg_weight <= 0:
                raise RuntimeError("upstream crashes with cfg_weight=0")
            self.generate_calls.append(
                dict(
                    text=text,
                    exaggeration=exaggeration,
                    cfg_weight=cfg_weight,
                    temperature=temperature,
                    voice=self.conds.voice,
                    conds=self.conds,
                )
            )
            self.t3.inference(t3_cond=self.conds.t3, text_tokens=text)
            # Like upstream, a changed exaggeration replaces conds.t3 on the object.
            self.conds.t3 = {"emotion_adv": exaggeration}
            if self.generate_delay:
                time.sleep(self.generate_delay)
            n = max(1, len(text)) * self.samples_per_char
            return FakeTensor(np.full((1, n), 0.25, dtype=np.float32))
        finally:
            with self._guard:
                self.active -= 1


class FakeIndexTTS2:
    """Signatures of indextts.infer_v2.IndexTTS2 (v2.5.0)."""

    instances: list[FakeIndexTTS2] = []

    def __init__(
        self,
        cfg_path="checkpoints/config.yaml",
        model_dir="checkpoints",
        use_fp16=False,
        device=None,
        use_cuda_kernel=None,
        use_deepspeed=False,
        use_accel=False,
        use_torch_compile=False,
        use_qwen_emo=True,
        aux_paths=None,
    ) -> None:
        if aux_paths is None:
            raise AssertionError("would download auxiliary models")
        self.kwargs = dict(
            cfg_path=cfg_path,
            model_dir=model_dir,
            use_fp16=use_fp16,
            device=device,
            use_cuda_kernel=use_cuda_kernel,
            use_deepspeed=use_deepspeed,
            use_qwen_emo=use_qwen_emo,
            aux_paths=aux_paths,
        )
        self.infer_calls: list[dict] = []
        FakeIndexTTS2.instances.append(self)

    def infer(
        self,
        spk_audio_prompt,
        text,
        output_path,
        emo_audio_prompt=None,
        emo_alpha=1.0,
        emo_vector=None,
        use_emo_text=False,
        emo_text=None,
        use_random=False,
        interval_silence=200,
        verbose=False,
        max_text_tokens_per_segment=120,
        stream_return=False,
        more_segment_before=0,
        **generation_kwargs,
    ):
        self.infer_calls.append(
            dict(
                spk_audio_prompt=spk_audio_prompt,
                text=text,
                output_path=output_path,
                emo_vector=emo_vector,
                emo_alpha=emo_alpha,
                use_emo_text=use_emo_text,
                use_random=use_random,
            )
        )
        n = 22050 // 10
        wav = np.full((1, n), 16384, dtype=np.int16)
        return (22050, wav.T)  # upstream: (sampling_rate, int16 array of shape (N, 1))


class NoAuxFakeIndexTTS2:
    """Signatures of PyPI's tts-webui-index-tts 2.0.1: no aux_paths, no use_qwen_emo.

    That release asks the Hugging Face hub (offline: its cache) for the helper
    models, so the fake records which cache it would read at construction."""

    instances: list[NoAuxFakeIndexTTS2] = []

    def __init__(
        self, cfg_path="checkpoints/config.yaml", model_dir="checkpoints", use_fp16=False, device=None,
        use_cuda_kernel=None, use_deepspeed=False,
    ) -> None:
        import os

        self.kwargs = dict(cfg_path=cfg_path, model_dir=model_dir, use_fp16=use_fp16, device=device)
        self.hub_cache = os.environ.get("HF_HUB_CACHE")
        NoAuxFakeIndexTTS2.instances.append(self)


class OldFakeIndexTTS2:
    """A release whose constructor has no aux_paths (it would download at start-up)."""

    def __init__(
        self,
        cfg_path="checkpoints/config.yaml",
        model_dir="checkpoints",
        use_fp16=False,
        device=None,
        use_cuda_kernel=None,
        use_deepspeed=False,
        use_accel=False,
        use_torch_compile=False,
    ) -> None:
        raise AssertionError("must not be constructed")
