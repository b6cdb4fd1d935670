"""The data folder: the database, the audio cache, voices, models and uploaded scripts.

Settings only name these paths. The folders and the local secret key are made by
`prepare()`, which whatever starts RunThru calls before Django reads its settings
(manage.py, the ASGI and WSGI entry points, the test settings), so importing the
settings never writes to disk.

The folder is the owner's alone: the database holds the parent's admin session and the
PIN and password hashes, so another account on a family computer must not read it.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from .env import env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DIR_MODE = 0o700
FILE_MODE = 0o600


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
        "recordings": root / "recordings",  # the teen's kept attempts; a parent's recorded lines in cues/
        "static": root / "staticfiles",
    }


def sqlite_file(root: Path) -> Path:
    return Path(env_str("RUNTHRU_SQLITE_PATH") or folders(root)["database"] / "runthru.db")


def secret_key_file(root: Path) -> Path:
    return root / "secret_key"


def local_secret_key(root: Path) -> str:
    """The key prepare() made for a home install ("" before it ran)."""
    try:
        return secret_key_file(root).read_text().strip()
    except FileNotFoundError:
        return ""


def _tighten(path: Path, mode: int) -> None:
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        return  # a link's target may be anything (a shared models folder): leave it alone
    if stat.S_IMODE(st.st_mode) & ~mode:
        path.chmod(stat.S_IMODE(st.st_mode) & mode)


def repair_modes(root: Path) -> None:
    """Take group and other permissions off every folder and file under root (an install made
    before RunThru set its own umask has 0755 folders and 0644 files, the database included)."""
    _tighten(root, DIR_MODE)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            _tighten(Path(folder, name), DIR_MODE)
        for name in files:
            _tighten(Path(folder, name), FILE_MODE)


def prepare() -> Path:
    """Make the data folders owner-only, and on a home install the secret key (a home install
    has no one to set a secret: make one on first run and keep it).

    The umask covers what this process writes later: SQLite's files (its -wal and -shm too),
    clips, uploads. An existing install is repaired once: while the folder itself is still
    open to others, every file in it is. The database files are checked every time (cheap),
    as they matter most."""
    os.umask(0o077)
    root = data_dir()
    loose = root.exists() and stat.S_IMODE(root.stat().st_mode) & 0o077
    root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    for folder in folders(root).values():
        folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if loose:
        repair_modes(root)
    db = sqlite_file(root)
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")):
        _tighten(path, FILE_MODE)
    key = secret_key_file(root)
    if not key.exists() and not env_str("DJANGO_SECRET_KEY"):
        key.write_text(secrets.token_urlsafe(50))
        key.chmod(FILE_MODE)
    return root
