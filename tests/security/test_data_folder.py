"""Another account on the family computer cannot read RunThru's data folder: the database
holds the parent's admin session and the PIN's hash."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.slow


def _env(data: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "RUNTHRU_SQLITE_PATH", "DJANGO_SETTINGS_MODULE")}
    # A permissive umask, as many desktops have: RunThru must not depend on it.
    return env | {"RUNTHRU_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}


def _run(data: Path, *args: str) -> None:
    subprocess.run([sys.executable, *args], cwd=REPO, env=_env(data), check=True, capture_output=True, timeout=180,
                   preexec_fn=lambda: os.umask(0o022))


def _open_to_others(data: Path) -> list[str]:
    loose = []
    for path in [data, *data.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            loose.append(f"{path.relative_to(data.parent)} {mode:o}")
    return loose


def test_a_new_install_keeps_every_folder_and_file_to_its_owner(tmp_path):
    data = tmp_path / "data"
    _run(data, "manage.py", "runthru", "--setup-only")
    _run(data, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'runthru_site.settings'; "
                     "django.setup(); from django.db import connection; connection.cursor().execute('SELECT 1'); "
                     "from scripts_app.models import Script; assert Script.objects.count() == 1")
    db = data / "database" / "runthru.db"
    assert db.exists() and (data / "secret_key").exists()
    assert _open_to_others(data) == []
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_starting_repairs_an_install_that_others_could_read(tmp_path):
    data = tmp_path / "data"
    _run(data, "manage.py", "runthru", "--setup-only")
    # What an install from before looked like: 0755 folders, 0644 files, the WAL files too.
    for path in [data, *data.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (data / "database" / "runthru.db-wal").write_bytes(b"")
    (data / "database" / "runthru.db-wal").chmod(0o644)
    (data / "audio-cache" / "ab").mkdir(mode=0o755)
    (data / "audio-cache" / "ab" / "clip.wav").write_bytes(b"RIFF")
    (data / "audio-cache" / "ab" / "clip.wav").chmod(0o644)
    assert _open_to_others(data)
    _run(data, "manage.py", "check")
    assert _open_to_others(data) == []
