"""espeak-ng: the embedded engine that works everywhere (no GPU, no system packages).

The `espeakng-loader` wheel ships libespeak-ng and its data directory; we drive
the C library directly through ctypes. No maintained Python binding fits:
py-espeak-ng and python-espeak shell out to (or link against) a system
espeak-ng, and phonemizer only exposes phonemes, not audio. The API used here is
the stable `speak_lib.h` one (espeak_Initialize / SetVoiceByName /
SetParameter / Synth / Synchronize), in synchronous mode with a callback that
collects the int16 samples.

The library is process-global state (one current voice, one set of
parameters, one callback), so it is initialised once per process and every use
holds `_LIB_LOCK` - the Engine's own `_lock` only covers one engine instance.
"""

from __future__ import annotations

import ctypes
import os
import threading
import zlib
from dataclasses import dataclass
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

# speak_lib.h constants
AUDIO_OUTPUT_SYNCHRONOUS = 2
ESPEAK_INITIALIZE_DONT_EXIT = 0x8000  # report errors instead of calling exit()
POS_CHARACTER = 1
ESPEAK_CHARS_UTF8 = 1  # no espeakSSML: "<" and "&" are plain text
ESPEAK_RATE, ESPEAK_VOLUME, ESPEAK_PITCH, ESPEAK_RANGE = 1, 2, 3, 4
EE_OK = 0
RANDOM_SEED = 1

NEUTRAL_PARAMS = {"rate": 175, "pitch": 50, "range": 50, "volume": 100}
PARAM_LIMITS = {"rate": (80, 450), "pitch": (0, 100), "range": (0, 100), "volume": (0, 200)}
_PARAM_IDS = {"rate": ESPEAK_RATE, "volume": ESPEAK_VOLUME, "pitch": ESPEAK_PITCH, "range": ESPEAK_RANGE}

# Bump when a voice id's sound changes (language/variant/pitch offset): part of version().
VOICE_TABLE_VERSION = "1"


@dataclass(frozen=True)
class VoiceSpec:
    id: str  # stable: goes into cache keys and database rows
    language: str  # espeak-ng voice name (a file under espeak-ng-data/lang)
    variant: str  # file under espeak-ng-data/voices/!v
    gender: str  # "female" / "male" / "child": picks the whisper variant
    name: str
    description: str
    pitch_offset: int = 0  # added to the prosody pitch (0-100 scale)

    @property
    def whisper_variant(self) -> str:
        return "whisper" if self.gender == "male" else "whisperf"

    def espeak_name(self, whisper: bool = False) -> str:
        return f"{self.language}+{self.whisper_variant if whisper else self.variant}"


# The order is the casting order (default_voice_ids): neighbours differ in
# gender and accent, so the first N characters of a play get N distinct voices.
# Ids are "<accent>-<variant>"; never rename one, only add.
# fmt: off
VOICE_SPECS: tuple[VoiceSpec, ...] = (
    VoiceSpec("en-us-f2", "en-us", "f2", "female", "Ava (American, female)",
              "Adult woman, General American accent."),
    VoiceSpec("en-gb-m3", "en", "m3", "male", "Oliver (British, male)",
              "Adult man, Southern British accent."),
    VoiceSpec("en-scotland-f4", "en-gb-scotland", "f4", "female", "Isla (Scottish, female)",
              "Adult woman, Scottish accent."),
    VoiceSpec("en-029-m2", "en-029", "m2", "male", "Marcus (Caribbean, male)",
              "Adult man, Caribbean English accent."),
    VoiceSpec("en-rp-f1", "en-gb-x-rp", "f1", "female", "Charlotte (Received Pronunciation, female)",
              "Adult woman, 'posh' Received Pronunciation accent."),
    VoiceSpec("en-us-m7", "en-us", "m7", "male", "Jack (American, male, deep)",
              "Adult man with a darker voice, General American accent."),
    VoiceSpec("en-lancs-f3", "en-gb-x-gbclan", "f3", "female", "Hannah (Northern English, female)",
              "Adult woman, Lancashire (Northern English) accent."),
    VoiceSpec("en-scotland-m4", "en-gb-scotland", "m4", "male", "Callum (Scottish, male)",
              "Adult man, low voice, Scottish accent."),
    VoiceSpec("en-us-annie", "en-us", "Annie", "female", "Zoe (American, young woman)",
              "Young woman with a bright, high voice, General American accent."),
    VoiceSpec("en-rp-m6", "en-gb-x-rp", "m6", "male", "Henry (Received Pronunciation, male)",
              "Adult man, 'posh' Received Pronunciation accent."),
    VoiceSpec("en-029-f5", "en-029", "f5", "female", "Nadia (Caribbean, female)",
              "Adult woman, Caribbean English accent."),
    VoiceSpec("en-nyc-m1", "en-us-nyc", "m1", "male", "Danny (New York, male)",
              "Adult man, New York City accent."),
    VoiceSpec("en-wmids-belinda", "en-gb-x-gbcwmd", "belinda", "female", "Sophie (West Midlands, female)",
              "Young woman, West Midlands (Birmingham) accent."),
    VoiceSpec("en-lancs-m8", "en-gb-x-gbclan", "m8", "male", "George (Northern English, male, deep)",
              "Adult man with a very low voice, Lancashire (Northern English) accent."),
    VoiceSpec("en-us-zac", "en-us", "zac", "child", "Sam (American, child)",
              "A child (high, light voice), General American accent."),
    VoiceSpec("en-gb-grandma", "en", "grandma", "female", "Margaret (British, older woman)",
              "Elderly woman with a shaky voice, Southern British accent."),
    VoiceSpec("en-us-grandpa", "en-us", "grandpa", "male", "Walter (American, older man)",
              "Elderly man with a shaky voice, General American accent."),
    VoiceSpec("en-rp-croak", "en-gb-x-rp", "croak", "male", "Edmund (Received Pronunciation, older man)",
              "Older man with a rough, croaky voice, Received Pronunciation accent."),
)
# fmt: on
_SPECS_BY_ID = {spec.id: spec for spec in VOICE_SPECS}


