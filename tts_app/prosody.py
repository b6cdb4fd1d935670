"""Emotion -> engine parameters, for every engine, from one table.

The parser hands us an emotion such as ``{"label": "angry", "intensity": 0.7,
"valence": "negative"}`` (or None), optionally the raw stage direction
("(furiously)"), and the actor's ``flat`` preference. Each engine wants
something different:

* espeak: rate (words/min), pitch 0-100, pitch range 0-100, volume 0-200, and a
  whisper voice variant;
* chatterbox: exaggeration, cfg_weight, temperature;
* indextts2: an 8-value emotion vector plus emo_alpha;
* natural (the bundled neural voices): pace, pitch in semitones, pitch range,
  pauses between sentences and whisper, derived from the espeak columns.

Loudness is the same for every engine: loudness_offset_db(), applied after
normalisation, so a shout ends up louder than a whisper on every voice.

`STYLES` below is the single table: one row per label, holding every engine's
values at *full strength*. A cue's intensity only scales how far we move from
the neutral row, so adding a label means adding one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# --------------------------------------------------------------------------
# Neutral values (what a line with no direction, or a "flat" actor, gets).
# --------------------------------------------------------------------------
ESPEAK_NEUTRAL = {"rate": 175, "pitch": 50, "range": 50, "volume": 100}
ESPEAK_LIMITS = {"rate": (80, 450), "pitch": (0, 100), "range": (0, 100), "volume": (0, 200)}

CHATTERBOX_NEUTRAL = {"exaggeration": 0.5, "cfg_weight": 0.5, "temperature": 0.8}
# cfg_weight must never be 0: the English Chatterbox model crashes on it.
CHATTERBOX_LIMITS = {"exaggeration": (0.25, 2.0), "cfg_weight": (0.3, 0.5), "temperature": (0.6, 1.0)}

# IndexTTS2's emotion vector order, and the bias its own web UI applies before
# capping the sum at 0.8 (it damps the emotions that tend to sound strange).
INDEXTTS_EMOTIONS = ("happy", "angry", "sad", "afraid", "disgusted", "melancholic", "surprised", "calm")
INDEXTTS_BIAS = (0.9375, 0.875, 1.0, 1.0, 0.9375, 0.9375, 0.6875, 0.5625)
INDEXTTS_MAX_SUM = 0.8

DEFAULT_INTENSITY = 0.6  # when the parser gives a label without an intensity


@dataclass(frozen=True)
class Style:
    """How one emotion sounds on every engine, at full strength (intensity 1)."""

    # espeak: offsets from ESPEAK_NEUTRAL
    rate: int = 0
    pitch: int = 0
    range: int = 0
    volume: int = 0
    whisper: bool = False
    # chatterbox: target values (neutral is CHATTERBOX_NEUTRAL)
    exaggeration: float = 0.5
    cfg_weight: float = 0.5
    temperature: float = 0.8
    # indextts2: mix of its eight emotions, by name (normalised later)
    emo: dict = field(default_factory=dict)
    # loudness relative to audio.TARGET_LUFS after post-processing (dB)
    gain_db: float = 0.0


# fmt: off
STYLES: dict[str, Style] = {
    # label: espeak offsets / chatterbox targets / indextts2 mix / loudness offset (dB)
    "neutral": Style(),
    "angry": Style(
        rate=+30, pitch=+5, range=+35, volume=+50,
        exaggeration=1.3, cfg_weight=0.3, temperature=0.9,
        emo={"angry": 1.0}, gain_db=+3,
    ),
    "shout": Style(
        rate=+20, pitch=+15, range=+40, volume=+70,
        exaggeration=1.6, cfg_weight=0.3, temperature=0.9,
        emo={"angry": 0.6, "surprised": 0.4}, gain_db=+5,
    ),
    "sad": Style(
        rate=-45, pitch=-15, range=-25, volume=-35,
        exaggeration=0.8, cfg_weight=0.4, temperature=0.75,
        emo={"sad": 0.8, "melancholic": 0.3}, gain_db=-3,
    ),
    "happy": Style(
        rate=+20, pitch=+15, range=+30, volume=+10,
        exaggeration=0.9, cfg_weight=0.4, temperature=0.85,
        emo={"happy": 1.0}, gain_db=+1,
    ),
    "excited": Style(
        rate=+55, pitch=+22, range=+40, volume=+30,
        exaggeration=1.4, cfg_weight=0.3, temperature=0.9,
        emo={"happy": 0.7, "surprised": 0.5}, gain_db=+2,
    ),
    "afraid": Style(
        rate=+35, pitch=+15, range=+15, volume=-10,
        exaggeration=1.0, cfg_weight=0.35, temperature=0.9,
        emo={"afraid": 1.0}, gain_db=-1,
    ),
    "nervous": Style(
        rate=+25, pitch=+10, range=-10, volume=-15,
        exaggeration=0.8, cfg_weight=0.35, temperature=0.9,
        emo={"afraid": 0.6, "sad": 0.2}, gain_db=-1,
    ),
    "soft": Style(
        rate=-30, pitch=-6, range=-15, volume=-45,
        exaggeration=0.35, cfg_weight=0.5, temperature=0.7,
        emo={"calm": 0.6, "melancholic": 0.2}, gain_db=-4,
    ),
    "whisper": Style(
        rate=-20, pitch=0, range=-10, volume=-20, whisper=True,
        exaggeration=0.3, cfg_weight=0.5, temperature=0.7,
        emo={"calm": 0.5, "afraid": 0.2}, gain_db=-6,
    ),
    "sarcastic": Style(
        rate=-20, pitch=-5, range=+40, volume=0,
        exaggeration=0.9, cfg_weight=0.4, temperature=0.85,
        emo={"disgusted": 0.4, "happy": 0.4}, gain_db=0,
    ),
    "tender": Style(
        rate=-30, pitch=+3, range=-10, volume=-35,
        exaggeration=0.45, cfg_weight=0.5, temperature=0.7,
        emo={"melancholic": 0.6, "calm": 0.4}, gain_db=-3,
    ),
    "surprised": Style(
        rate=+15, pitch=+25, range=+45, volume=+20,
        exaggeration=1.1, cfg_weight=0.35, temperature=0.9,
        emo={"surprised": 1.0}, gain_db=+1,
    ),
    "disgusted": Style(
        rate=-25, pitch=-10, range=+20, volume=+10,
        exaggeration=0.9, cfg_weight=0.4, temperature=0.8,
        emo={"disgusted": 1.0}, gain_db=0,
    ),
    "calm": Style(
        rate=-20, pitch=-5, range=-20, volume=-10,
        exaggeration=0.3, cfg_weight=0.5, temperature=0.65,
        emo={"calm": 1.0}, gain_db=-1,
    ),
    "laughing": Style(
        rate=+25, pitch=+20, range=+40, volume=+20,
        exaggeration=1.3, cfg_weight=0.3, temperature=0.95,
        emo={"happy": 1.0, "surprised": 0.2}, gain_db=+1,
    ),
    "crying": Style(
        rate=-35, pitch=+12, range=+15, volume=-25,
        exaggeration=1.2, cfg_weight=0.3, temperature=0.9,
        emo={"sad": 1.0, "afraid": 0.2}, gain_db=-2,
    ),
    "cold": Style(
        rate=-15, pitch=-12, range=-40, volume=-5,
        exaggeration=0.25, cfg_weight=0.5, temperature=0.65,
        emo={"disgusted": 0.3, "calm": 0.6}, gain_db=0,
    ),
    "urgent": Style(
        rate=+65, pitch=+8, range=+15, volume=+30,
        exaggeration=1.0, cfg_weight=0.3, temperature=0.85,
        emo={"afraid": 0.4, "surprised": 0.3}, gain_db=+2,
    ),
    # Labels the table does not know fall back on their valence:
    "_positive": Style(
        rate=+10, pitch=+8, range=+15, volume=+5,
        exaggeration=0.7, cfg_weight=0.45, temperature=0.85,
        emo={"happy": 0.6}, gain_db=0,
    ),
    "_negative": Style(
        rate=-10, pitch=-5, range=+5, volume=0,
        exaggeration=0.7, cfg_weight=0.45, temperature=0.8,
        emo={"sad": 0.3, "angry": 0.3}, gain_db=0,
    ),
}
# fmt: on

LABELS = tuple(k for k in STYLES if not k.startswith("_"))

# Only used when the parser gave no (known) label: a few words to look for in
# the raw direction text. Checked in this order, so the more specific come first.
DIRECTION_WORDS: dict[str, tuple[str, ...]] = {
    "whisper": ("whisper", "under (his|her|their) breath", "hushed"),
    "shout": ("shout", "yell", "scream", "bellow", "roar"),
    "crying": ("crying", "sob", "tearful", "in tears"),
    "laughing": ("laugh", "giggl", "chuckl"),
    "angry": ("angr", "furious", "rage", "snap", "irritat", "annoyed"),
    "sarcastic": ("sarcas", "dry", "mock"),
    "afraid": ("afraid", "scared", "terrified", "fear"),
    "nervous": ("nervous", "anxious", "hesitant", "stammer"),
    "excited": ("excit", "thrilled", "eager"),
    "surprised": ("surpris", "shock", "astonish", "amazed"),
    "sad": ("sad", "sorrow", "grief", "mournful", "upset"),
    "tender": ("tender", "loving", "gently", "affection"),
    "soft": ("soft", "quiet"),
    "happy": ("happ", "cheerful", "joy", "delight", "smil"),
    "disgusted": ("disgust", "revolted", "sneer"),
    "cold": ("cold", "icy", "flat", "curt"),
    "urgent": ("urgent", "hurried", "quickly", "rushed"),
    "calm": ("calm", "evenly", "soothing"),
}
_DIRECTION_RES = {
    label: re.compile(r"\b(?:" + "|".join(words) + ")", re.IGNORECASE)
    for label, words in DIRECTION_WORDS.items()
}


# --------------------------------------------------------------------------
# Reading the parser's emotion
# --------------------------------------------------------------------------
def _field(emotion: Any, name: str) -> Any:
    if emotion is None:
        return None
    if isinstance(emotion, dict):
        return emotion.get(name)
    return getattr(emotion, name, None)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def resolve(emotion: Any, direction: str | None = None, flat: bool = False) -> tuple[Style, float]:
    """The table row for a cue and the strength (0..1) to apply it with.

    Strength 0 means neutral. For a real label the strength is
    0.3 + 0.7 * intensity, so even a faint cue is audible and the strongest one
    gets the full row.
    """
    if flat:
        return STYLES["neutral"], 0.0
    label = str(_field(emotion, "label") or "").strip().lower()
    intensity = _field(emotion, "intensity")
    try:
        intensity = _clamp(float(intensity), 0.0, 1.0)
    except (TypeError, ValueError):
        intensity = DEFAULT_INTENSITY
    if label not in STYLES or label.startswith("_"):
        label = _label_from_direction(direction) or ""
    if not label:
        valence = str(_field(emotion, "valence") or "").strip().lower()
        if valence in ("positive", "negative"):
            # an unknown label: lean its way, at most half strength
            return STYLES["_" + valence], 0.5 * (0.3 + 0.7 * intensity)
        return STYLES["neutral"], 0.0
    if label == "neutral":
        return STYLES["neutral"], 0.0
    return STYLES[label], 0.3 + 0.7 * intensity


def _label_from_direction(direction: str | None) -> str | None:
    if not direction:
        return None
    for label, pattern in _DIRECTION_RES.items():
        if pattern.search(direction):
            return label
    return None


# --------------------------------------------------------------------------
# Per-engine parameters
# --------------------------------------------------------------------------
def espeak_params(emotion: Any, flat: bool = False, direction: str | None = None) -> dict:
    """{"rate", "pitch", "range", "volume", "whisper"} for EspeakEngine."""
    style, strength = resolve(emotion, direction, flat)
    out: dict = {}
    for key, neutral in ESPEAK_NEUTRAL.items():
        low, high = ESPEAK_LIMITS[key]
        out[key] = round(_clamp(neutral + strength * getattr(style, key), low, high))
    out["whisper"] = bool(style.whisper and strength > 0)
    return out


def chatterbox_params(emotion: Any, flat: bool = False, direction: str | None = None) -> dict:
    """{"exaggeration", "cfg_weight", "temperature"}; cfg_weight is never below 0.3."""
    style, strength = resolve(emotion, direction, flat)
    out = {}
    for key, neutral in CHATTERBOX_NEUTRAL.items():
        low, high = CHATTERBOX_LIMITS[key]
        out[key] = round(_clamp(neutral + strength * (getattr(style, key) - neutral), low, high), 3)
    return out


def normalize_emo_vector(vector: list[float]) -> list[float]:
    """IndexTTS2's own UI normalisation: apply its bias, then cap the sum at 0.8."""
    if len(vector) != len(INDEXTTS_BIAS):
        raise ValueError(f"IndexTTS2 wants {len(INDEXTTS_BIAS)} emotion values, got {len(vector)}")
    biased = [max(0.0, float(v)) * b for v, b in zip(vector, INDEXTTS_BIAS, strict=True)]
    total = sum(biased)
    if total > INDEXTTS_MAX_SUM:
        biased = [v * INDEXTTS_MAX_SUM / total for v in biased]
    # round down so that rounding never pushes the sum over the cap
    return [int(v * 10000) / 10000 for v in biased]


