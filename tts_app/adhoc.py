"""Clips spoken on request (any text, any voice): kept apart from the scripts' clips, in a store of
bounded size where the least recently heard clip goes first.

Each unique text once stored its clip forever beside the scripts' clips: 8 requests of 5,000
characters wrote 160 MB in 6 s. A script's clips are kept until a parent removes them; these are
only a convenience, so a full store forgets its oldest instead of filling the disk.

Files only, no rows: ``<key>-<engine>.mp3`` (MP3, like the scripts' clips), where the engine is the one
that made the sound (it may be a fallback). A file's modification time is when it was last heard.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from . import audio, cache

_NAME = re.compile(r"([0-9a-f]{64})-([a-z0-9_]{1,40})\.mp3")


@dataclass(frozen=True)
class AdhocClip:
    data: bytes
    engine: str
    key: str
    content_type: str = "audio/mpeg"


def store_dir() -> Path:
    return Path(settings.RUNTHRU_ADHOC_AUDIO_DIR)


def adhoc_find(key: str) -> AdhocClip | None:
    """The stored clip for `key`, marked as just heard; None when it was never made or was forgotten."""
    for path in store_dir().glob(f"{key}-*.mp3"):
        match = _NAME.fullmatch(path.name)
        if match is None:
            continue
        try:
            data = path.read_bytes()
            os.utime(path)
        except FileNotFoundError:  # forgotten by another process just now
            return None
        return AdhocClip(data=data, engine=match.group(2), key=key)
    return None


def adhoc_store(key: str, engine: str, data: bytes) -> AdhocClip:
    """Keep a clip (written whole, or not at all), then forget the least recently heard ones
    until the store is within RUNTHRU_ADHOC_AUDIO_BYTES."""
    if not _NAME.fullmatch(f"{key}-{engine}.mp3"):
        raise ValueError("not a clip key and engine name")
    cache.write_file_atomic(store_dir() / f"{key}-{engine}.mp3", data)
    adhoc_trim(settings.RUNTHRU_ADHOC_AUDIO_BYTES)
    return AdhocClip(data=data, engine=engine, key=key)


def adhoc_trim(max_bytes: int) -> int:
    """Forget the least recently heard clips until the rest fit in `max_bytes`; returns bytes freed."""
    files = []
    for entry in os.scandir(store_dir()):
        if entry.is_file() and _NAME.fullmatch(entry.name):
            try:
                st = entry.stat()
            except FileNotFoundError:
                continue
            files.append((st.st_mtime, st.st_size, entry.path))
    total = sum(size for _, size, _ in files)
    freed = 0
    for _, size, path in sorted(files):  # oldest first
        if total <= max_bytes:
            break
        try:
            os.unlink(path)
        except FileNotFoundError:
            continue
        total -= size
        freed += size
    return freed


def adhoc_clip_make(spec, synthesize) -> AdhocClip:
    """The stored clip for an ad-hoc line, else one made now with `synthesize(spec) -> (Clip, engine
    used)` and stored."""
    found = adhoc_find(spec.key)
    if found is not None:
        return found
    clip, engine_used = synthesize(spec)
    return adhoc_store(spec.key, engine_used, audio.encode_clip(clip))
