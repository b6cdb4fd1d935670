"""The content-addressed audio cache: keys, paths and atomic writes.

A clip's key is a SHA-256 over everything that changes its sound, so the same
line in the same voice is made once and shared across sessions and scripts,
and any change (text, voice, voice file, emotion, engine or model version,
post-processing) makes a new clip instead of serving a stale one.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

from django.conf import settings

from runthru_site.files import write_file_atomic

_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return _SPACES.sub(" ", text).strip()


def params_hash(params: dict) -> str:
    blob = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def clip_key(
    *, text: str, engine: str, engine_version: str, voice_id: str, voice_file_hash: str, params: dict,
    postprocess_version: str,
) -> str:
    blob = json.dumps(
        {
            "text": normalise_text(text),
            "engine": engine,
            "engine_version": engine_version,
            "voice": voice_id,
            "voice_file": voice_file_hash,
            "params": params,
            "post": postprocess_version,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def audio_root() -> Path:
    return Path(settings.RUNTHRU_AUDIO_DIR)


def relative_path_for(key: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", key):
        raise ValueError("cache keys are 64 hex characters")
    return f"{key[:2]}/{key}.mp3"


# The shape relative_path_for() writes (clips made before MP3 storage are .wav): it has no ".."
# and no second separator, so it cannot leave the cache and needs no resolve() (two realpath
# walks on every audio request).
_OWN_SHAPE = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}\.(?:mp3|wav)")
CONTENT_TYPES = {".mp3": "audio/mpeg", ".wav": "audio/wav"}


def content_type(relative: str) -> str:
    """What a stored clip is, from its name."""
    return CONTENT_TYPES.get(Path(relative).suffix.lower(), "application/octet-stream")


def absolute(relative: str) -> Path:
    """Resolve a path that came from the database, refusing anything outside the cache."""
    if _OWN_SHAPE.fullmatch(relative):
        return audio_root() / relative
    root = audio_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError("audio path outside the cache")
    return path


def file_ok(relative: str, size: int) -> bool:
    """A READY row counts only if its file is there and whole."""
    try:
        return relative != "" and absolute(relative).stat().st_size == size and size > 44
    except (OSError, ValueError):
        return False


def write_atomic(relative: str, data: bytes) -> None:
    write_file_atomic(absolute(relative), data)


def remove(relative: str) -> int:
    """Delete a cached file; returns the bytes freed."""
    try:
        path = absolute(relative)
        size = path.stat().st_size
        path.unlink()
        return size
    except (OSError, ValueError):
        return 0