def indextts_params(emotion: Any, flat: bool = False, direction: str | None = None) -> dict:
    """{"emo_vector": 8 floats in INDEXTTS_EMOTIONS order, sum <= 0.8, "emo_alpha": 0..1}.

    An all-zero vector with emo_alpha 0 means "no emotion control": speak like
    the reference voice (the engine may then leave emo_vector out entirely).
    """
    style, strength = resolve(emotion, direction, flat)
    if strength <= 0 or not style.emo:
        return {"emo_vector": [0.0] * len(INDEXTTS_EMOTIONS), "emo_alpha": 0.0}
    raw = [float(style.emo.get(name, 0.0)) for name in INDEXTTS_EMOTIONS]
    return {"emo_vector": normalize_emo_vector(raw), "emo_alpha": round(_clamp(strength, 0.0, 1.0), 3)}


def loudness_offset_db(emotion: Any, flat: bool = False, direction: str | None = None) -> float:
    """How much louder/quieter than audio.TARGET_LUFS this cue should end up.

    Loudness normalisation would otherwise make a whisper as loud as a shout;
    pass this to audio.postprocess(clip, loudness_offset_db=...).
    """
    style, strength = resolve(emotion, direction, flat)
    return round(strength * style.gain_db, 2)


# The natural voices read the espeak columns, converted to their own units, so the table keeps
# one row per emotion: espeak's 175 words/min is pace 1.0, and one step of espeak's 0-100 pitch
# scale is about 0.12 semitone (espeak spans some two octaves over it).
NATURAL_SEMITONES_PER_PITCH_STEP = 0.12
NATURAL_LIMITS = {"pace": (0.7, 1.4), "pitch_st": (-4.0, 4.0), "range": (0.4, 1.8), "pause": (0.5, 2.0)}