def resolve_voice(voice_id: str) -> VoiceSpec:
    """The spec for a voice id. Ids this engine does not know (a voice of another
    engine, after a fallback) map deterministically onto one of ours, so the
    same character keeps the same voice."""
    key = (voice_id or "").strip()
    key = key.removeprefix("espeak:")
    if key in _SPECS_BY_ID:
        return _SPECS_BY_ID[key]
    if not key:
        return VOICE_SPECS[0]
    return VOICE_SPECS[zlib.crc32(key.encode("utf-8")) % len(VOICE_SPECS)]


# --------------------------------------------------------------------------
# The process-wide library
# --------------------------------------------------------------------------
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Library:
    """libespeak-ng, loaded and initialised once per process."""

    def __init__(self, lib_path: str, data_path: str) -> None:
        self.lib = ctypes.CDLL(lib_path)
        self.data_path = data_path
        self.sample_rate = 0
        self._chunks: list[bytes] = []
        self._callback = _SYNTH_CALLBACK(self._on_samples)  # kept alive as long as the library
        lib = self.lib
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_SYNTH_CALLBACK]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synchronize.argtypes = []
        lib.espeak_Synchronize.restype = ctypes.c_int
        # espeak-ng draws random numbers (noise in some variants); a fixed seed per line
        # keeps them from depending on earlier lines. (The waveform phase still carries
        # over, so repeating a request can differ by a few samples.) Older libraries
        # lack the call.
        self._set_seed = getattr(lib, "espeak_ng_SetRandSeed", None)
        if self._set_seed is not None:
            self._set_seed.argtypes = [ctypes.c_long]
            self._set_seed.restype = None

    def version(self) -> str:
        raw = self.lib.espeak_Info(None)
        return raw.decode("ascii", "replace").split()[0] if raw else "unknown"

    def initialize(self) -> None:
        if self.sample_rate:
            return
        rate = self.lib.espeak_Initialize(
            AUDIO_OUTPUT_SYNCHRONOUS, 0, self.data_path.encode(), ESPEAK_INITIALIZE_DONT_EXIT
        )
        if rate <= 0:
            raise EngineUnavailable(f"espeak_Initialize failed ({rate}) with data at {self.data_path}")
        self.lib.espeak_SetSynthCallback(self._callback)
        self.sample_rate = int(rate)

    def _on_samples(self, wav, count, _events) -> int:
        if count > 0 and wav:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0  # 0 = go on

    def speak(self, text: str, voice_name: str, params: dict[str, int]) -> np.ndarray:
        rc = self.lib.espeak_SetVoiceByName(voice_name.encode("ascii"))
        if rc != EE_OK:
            # a failed SetVoiceByName silently keeps the previous voice: never let that through
            raise EngineFailed(f"espeak-ng has no voice {voice_name!r} (error {rc})")
        for key, value in params.items():
            self.lib.espeak_SetParameter(_PARAM_IDS[key], int(value), 0)
        data = text.encode("utf-8") + b"\0"
        if self._set_seed is not None:
            self._set_seed(RANDOM_SEED)
        self._chunks = []
        try:
            rc = self.lib.espeak_Synth(data, len(data), 0, POS_CHARACTER, 0, ESPEAK_CHARS_UTF8, None, None)
            self.lib.espeak_Synchronize()
            if rc != EE_OK:
                raise EngineFailed(f"espeak_Synth failed (error {rc})")
            raw = b"".join(self._chunks)
        finally:
            self._chunks = []
        return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0


