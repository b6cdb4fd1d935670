"""Chatterbox (Resemble AI, MIT) as a RunThru engine.

Optional: needs the ``chatterbox`` extra (torch + chatterbox-tts 0.1.7) and the
weights in ``<data>/models/chatterbox`` (see docs/neural-engines.md). Nothing is
ever downloaded at run time: the model is loaded with
``ChatterboxTTS.from_local`` and the Hugging Face hub is switched offline
before upstream is imported.

Voices: the checkpoint's built-in voice (``conds.pt``) plus one cloned voice
per ``*.wav`` reference clip in ``<data>/voices``. The conditioning of a voice
is prepared once and cached. Emotion arrives as ``exaggeration``,
``cfg_weight`` and ``temperature`` in ``SynthesisRequest.params``.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import importlib.util
import os
import types
from pathlib import Path

import numpy as np

from .base import (
    Availability,
    Capabilities,
    Clip,
    Engine,
    EngineFailed,
    EngineUnavailable,
    SynthesisRequest,
    Voice,
)
from .chunking import DEFAULT_MAX_CHARS, crossfade_join, split_text
from .env import engine_env

REPO_ROOT = Path(__file__).resolve().parents[2]

WEIGHT_FILES = ("ve.safetensors", "t3_cfg.safetensors", "s3gen.safetensors", "tokenizer.json", "conds.pt")
DEFAULT_VOICE_ID = "chatterbox-default"
REF_PREFIX = "chatterbox-ref-"
SAMPLE_RATE = 24000
MIN_CFG_WEIGHT = 0.05  # upstream's T3 sampler assumes classifier-free guidance: 0 crashes
DTYPE_ENV = "RUNTHRU_CHATTERBOX_DTYPE"
DEVICE_ENV = "RUNTHRU_TTS_DEVICE"
BATCH_ENV = "RUNTHRU_CHATTERBOX_BATCH"  # lines per batched call; 1 = always the plain path
GPU_BATCH, CPU_BATCH = 16, 4
# The install commands of docs/neural-engines.md, repeated where a parent reads them (tts_check).
TORCH_INSTALL = "pip install torch==2.11.0 torchaudio==2.11.0"
CHATTERBOX_INSTALL = (
    'pip install -e ".[chatterbox]" -c constraints/chatterbox.txt && pip install --no-deps chatterbox-tts==0.1.7'
)
_DTYPES = {
    "float32": "float32",
    "fp32": "float32",
    "bfloat16": "bfloat16",
    "bf16": "bfloat16",
    "float16": "float16",
    "fp16": "float16",
}


# -- paths and environment, shared with the other neural engines -------------
def data_dir() -> Path:
    return Path(engine_env("RUNTHRU_DATA_DIR") or REPO_ROOT / "data")


def _setting(name: str):
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is a core dependency
        return None
    if not settings.configured:
        return None
    return getattr(settings, name, None)


def default_models_dir() -> Path:
    configured = _setting("RUNTHRU_MODELS_DIR")
    return Path(configured) if configured else data_dir() / "models"


def default_voices_dir() -> Path:
    configured = _setting("RUNTHRU_VOICES_DIR")
    if configured:
        return Path(configured)
    data = _setting("RUNTHRU_DATA_DIR")
    return (Path(data) if data else data_dir()) / "voices"


def reference_clips(voices_dir: Path) -> list[Path]:
    """The uploaded reference clips (``*.wav``), sorted by file name."""
    if not voices_dir.is_dir():
        return []
    return sorted(p for p in voices_dir.iterdir() if p.is_file() and p.suffix.lower() == ".wav")


def voice_label(stem: str) -> str:
    return " ".join(stem.replace("_", " ").replace("-", " ").split()).title() or stem


def module_installed(name: str) -> bool:
    """True when ``name`` can be imported, without importing it."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def go_offline() -> None:
    """Make sure nothing under us reaches the Hugging Face hub (set before importing upstream)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def pick_device(torch) -> str:
    forced = engine_env(DEVICE_ENV)
    if forced:
        return forced
    return "cuda" if torch.cuda.is_available() else "cpu"


def to_mono_float32(audio) -> np.ndarray:
    """Tensor/array of any layout (1, N), (N,), (N, 1) → float32 mono numpy, in -1..1."""
    if hasattr(audio, "detach"):
        audio = audio.detach()
    if hasattr(audio, "cpu"):
        audio = audio.cpu()
    is_float = getattr(audio, "is_floating_point", None)
    if not isinstance(audio, np.ndarray) and is_float is not None and is_float():
        audio = audio.float()  # bfloat16/float16 tensors → float32 before numpy
    if hasattr(audio, "numpy") and not isinstance(audio, np.ndarray):
        audio = audio.numpy()
    arr = np.asarray(audio)
    if arr.dtype == np.int16:
        arr = arr.astype(np.float32) / 32768.0
    arr = arr.astype(np.float32, copy=False)
    if arr.ndim == 2 and min(arr.shape) > 1:  # several channels: average them
        arr = arr.mean(axis=0 if arr.shape[0] < arr.shape[1] else 1)
    return arr.reshape(-1)


@functools.lru_cache(maxsize=64)
def _files_digest(entries: tuple[tuple[str, int, int], ...]) -> str:
    """Short content hash of checkpoint files: sizes plus their first and last MiB."""
    h = hashlib.sha1()
    for path, size, _mtime in entries:
        h.update(f"{Path(path).name}:{size}".encode())
        with open(path, "rb") as fh:
            h.update(fh.read(1 << 20))
            if size > 2 << 20:
                fh.seek(-(1 << 20), os.SEEK_END)
                h.update(fh.read(1 << 20))
    return h.hexdigest()[:10]


def checkpoint_digest(paths: list[Path]) -> str:
    entries = []
    for p in paths:
        if p.is_file():
            st = p.stat()
            entries.append((str(p), st.st_size, st.st_mtime_ns))
    return _files_digest(tuple(entries)) if entries else "noweights"


def _import_upstream():
    """Import Chatterbox lazily (tests replace this function with fakes)."""
    go_offline()
    import torch
    from chatterbox.tts import ChatterboxTTS

    return types.SimpleNamespace(ChatterboxTTS=ChatterboxTTS, torch=torch)


def package_version(distribution: str) -> str:
    """An installed distribution's version, without importing it (part of engine versions)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


