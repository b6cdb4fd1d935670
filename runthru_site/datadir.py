"""The data folder: the database, the audio cache, voices, models and uploaded scripts.

Settings only name these paths. The folders and the local secret key are made by
`prepare()`, which whatever starts RunThru calls before Django reads its settings
(manage.py, the ASGI and WSGI entry points, the test settings), so importing the
settings never writes to disk.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from .env import env_str

BASE_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return Path(env_str("RUNTHRU_DATA_DIR") or BASE_DIR / "data").resolve()


def folders(root: Path) -> dict[str, Path]:
    return {
        "database": root / "database",
        "scripts": root / "scripts",
        "audio": root / "audio-cache",
        "models": root / "models",
        "voices": root / "voices",
        "adhoc_audio": root / "adhoc-audio",
        "recordings": root / "recordings",  # the teen's own attempts, only when a session keeps them
        "static": root / "staticfiles",
    }


def secret_key_file(root: Path) -> Path:
    return root / "secret_key"


def local_secret_key(root: Path) -> str:
    """The key prepare() made for a home install ("" before it ran)."""
    try:
        return secret_key_file(root).read_text().strip()
    except FileNotFoundError:
        return ""


def prepare() -> Path:
    """Make the data folders, and on a home install the secret key (a home install has no
    one to set a secret: make one on first run and keep it)."""
    root = data_dir()
    for folder in folders(root).values():
        folder.mkdir(parents=True, exist_ok=True)
    key = secret_key_file(root)
    if not key.exists() and not env_str("DJANGO_SECRET_KEY"):
        key.write_text(secrets.token_urlsafe(50))
        key.chmod(0o600)
    return root