_LIB_LOCK = threading.RLock()
_LIBRARY: _Library | None = None


def _paths() -> tuple[str, str]:
    try:
        import espeakng_loader
    except ImportError as exc:  # pragma: no cover - it is a hard dependency
        raise EngineUnavailable("the espeakng-loader package is not installed") from exc
    try:
        return espeakng_loader.get_library_path(), espeakng_loader.get_data_path()
    except RuntimeError as exc:
        raise EngineUnavailable(str(exc)) from exc


def _library() -> _Library:
    """The process-wide library (loaded, not necessarily initialised). Hold _LIB_LOCK."""
    global _LIBRARY
    if _LIBRARY is None:
        lib_path, data_path = _paths()
        if not os.path.isfile(lib_path):
            raise EngineUnavailable(f"libespeak-ng not found at {lib_path}")
        try:
            _LIBRARY = _Library(lib_path, data_path)
        except (OSError, AttributeError) as exc:
            raise EngineUnavailable(f"cannot load libespeak-ng: {exc}") from exc
    return _LIBRARY


def _clamp_params(params: dict, pitch_offset: int = 0) -> dict[str, int]:
    out = {}
    for key, neutral in NEUTRAL_PARAMS.items():
        try:
            value = float(params.get(key, neutral))
        except (TypeError, ValueError):
            value = float(neutral)
        if key == "pitch":
            value += pitch_offset
        low, high = PARAM_LIMITS[key]
        out[key] = int(max(low, min(high, round(value))))
    return out


# --------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------
class EspeakEngine(Engine):
    name = "espeak"
    label = "eSpeak NG (built in, robotic)"
    SAMPLE_RATE = 22050  # what espeak_Initialize reports; checked in _load()

    def capabilities(self) -> Capabilities:
        return Capabilities(
            emotion_vector=False,
            voice_cloning=False,
            batch_size=1,
            sample_rate=self.SAMPLE_RATE,
            device="cpu",
        )

    def version(self) -> str:
        try:
            with _LIB_LOCK:
                lib_version = _library().version()
        except EngineUnavailable:
            lib_version = "unavailable"
        return f"espeak-ng-{lib_version}-voices{VOICE_TABLE_VERSION}"

    def availability(self) -> Availability:
        try:
            _lib_path, data_path = _paths()
            if not Path(data_path, "phontab").is_file():
                return Availability(False, f"espeak-ng data missing at {data_path}")
            with _LIB_LOCK:
                _library()
        except EngineUnavailable as exc:
            return Availability(False, str(exc))
        return Availability(True)

    def voices(self) -> list[Voice]:
        return [
            Voice(id=s.id, name=s.name, engine=self.name, description=s.description, gender=s.gender)
            for s in VOICE_SPECS
        ]

    def default_voice_ids(self) -> list[str]:
        return [s.id for s in VOICE_SPECS]

    def owns_voice(self, voice_id: str) -> bool:
        return voice_id in _SPECS_BY_ID

    def espeak_voice_name(self, voice_id: str, whisper: bool = False) -> str:
        """What is passed to espeak_SetVoiceByName for this voice, e.g. "en-us+whisperf"."""
        return resolve_voice(voice_id).espeak_name(whisper)

    def _load(self) -> None:
        with _LIB_LOCK:
            lib = _library()
            lib.initialize()
            if lib.sample_rate != self.SAMPLE_RATE:
                raise EngineUnavailable(
                    f"espeak-ng reports {lib.sample_rate} Hz, expected {self.SAMPLE_RATE}"
                )

    def _synthesize(self, requests: list[SynthesisRequest]) -> list[Clip]:
        clips = []
        with _LIB_LOCK:
            lib = _library()
            for request in requests:
                text = (request.text or "").replace("\0", " ").strip()
                if not text:
                    raise EngineFailed("espeak-ng cannot speak an empty line")
                spec = resolve_voice(request.voice_id)
                params = request.params or {}
                samples = lib.speak(
                    text,
                    spec.espeak_name(whisper=bool(params.get("whisper"))),
                    _clamp_params(params, spec.pitch_offset),
                )
                if samples.size == 0:
                    raise EngineFailed(f"espeak-ng produced no audio for {text[:40]!r}")
                clips.append(Clip(samples=samples, sample_rate=lib.sample_rate))
        return clips
