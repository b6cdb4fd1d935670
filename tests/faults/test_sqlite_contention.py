"""Embedded mode under write pressure: the web process and two workers write to one
SQLite file at once, and no "database is locked" ever reaches a user."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests
from django.db import connection

from scripts_app.services import script_create
from sessions_app.services import session_create
from sessions_app.signin import pin_set
from tests.helpers import REPO, child_env, start_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SECONDS = float(os.environ.get("RUNTHRU_CONTENTION_SECONDS", "60"))
CORPUS = REPO.parent / "shared" / "corpus"

BUSY_WORKER = """
import time
from scripts_app.models import Script
from tts_app.jobs import job_for, job_run
from tts_app.services import default_voice_assignments
script = Script.objects.get(pk=SCRIPT_ID)
voices = default_voice_assignments(script=script, user_role=None, engine="espeak")
deadline = time.monotonic() + SECONDS
while time.monotonic() < deadline:
    job = job_for(script=script, engine="espeak", user_role=None, voice_assignments=voices, reuse=False,
                  enqueue=False)
    job_run(job_id=job.pk)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_database_is_locked_error_reaches_a_user_while_workers_write(sample_text):
    if connection.vendor != "sqlite":
        pytest.skip("this is about the embedded SQLite default")
    play = CORPUS / "romeo_and_juliet_pg1513.txt"
    big = script_create(source=play.read_text(encoding="utf-8-sig") if play.exists() else sample_text)
    small = script_create(source=sample_text)
    session = session_create(script=small, user_role="maren")
    pin_set(pin="864213")
    port = _free_port()
    web = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                            "runthru_site.asgi:application"], cwd=REPO, env=child_env(), start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    code = BUSY_WORKER.replace("SCRIPT_ID", str(big.pk)).replace("SECONDS", str(SECONDS))
    workers = [start_worker(code) for _ in range(2)]
    base = f"http://127.0.0.1:{port}"
    problems: list[str] = []
    counts = {"requests": 0}
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/api/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        token = requests.post(f"{base}/api/auth/verify", json={"pin": "864213"}).json()["token"]
        deadline = time.monotonic() + SECONDS

        def user(n: int):
            http = requests.Session()
            http.headers["Authorization"] = f"Bearer {token}"
            i = 0
            while time.monotonic() < deadline:
                i += 1
                if i % 3 == 0:
                    response = http.patch(f"{base}/api/sessions/{session.pk}", json={"current_line_index": i % 5})
                elif i % 3 == 1:
                    response = http.get(f"{base}/api/sessions/{session.pk}")
                else:
                    response = http.post(f"{base}/api/scripts", json={"markdown_source": sample_text,
                                                                      "title": f"copy {n}-{i}"})
                counts["requests"] += 1
                if response.status_code >= 500 or "locked" in response.text.lower():
                    problems.append(f"{response.status_code} {response.text[:200]}")

        users = [threading.Thread(target=user, args=(n,)) for n in range(4)]
        for t in users:
            t.start()
        for t in users:
            t.join()
        for w in workers:
            assert w.wait(timeout=120) == 0  # the workers never crashed on a lock either
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
        os.killpg(web.pid, signal.SIGKILL)
    assert counts["requests"] > 50
    assert problems == []
