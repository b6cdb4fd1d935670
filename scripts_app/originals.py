"""The PDF and Word files scripts were read from, kept whole under <data dir>/scripts/.

A file is named by the SHA-256 of its bytes plus its kind's suffix, so an uploaded name never
reaches the file system and the same file uploaded twice is kept once.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from django.conf import settings

from runthru_site.files import write_file_atomic

_OWN_NAME = re.compile(r"[0-9a-f]{64}\.(?:pdf|docx|odt|fdx)")
_UNSAFE = re.compile(r"[^\w .()-]+")


def originals_dir() -> Path:
    return Path(settings.RUNTHRU_SCRIPTS_DIR)


def original_path(name: str) -> Path | None:
    """Where a stored original lives; None for a name this module did not make."""
    if not name or not _OWN_NAME.fullmatch(name):
        return None
    return originals_dir() / name


def original_store(data: bytes, kind: str) -> str:
    """Write the file (temp, fsync, rename) and return its stored name."""
    name = f"{hashlib.sha256(data).hexdigest()}.{kind}"
    path = originals_dir() / name
    if not (path.exists() and path.stat().st_size == len(data)):
        write_file_atomic(path, data)
    return name


def original_remove(name: str) -> None:
    """Delete a stored original unless another script still points at it."""
    from .models import Script

    path = original_path(name)
    if path is None or Script.objects.filter(original_file=name).exists():
        return
    path.unlink(missing_ok=True)


def download_name(original_name: str, stored: str) -> str:
    """The uploaded name, tidied for a Content-Disposition header, with the stored kind's suffix."""
    suffix = stored.rsplit(".", 1)[-1]
    stem = _UNSAFE.sub("_", (original_name or "script").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])[:120].strip(" ._")
    if stem.lower().endswith("." + suffix):
        stem = stem[: -len(suffix) - 1]
    return f"{stem or 'script'}.{suffix}"
