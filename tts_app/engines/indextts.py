"""IndexTTS2 (bilibili, ``indextts.infer_v2.IndexTTS2``) as a RunThru engine.

Optional and GPU only: needs a distribution of the ``indextts`` package (the
official v2.5.0 source release, or PyPI's ``tts-webui.index-tts``; see
docs/neural-engines.md), an NVIDIA GPU, the IndexTTS-2 checkpoint in
``<data>/models/index-tts`` and its auxiliary models pre-placed under
``<data>/models/index-tts/hf_cache``. Nothing is downloaded at run time: the
hub is switched offline, and the auxiliary models are either handed to the
constructor (``aux_paths``, official v2.5.0) or, for distributions without
``aux_paths``, found through a read-only Hugging Face cache view of the same
files (``hub_view``).

IndexTTS2 always clones a reference clip, so its voices are the uploaded
``*.wav`` clips in ``<data>/voices``. Emotion arrives as ``emo_vector`` (8 floats:
happy, angry, sad, afraid, disgusted, melancholic, surprised, calm) and
``emo_alpha`` in ``SynthesisRequest.params``, and is passed through unchanged.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import os
import sys
import tempfile
import types
from pathlib import Path

import numpy as np

from .base import (
    Availability,
    Capabilities,
    Clip,
    EngineFailed,
    EngineUnavailable,
    SynthesisRequest,
    Voice,
)
from .chatterbox import (
    TORCH_INSTALL,
    LocalWeightsEngine,
    checkpoint_digest,
    go_offline,
    module_installed,
    package_version,
    reference_clips,
    to_mono_float32,
    voice_label,
)
from .env import engine_env

REF_PREFIX = "indextts2-ref-"
INDEXTTS_INSTALL = (
    'pip install -e ".[indextts]" -c constraints/indextts.txt && pip install --no-deps tts-webui-index-tts==2.0.1'
)
SAMPLE_RATE = 22050
FP16_ENV = "RUNTHRU_INDEXTTS_FP16"
EMOTIONS = ("happy", "angry", "sad", "afraid", "disgusted", "melancholic", "surprised", "calm")

# The IndexTeam/IndexTTS-2 checkpoint (names from its config.yaml).
WEIGHT_FILES = (
    "config.yaml",
    "gpt.pth",
    "s2mel.pth",
    "bpe.model",
    "wav2vec2bert_stats.pt",
    "feat1.pt",
    "feat2.pt",
)
# Auxiliary models, in the flat layout of indextts.utils.model_download.ensure_models_available.
AUX_PATHS = {
    "w2v_bert": "hf_cache/w2v-bert-2.0",
    "semantic_codec": "hf_cache/semantic_codec_model.safetensors",
    "campplus": "hf_cache/campplus_cn_common.bin",
    "bigvgan": "hf_cache/bigvgan",
}
AUX_FILES = (
    "hf_cache/w2v-bert-2.0/config.json",
    "hf_cache/w2v-bert-2.0/preprocessor_config.json",
    "hf_cache/w2v-bert-2.0/model.safetensors",
    "hf_cache/semantic_codec_model.safetensors",
    "hf_cache/campplus_cn_common.bin",
    "hf_cache/bigvgan/config.json",
    "hf_cache/bigvgan/bigvgan_generator.pt",
)
# Where each auxiliary file comes from on the Hugging Face hub (repository, file): the
# names distributions without aux_paths ask the hub cache for.
HUB_FILES = {
    "hf_cache/w2v-bert-2.0/config.json": ("facebook/w2v-bert-2.0", "config.json"),
    "hf_cache/w2v-bert-2.0/preprocessor_config.json": ("facebook/w2v-bert-2.0", "preprocessor_config.json"),
    "hf_cache/w2v-bert-2.0/model.safetensors": ("facebook/w2v-bert-2.0", "model.safetensors"),
    "hf_cache/semantic_codec_model.safetensors": ("amphion/MaskGCT", "semantic_codec/model.safetensors"),
    "hf_cache/campplus_cn_common.bin": ("funasr/campplus", "campplus_cn_common.bin"),
    "hf_cache/bigvgan/config.json": ("nvidia/bigvgan_v2_22khz_80band_256x", "config.json"),
    "hf_cache/bigvgan/bigvgan_generator.pt": ("nvidia/bigvgan_v2_22khz_80band_256x", "bigvgan_generator.pt"),
}
# Distributions without use_qwen_emo always load the emotion-text model from here.
QWEN_DIR = "qwen0.6bemo4-merge"
_VERSION_FILES = ("config.yaml", "gpt.pth", "s2mel.pth", "feat1.pt", "feat2.pt")
_VIEW_REVISION = hashlib.sha1(b"runthru-local-files").hexdigest()  # any 40-hex name for the view's snapshot


@functools.lru_cache(maxsize=1)
def _cuda_available() -> bool:
    """Whether torch sees an NVIDIA GPU (imports torch once; cached)."""
    if not module_installed("torch"):
        return False
    try:
        import torch

        return bool(torch.cuda.is_available())
    except Exception:  # noqa: BLE001 - a broken CUDA setup means "no GPU"
        return False


def _import_upstream():
    """Import IndexTTS2 lazily (tests replace this function with fakes)."""
    go_offline()
    saved = os.environ.get("HF_HUB_CACHE")
    import torch
    from indextts.infer_v2 import IndexTTS2

    # Some distributions point HF_HUB_CACHE at ./checkpoints/hf_cache when imported.
    if saved is None:
        os.environ.pop("HF_HUB_CACHE", None)
    else:
        os.environ["HF_HUB_CACHE"] = saved
    # The hub libraries read HF_HUB_OFFLINE once, when first imported; if anything
    # imported them before go_offline(), they would still try the network first.
    flags = (("huggingface_hub.constants", "HF_HUB_OFFLINE"), ("transformers.utils.hub", "_is_offline_mode"))
    for module_name, attr in flags:
        module = sys.modules.get(module_name)
        if module is not None and hasattr(module, attr):
            setattr(module, attr, True)
    return types.SimpleNamespace(IndexTTS2=IndexTTS2, torch=torch)


def _cpu_forced() -> bool:
    return engine_env("RUNTHRU_TTS_DEVICE").lower() == "cpu"


def _fp16_enabled() -> bool:
    return engine_env(FP16_ENV).lower() in {"1", "true", "yes", "on"}


def _loads_qwen_always() -> bool:
    """Whether the installed distribution lacks use_qwen_emo (all but the official release)."""
    dist = distribution_name()
    return bool(dist) and dist != "indextts"


@functools.lru_cache(maxsize=1)
def distribution_name() -> str:
    """The installed distribution that provides the ``indextts`` module ("" when none)."""
    from importlib.metadata import packages_distributions

    names = packages_distributions().get("indextts") or []
    return names[0] if names else ""


def hub_view(weights_dir: Path, root: Path | None = None) -> Path:
    """A Hugging Face cache laid over the auxiliary files in ``weights_dir/hf_cache``.

    Distributions without ``aux_paths`` ask the hub (offline: its cache) for
    facebook/w2v-bert-2.0, amphion/MaskGCT, funasr/campplus and nvidia/bigvgan_v2_...
    The view holds symlinks to the flat layout the official release uses, so one
    set of files serves both. Rebuilt on every load; nothing is copied.
    """
    key = hashlib.sha1(str(weights_dir.resolve()).encode()).hexdigest()[:12]
    root = root or Path(tempfile.gettempdir()) / f"runthru-indextts-hub-{key}"
    for rel, (repo, filename) in HUB_FILES.items():
        repo_dir = root / f"models--{repo.replace('/', '--')}"
        (repo_dir / "refs").mkdir(parents=True, exist_ok=True)
        (repo_dir / "refs" / "main").write_text(_VIEW_REVISION)
        link = repo_dir / "snapshots" / _VIEW_REVISION / filename
        link.parent.mkdir(parents=True, exist_ok=True)
        target = (weights_dir / rel).resolve()
        if link.is_symlink() or link.exists():
            if link.is_symlink() and Path(os.readlink(link)) == target:
                continue
            link.unlink()
        link.symlink_to(target)
    return root


@contextlib.contextmanager
def _hub_cache(path: Path):
    """Make the hub libraries read ``path`` as their cache while upstream loads.

    Their cache location is read from the environment when they are first
    imported, so the module-level copies are switched too, and restored after.
    """
    saved_env = os.environ.get("HF_HUB_CACHE")
    os.environ["HF_HUB_CACHE"] = str(path)
    patched = []
    homes = (("huggingface_hub.constants", "HF_HUB_CACHE"), ("transformers.utils.hub", "TRANSFORMERS_CACHE"))
    for module_name, attr in homes:
        module = sys.modules.get(module_name)
        if module is not None and hasattr(module, attr):
            patched.append((module, attr, getattr(module, attr)))
            setattr(module, attr, str(path))
    try:
        yield
    finally:
        for module, attr, value in patched:
            setattr(module, attr, value)
        if saved_env is None:
            os.environ.pop("HF_HUB_CACHE", None)
        else:
            os.environ["HF_HUB_CACHE"] = saved_env


class IndexTTS2Engine(LocalWeightsEngine):
    name = "indextts2"
    label = "IndexTTS2"
    weights_subdir = "index-tts"

    # -- description -------------------------------------------------------
    def capabilities(self) -> Capabilities:
        return Capabilities(
            emotion_vector=True, voice_cloning=True, batch_size=1, sample_rate=SAMPLE_RATE, device="cuda"
        )

    def version(self) -> str:
        digest = checkpoint_digest([self.weights_dir / f for f in _VERSION_FILES])
        dist = distribution_name() if module_installed("indextts") else ""
        v = f"indextts2-{package_version(dist or 'indextts')}-{digest}"
        return f"{v}-fp16" if _fp16_enabled() else v

    def availability(self) -> Availability:
        if not module_installed("indextts"):
            return Availability(
                False, "IndexTTS2 isn't set up on this computer yet. A parent can add it (see docs/neural-engines.md)."
            )
        # RUNTHRU_TTS_DEVICE=cpu runs it without a GPU anyway: fine for checks with
        # the random checkpoint, far slower than real time with the real weights.
        if not _cpu_forced() and not _cuda_available():
            return Availability(False, "IndexTTS2 needs an NVIDIA graphics card")
        missing = [f for f in WEIGHT_FILES + AUX_FILES if not (self.weights_dir / f).is_file()]
        if missing:
            shown = ", ".join(missing[:4]) + (" …" if len(missing) > 4 else "")
            return Availability(
                False,
                f"IndexTTS2 weights are missing: put them in {self.weights_dir} "
                f"(missing {shown}). See docs/neural-engines.md",
            )
        if _loads_qwen_always() and not (self.weights_dir / QWEN_DIR / "config.json").is_file():
            return Availability(
                False,
                f"IndexTTS2 weights are missing: put them in {self.weights_dir} "
                f"(missing {QWEN_DIR}/). See docs/neural-engines.md",
            )
        if not reference_clips(self.voices_dir):
            return Availability(False, "IndexTTS2 needs at least one voice clip; upload one in the admin")
        return Availability(True)

    def setup_report(self) -> list[str]:
        """Everything missing for this engine, each with how to fix it (for tts_check)."""
        problems = []
        if not module_installed("torch"):
            problems.append(f"package missing: torch. Install the CUDA pair first: {TORCH_INSTALL}")
        dist = distribution_name() if module_installed("indextts") else ""
        if not dist:
            problems.append(f"package missing: indextts. Install: {INDEXTTS_INSTALL}")
        if not _cpu_forced() and not _cuda_available():
            problems.append(
                "no NVIDIA GPU: torch.cuda.is_available() is False. IndexTTS2 needs a CUDA GPU with a CUDA build "
                "of torch (RUNTHRU_TTS_DEVICE=cpu runs it anyway, far slower than real time)"
            )
        wd = self.weights_dir
        for name in WEIGHT_FILES:
            if not (wd / name).is_file():
                problems.append(f"weight file missing: {wd / name} (from the IndexTeam/IndexTTS-2 model repository)")
        for rel, (repo, filename) in HUB_FILES.items():
            if not (wd / rel).is_file():
                problems.append(f"helper model file missing: {wd / rel} (file {filename} of {repo})")
        if _loads_qwen_always() and not (wd / QWEN_DIR / "config.json").is_file():
            problems.append(
                f"folder missing: {wd / QWEN_DIR} (from IndexTeam/IndexTTS-2; the installed {dist} always loads it)"
            )
        if not reference_clips(self.voices_dir):
            problems.append(f"no voice clip: put a 5-15 s .wav of clean speech in {self.voices_dir} (or upload one)")
        return problems

    def voices(self) -> list[Voice]:
        return [
            Voice(f"{REF_PREFIX}{clip.stem}", voice_label(clip.stem), self.name, f"Cloned from {clip.name}")
            for clip in reference_clips(self.voices_dir)
        ]

    def owns_voice(self, voice_id: str) -> bool:
        return voice_id.startswith(REF_PREFIX)

    def _reference_path(self, voice_id: str) -> Path:
        if voice_id.startswith(REF_PREFIX):
            stem = voice_id[len(REF_PREFIX) :]
            for clip in reference_clips(self.voices_dir):
                if clip.stem == stem:
                    return clip
        raise EngineFailed(f"IndexTTS2 has no voice {voice_id!r}")

    # -- lifecycle ---------------------------------------------------------
    def _load(self) -> None:
        upstream = _import_upstream()
        device = engine_env("RUNTHRU_TTS_DEVICE") or "cuda:0"
        wd = self.weights_dir
        accepted = inspect.signature(upstream.IndexTTS2).parameters
        if not {"cfg_path", "model_dir", "use_fp16", "device"} <= set(accepted):
            raise EngineUnavailable(
                "This IndexTTS release is not one RunThru knows; install one named in docs/neural-engines.md"
            )
        kwargs = dict(
            cfg_path=str(wd / "config.yaml"),
            model_dir=str(wd),
            use_fp16=_fp16_enabled(),
            device=device,
            use_cuda_kernel=False,
            use_deepspeed=False,
        )
        kwargs = {k: v for k, v in kwargs.items() if k in accepted}
        if "use_qwen_emo" in accepted:
            kwargs["use_qwen_emo"] = False  # we pass emotion vectors, never emotion text
        elif not (wd / QWEN_DIR / "config.json").is_file():
            raise EngineUnavailable(
                f"This IndexTTS release ({distribution_name() or 'indextts'}) always loads its emotion-text "
                f"model: put the {QWEN_DIR} folder of the IndexTTS-2 weights in {wd}. See docs/neural-engines.md"
            )
        if "aux_paths" in accepted:  # official v2.5.0+: helper models by path
            kwargs["aux_paths"] = {key: str(wd / rel) for key, rel in AUX_PATHS.items()}
            cache = contextlib.nullcontext()
        else:  # other distributions ask the (offline) hub cache for them
            cache = _hub_cache(hub_view(wd))
        try:
            with cache:
                self._model = upstream.IndexTTS2(**kwargs)
        except Exception as exc:  # noqa: BLE001
            raise EngineUnavailable(f"IndexTTS2 could not load from {wd}: {exc}") from exc
        self._upstream, self._device = upstream, device

    def _unload(self) -> None:
        torch = self._upstream.torch if self._upstream else None
        self._model = None
        if torch is not None:
            with contextlib.suppress(Exception):
                torch.cuda.empty_cache()

    # -- synthesis ---------------------------------------------------------
    @staticmethod
    def _emotion(params: dict) -> tuple[list[float] | None, float]:
        vector = params.get("emo_vector")
        problem = f"emo_vector must be {len(EMOTIONS)} numbers ({', '.join(EMOTIONS)})"
        if vector is not None:
            try:
                vector = [float(x) for x in vector]
            except (TypeError, ValueError):
                raise EngineFailed(problem) from None
            if len(vector) != len(EMOTIONS) or not all(np.isfinite(vector)):
                raise EngineFailed(problem)
        try:
            alpha = float(params.get("emo_alpha", 1.0))
        except (TypeError, ValueError):
            alpha = float("nan")
        if not np.isfinite(alpha):
            raise EngineFailed("emo_alpha must be a number")
        return vector, alpha

    def _speak(self, req: SynthesisRequest) -> Clip:
        text = " ".join(req.text.split())
        if not text:
            raise EngineFailed("IndexTTS2 was given an empty line")
        voice = self._reference_path(req.voice_id)
        emo_vector, emo_alpha = self._emotion(req.params or {})
        try:
            result = self._model.infer(
                spk_audio_prompt=str(voice),
                text=text,
                output_path=None,
                emo_vector=emo_vector,
                emo_alpha=emo_alpha,
                use_emo_text=False,
                use_random=False,
            )
        except Exception as exc:  # noqa: BLE001
            raise EngineFailed(f"IndexTTS2 failed on {text[:40]!r}: {exc}") from exc
        # With output_path=None upstream returns (sampling_rate, int16 array of shape (N, 1)).
        if not (isinstance(result, tuple) and len(result) == 2):
            raise EngineFailed("IndexTTS2 returned no audio for this line")
        sample_rate, wav = result
        samples = to_mono_float32(wav)
        if samples.size == 0 or not np.all(np.isfinite(samples)):
            raise EngineFailed("IndexTTS2 produced no usable audio for this line")
        return Clip(np.clip(samples, -1.0, 1.0).astype(np.float32), int(sample_rate))

    def _synthesize(self, requests: list[SynthesisRequest]) -> list[Clip]:
        # Upstream caches the conditioning of the last reference clip only: speak
        # the lines grouped by voice, then put the clips back in request order.
        order = sorted(range(len(requests)), key=lambda i: (requests[i].voice_id, i))
        clips: list[Clip | None] = [None] * len(requests)
        for i in order:
            clips[i] = self._speak(requests[i])
        return clips  # type: ignore[return-value]