def _clamp(value, lo: float, hi: float, default: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return default
    if not np.isfinite(v):
        return default
    return min(hi, max(lo, v))


class LocalWeightsEngine(Engine):
    """An engine whose weights a parent put under data/models/<weights_subdir>/ and whose
    cloned voices are the reference clips in data/voices/ (both moveable for tests)."""

    weights_subdir = ""

    def __init__(self, models_dir: Path | str | None = None, voices_dir: Path | str | None = None) -> None:
        super().__init__()
        self._models_dir = Path(models_dir) if models_dir else None
        self._voices_dir = Path(voices_dir) if voices_dir else None
        self._upstream = None
        self._model = None
        self._device = ""

    @property
    def models_dir(self) -> Path:
        return self._models_dir or default_models_dir()

    @property
    def weights_dir(self) -> Path:
        return self.models_dir / self.weights_subdir

    @property
    def voices_dir(self) -> Path:
        return self._voices_dir or default_voices_dir()


class ChatterboxEngine(LocalWeightsEngine):
    name = "chatterbox"
    label = "Chatterbox"
    weights_subdir = "chatterbox"

    def __init__(self, models_dir: Path | str | None = None, voices_dir: Path | str | None = None) -> None:
        super().__init__(models_dir, voices_dir)
        self._dtype = "float32"
        self._builtin_conds = None
        self._conds: dict[str, object] = {}  # voice id -> prepared Conditionals
        self._fast = None  # chatterbox_fast.FastChatterbox, made on first batched call
        self.max_chars = DEFAULT_MAX_CHARS

    @staticmethod
    def dtype_name() -> str:
        raw = engine_env(DTYPE_ENV).lower() or "float32"
        if raw not in _DTYPES:
            raise EngineUnavailable(
                f"{DTYPE_ENV}={raw!r} is not supported; use float32, bfloat16 or float16"
            )
        return _DTYPES[raw]

    # -- description -------------------------------------------------------
    def capabilities(self) -> Capabilities:
        device = self._device or engine_env(DEVICE_ENV) or "auto"
        return Capabilities(
            emotion_vector=False,
            voice_cloning=True,
            batch_size=self.batch_size(device),
            sample_rate=SAMPLE_RATE,
            device=device,
        )

    @staticmethod
    def batch_size(device: str) -> int:
        """Lines per call: more than one uses the batched fast path (chatterbox_fast)."""
        raw = engine_env(BATCH_ENV)
        if raw:
            try:
                return max(1, int(raw))
            except ValueError:
                pass
        return GPU_BATCH if device.startswith("cuda") else CPU_BATCH

    def version(self) -> str:
        digest = checkpoint_digest([self.weights_dir / f for f in WEIGHT_FILES])
        v = f"chatterbox-{package_version('chatterbox-tts')}-{digest}"
        try:
            dtype = self.dtype_name()
        except EngineUnavailable:
            dtype = "invalid"
        return v if dtype == "float32" else f"{v}-{dtype}"

    def availability(self) -> Availability:
        if not module_installed("chatterbox"):
            return Availability(
                False, "Chatterbox isn't set up on this computer yet. A parent can add it (see docs/neural-engines.md)."
            )
        missing = [f for f in WEIGHT_FILES if not (self.weights_dir / f).is_file()]
        if missing:
            return Availability(
                False,
                f"Chatterbox weights are missing: put them in {self.weights_dir} "
                f"(missing {', '.join(missing)}). See docs/neural-engines.md",
            )
        try:
            self.dtype_name()
        except EngineUnavailable as exc:
            return Availability(False, str(exc))
        return Availability(True)

    def setup_report(self) -> list[str]:
        """Everything missing for this engine, each with how to fix it (for tts_check)."""
        problems = []
        if not module_installed("torch"):
            problems.append(f"package missing: torch. Install the CUDA pair first: {TORCH_INSTALL}")
        if not module_installed("chatterbox"):
            problems.append(f"package missing: chatterbox-tts. Install: {CHATTERBOX_INSTALL}")
        for name in WEIGHT_FILES:
            if not (self.weights_dir / name).is_file():
                problems.append(
                    f"weight file missing: {self.weights_dir / name} (from the ResembleAI/chatterbox model repository)"
                )
        try:
            self.dtype_name()
        except EngineUnavailable as exc:
            problems.append(str(exc))
        return problems

    def voices(self) -> list[Voice]:
        voices = [
            Voice(DEFAULT_VOICE_ID, "Chatterbox default", self.name, "The voice that ships with the model")
        ]
        for clip in reference_clips(self.voices_dir):
            vid = f"{REF_PREFIX}{clip.stem}"
            voices.append(Voice(vid, voice_label(clip.stem), self.name, f"Cloned from {clip.name}"))
        return voices

    def owns_voice(self, voice_id: str) -> bool:
        return voice_id == DEFAULT_VOICE_ID or voice_id.startswith(REF_PREFIX)

    def _reference_path(self, voice_id: str) -> Path:
        if not voice_id.startswith(REF_PREFIX):
            raise EngineFailed(f"Chatterbox has no voice {voice_id!r}")
        stem = voice_id[len(REF_PREFIX) :]
        for clip in reference_clips(self.voices_dir):
            if clip.stem == stem:
                return clip
        raise EngineFailed(f"The voice clip for {voice_id!r} is gone from {self.voices_dir}")

    # -- lifecycle ---------------------------------------------------------
    def _load(self) -> None:
        dtype = self.dtype_name()
        upstream = _import_upstream()
        device = pick_device(upstream.torch)
        try:
            model = upstream.ChatterboxTTS.from_local(str(self.weights_dir), device)
        except Exception as exc:  # noqa: BLE001 - report any loading failure the same way
            raise EngineUnavailable(
                f"Chatterbox could not load its weights from {self.weights_dir}: {exc}"
            ) from exc
        self._upstream, self._model, self._device, self._dtype = upstream, model, device, dtype
        self._fast = None
        if device == "cpu":
            # Random-init and real checkpoints alike produce denormal floats in
            # T3/S3Gen; on CPU they are ~10x slower and flushing them is inaudible.
            with contextlib.suppress(Exception):
                upstream.torch.set_flush_denormal(True)
        if dtype != "float32":
            self._reduced_precision_t3()
        self._builtin_conds = getattr(model, "conds", None)
        self._conds = {}

    def _unload(self) -> None:
        torch = self._upstream.torch if self._upstream else None
        if getattr(self, "_fast", None) is not None:
            self._fast.close()
        self._fast = None
        self._model = None
        self._builtin_conds = None
        self._conds = {}
        if torch is not None and self._device.startswith("cuda"):
            with contextlib.suppress(Exception):
                torch.cuda.empty_cache()

    # -- synthesis ---------------------------------------------------------
    def _conditionals(self, voice_id: str):
        """The voice's prepared Conditionals (prepared once per voice, then cached)."""
        if voice_id == DEFAULT_VOICE_ID:
            if self._builtin_conds is None:
                raise EngineFailed("The Chatterbox checkpoint has no built-in voice (conds.pt)")
            return self._builtin_conds
        if voice_id not in self._conds:
            path = self._reference_path(voice_id)
            try:
                self._model.prepare_conditionals(str(path), exaggeration=0.5)
            except Exception as exc:  # noqa: BLE001
                raise EngineFailed(f"Chatterbox could not read the voice clip {path.name}: {exc}") from exc
            self._conds[voice_id] = self._model.conds
        return self._conds[voice_id]

    def _reduced_precision_t3(self) -> None:
        """Run T3 (the autoregressive token model, most of the time) under autocast.

        Only T3: the S3Gen vocoder's inverse STFT has no bfloat16 kernel, so the
        rest of generate() stays float32. The weights themselves stay float32.
        """
        torch = self._upstream.torch
        device_type = "cuda" if self._device.startswith("cuda") else "cpu"
        dtype = getattr(torch, self._dtype)
        t3 = self._model.t3
        inner = t3.inference

        @functools.wraps(inner)
        def inference(*args, **kwargs):
            with torch.autocast(device_type=device_type, dtype=dtype):
                return inner(*args, **kwargs)

        t3.inference = inference

    def _speak(self, req: SynthesisRequest) -> Clip:
        params = req.params or {}
        exaggeration, cfg_weight, temperature = self._params(req)
        chunks = split_text(req.text, self.max_chars)
        if not chunks:
            raise EngineFailed("Chatterbox was given an empty line")
        conds = self._conditionals(req.voice_id)
        sample_rate = int(getattr(self._model, "sr", SAMPLE_RATE))
        parts = []
        for chunk in chunks:
            # A shallow copy: generate() swaps in a new T3Cond when exaggeration
            # differs, and that must not leak into the cached conditioning.
            self._model.conds = copy.copy(conds)
            if "seed" in params:
                self._upstream.torch.manual_seed(int(params["seed"]))
            try:
                wav = self._model.generate(
                    chunk, exaggeration=exaggeration, cfg_weight=cfg_weight, temperature=temperature
                )
            except Exception as exc:  # noqa: BLE001
                raise EngineFailed(f"Chatterbox failed on {chunk[:40]!r}: {exc}") from exc
            parts.append(to_mono_float32(wav))
        samples = crossfade_join(parts, sample_rate)
        if samples.size == 0 or not np.all(np.isfinite(samples)):
            raise EngineFailed("Chatterbox produced no usable audio for this line")
        return Clip(np.clip(samples, -1.0, 1.0).astype(np.float32), sample_rate)

    def _params(self, req: SynthesisRequest) -> tuple[float, float, float]:
        params = req.params or {}
        return (
            _clamp(params.get("exaggeration", 0.5), 0.0, 2.0, 0.5),
            _clamp(params.get("cfg_weight", 0.5), MIN_CFG_WEIGHT, 1.0, 0.5),
            _clamp(params.get("temperature", 0.8), 0.05, 2.0, 0.8),
        )

    def _fast_path(self):
        """The batched generator, or None where the loaded model can't use it."""
        model = self._model
        if not (hasattr(model, "s3gen") and hasattr(getattr(model, "t3", None), "tfmr")):
            return None  # not upstream's ChatterboxTTS (e.g. test fakes)
        if getattr(self, "_fast", None) is None:
            from . import chatterbox_fast

            torch = self._upstream.torch
            autocast = getattr(torch, self._dtype) if self._dtype != "float32" else None
            self._fast = chatterbox_fast.FastChatterbox(
                model, batch_size=self.batch_size(self._device), autocast_dtype=autocast
            )
        return self._fast

    def _speak_many(self, fast, requests: list[SynthesisRequest]) -> list[Clip]:
        from .chatterbox_fast import FastItem

        items, owner = [], []
        for n, req in enumerate(requests):
            chunks = split_text(req.text, self.max_chars)
            if not chunks:
                raise EngineFailed("Chatterbox was given an empty line")
            conds = self._conditionals(req.voice_id)
            exaggeration, cfg_weight, temperature = self._params(req)
            seed = (req.params or {}).get("seed")
            for chunk in chunks:
                items.append(
                    FastItem(
                        chunk,
                        conds,
                        exaggeration=exaggeration,
                        cfg_weight=cfg_weight,
                        temperature=temperature,
                        seed=int(seed) if seed is not None else None,
                        group=req.voice_id,
                    )
                )
                owner.append(n)
        try:
            wavs = fast.generate(items)
        except Exception as exc:  # noqa: BLE001
            raise EngineFailed(f"Chatterbox's batched synthesis failed: {exc}") from exc
        sample_rate = int(getattr(self._model, "sr", SAMPLE_RATE))
        clips = []
        for n in range(len(requests)):
            parts = [w for w, o in zip(wavs, owner, strict=False) if o == n]
            samples = crossfade_join(parts, sample_rate)
            if samples.size == 0 or not np.all(np.isfinite(samples)):
                raise EngineFailed("Chatterbox produced no usable audio for this line")
            clips.append(Clip(np.clip(samples, -1.0, 1.0).astype(np.float32), sample_rate))
        return clips

    def _synthesize(self, requests: list[SynthesisRequest]) -> list[Clip]:
        if len(requests) > 1 and self.batch_size(self._device) > 1:
            fast = self._fast_path()
            if fast is not None:
                return self._speak_many(fast, requests)
        return [self._speak(req) for req in requests]