def natural_params(emotion: Any, flat: bool = False, direction: str | None = None) -> dict:
    """{"pace", "pitch_st", "range", "pause", "whisper"} for NaturalEngine (neutral: 1, 0, 1, 1, False)."""
    style, strength = resolve(emotion, direction, flat)
    pace = (ESPEAK_NEUTRAL["rate"] + strength * style.rate) / ESPEAK_NEUTRAL["rate"]
    raw = {
        "pace": pace,
        "pitch_st": strength * style.pitch * NATURAL_SEMITONES_PER_PITCH_STEP,
        "range": 1.0 + strength * style.range / 100.0,
        # people slow down more between sentences than within them: a sad line gets longer pauses
        "pause": 1.0 / (pace * pace),
    }
    out: dict = {key: round(_clamp(value, *NATURAL_LIMITS[key]), 3) for key, value in raw.items()}
    out["whisper"] = bool(style.whisper and strength > 0)
    return out


_DISPATCH = {
    "espeak": espeak_params,
    "chatterbox": chatterbox_params,
    "indextts2": indextts_params,
    "natural": natural_params,
}


def params_for(engine_name: str, emotion: Any, flat: bool = False, direction: str | None = None) -> dict:
    """Parameters for `engine_name` ("espeak", "chatterbox", "indextts2", "natural"); {} for an unknown engine."""
    fn = _DISPATCH.get(engine_name)
    return fn(emotion, flat=flat, direction=direction) if fn else {}
