"""A background worker killed while it waits for work (django-q2 issue #23: it dies holding the
task queue's read lock, so its replacement waits forever) does not wedge generation: runthru
notices tasks waiting while none start, restarts the cluster, and the next job completes."""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.helpers import REPO, start_runthru

pytestmark = pytest.mark.slow

START_A_JOB = """
import django; django.setup()
from scripts_app.models import Script
from sessions_app.services import session_create
from tts_app.jobs import job_for
script = Script.objects.get()
role = script.characters[0]["id"]
session = session_create(script=script, user_role=role)
print(job_for(script=script, engine=session.tts_engine, user_role=role, voice_assignments=session.voice_assignments,
              session_id=session.pk).pk)
"""


def _job_state(data, job_id: int) -> str:
    with sqlite3.connect(data / "database" / "runthru.db", timeout=30) as db:
        return db.execute("SELECT state FROM tts_app_generationjob WHERE id = ?", (job_id,)).fetchone()[0]


def _worker_pids(lines: list[str]) -> list[int]:
    return [int(m.group(1)) for line in list(lines) if (m := re.search(r"ready for work at (\d+)", line))]


def test_killing_an_idle_worker_does_not_wedge_the_queue(tmp_path):
    data = tmp_path / "data"
    proc, port, lines = start_runthru(tmp_path, RUNTHRU_WORKERS="1", RUNTHRU_WEB_PROCS="1",
                                      RUNTHRU_LOG_LEVEL="INFO", RUNTHRU_QUEUE_STALL_SECONDS="5")
    try:
        deadline = time.monotonic() + 60
        while not _worker_pids(lines) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _worker_pids(lines), "".join(lines)
        time.sleep(2)  # the worker is now blocked reading the empty task queue
        os.kill(_worker_pids(lines)[0], signal.SIGKILL)
        time.sleep(2)

        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "RUNTHRU_SQLITE_PATH")}
        env |= {"RUNTHRU_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "runthru_site.settings",
                "PYTHONPATH": str(REPO)}
        made = subprocess.run([sys.executable, "-c", START_A_JOB], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=120)
        assert made.returncode == 0, made.stderr
        job_id = int(made.stdout.split()[-1])

        deadline = time.monotonic() + 120
        while _job_state(data, job_id) != "done" and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _job_state(data, job_id) == "done", "".join(lines)[-4000:]
        assert any("restarting it" in line for line in lines)
        assert proc.poll() is None
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
