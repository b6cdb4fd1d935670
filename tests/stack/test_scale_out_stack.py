"""The whole scale-out stack as separate processes: daphne, two django-q2 clusters,
PostgreSQL and Redis on this machine, driven over HTTP, SSE and a WebSocket."""

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import pytest
import redis
import requests
import websockets

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
PLAY = CORPUS / "romeo_and_juliet_pg1513.txt"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/11"

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def stack():
    if not PLAY.exists():
        pytest.skip("the shared corpus is not beside this checkout")
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True)
        redis.Redis.from_url(REDIS_URL).flushdb()
    except (psycopg.OperationalError, redis.ConnectionError):
        pytest.skip("PostgreSQL or Redis is not running on this machine")
    name = f"runthru_stack_{os.getpid()}"
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(f"CREATE DATABASE {name}")
    data = tempfile.mkdtemp(prefix="runthru-stack-")
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}", "REDIS_URL": REDIS_URL,
           "RUNTHRU_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "runthru_site.settings", "RUNTHRU_WORKERS": "1",
           "RUNTHRU_WORKERS_PER_JOB": "2", "PYTHONPATH": str(REPO)}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=REPO, env=env, check=True)
    setup = (
        "from scripts_app.services import script_create; from sessions_app.signin import pin_set; "
        f"pin_set(pin='515151'); print(script_create(source=open({str(PLAY)!r}, encoding='utf-8-sig').read()).pk)"
    )
    script_id = int(subprocess.run([*manage, "shell", "-c", setup], cwd=REPO, env=env, check=True,
                                   capture_output=True, text=True).stdout.split()[-1])
    port = _free_port()
    logs = {name: open(Path(data) / f"{name}.log", "w+") for name in ("web", "cluster-1", "cluster-2")}
    procs = [
        subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                          "runthru_site.asgi:application"], cwd=REPO, env=env, start_new_session=True,
                         stdout=logs["web"], stderr=subprocess.STDOUT),
        *[subprocess.Popen([*manage, "qcluster"], cwd=REPO, env=env, start_new_session=True,
                           stdout=logs[name], stderr=subprocess.STDOUT) for name in ("cluster-1", "cluster-2")],
    ]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/api/health", timeout=1).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    try:
        yield {"base": base, "port": port, "script_id": script_id, "db": env["DATABASE_URL"], "data": Path(data)}
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        # pytest shows this only when the test failed: what each process said at the end.
        for log_name, log in logs.items():
            log.seek(0)
            print(f"--- {log_name} (last lines) ---", *log.read().splitlines()[-40:], sep="\n")
            log.close()
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(data, ignore_errors=True)


def _sse_events(response) -> list[dict]:
    events, block = [], {}
    for raw in response.iter_lines(decode_unicode=True):
        if raw == "":
            if "event" in block:
                events.append({"id": int(block["id"]), "event": block["event"], "data": json.loads(block["data"])})
                if block["event"] in ("complete", "error"):
                    break
            block = {}
        elif not raw.startswith(":") and ": " in raw:
            key, value = raw.split(": ", 1)
            block[key] = value
    return events


def test_two_sessions_generate_a_whole_play_on_two_clusters_and_every_event_arrives(stack):
    base, http = stack["base"], requests.Session()
    token = http.post(f"{base}/api/auth/verify", json={"pin": "515151"}).json()["token"]
    http.headers["Authorization"] = f"Bearer {token}"
    script = http.get(f"{base}/api/scripts/{stack['script_id']}").json()
    chars = [c["id"] for c in script["parsed"]["characters"]]
    voices = http.get(f"{base}/api/tts/voices?engine=espeak").json()
    same_voices = {c: voices[i % len(voices)]["id"] for i, c in enumerate(chars)}
    a = http.post(f"{base}/api/sessions", json={"script_id": stack["script_id"], "user_role": "romeo",
                                                 "voice_assignments": same_voices}).json()
    b = http.post(f"{base}/api/sessions", json={"script_id": stack["script_id"], "user_role": "juliet",
                                                 "voice_assignments": same_voices}).json()

    sse_result: dict = {}

    def follow_a():
        with http.post(f"{base}/api/sessions/{a['id']}/generate", stream=True,
                       headers={"Accept": "text/event-stream"}, timeout=300) as response:
            sse_result["job"] = int(response.headers["X-RunThru-Job"])
            sse_result["events"] = _sse_events(response)

    follower = threading.Thread(target=follow_a)
    follower.start()
    with http.post(f"{base}/api/sessions/{b['id']}/generate", stream=True,
                   headers={"Accept": "text/event-stream"}, timeout=30) as started:
        job_b = int(started.headers["X-RunThru-Job"])

    async def follow_b():
        messages = []
        url = f"ws://127.0.0.1:{stack['port']}/ws/jobs/{job_b}/?token={token}"
        async with websockets.connect(url, origin=f"http://127.0.0.1:{stack['port']}") as ws:
            while True:
                message = json.loads(await asyncio.wait_for(ws.recv(), timeout=300))
                messages.append(message)
                if message["event"] in ("complete", "error", "cancelled"):
                    return messages

    ws_events = asyncio.run(follow_b())
    follower.join(timeout=300)

    job_a_state = http.get(f"{base}/api/jobs/{sse_result['job']}").json()
    job_b_state = http.get(f"{base}/api/jobs/{job_b}").json()
    for state in (job_a_state, job_b_state):
        assert state["state"] == "done" and state["failed"] == 0 and state["done"] == state["total"]

    with psycopg.connect(stack["db"].replace("postgres://", "postgresql://")) as db:
        def ids(job):
            return [r[0] for r in db.execute("SELECT id FROM tts_app_jobevent WHERE job_id=%s ORDER BY id", [job])]

        # every progress event reached each client, in order
        assert [e["id"] for e in sse_result["events"]] == ids(sse_result["job"])
        assert [m["id"] for m in ws_events] == ids(job_b)
        keys = db.execute("SELECT COUNT(DISTINCT key) FROM audio_cache").fetchone()[0]
        owners = db.execute("SELECT DISTINCT split_part(owner, ':', 2) FROM tts_app_jobline").fetchall()
    # each distinct clip was synthesized exactly once, across both sessions and both clusters
    assert job_a_state["made"] + job_b_state["made"] == keys
    assert len(list((stack["data"] / "audio-cache").glob("*/*.mp3"))) == keys
    assert job_a_state["cached"] + job_b_state["cached"] > 0
    # and the lines were spread over both clusters' worker processes
    assert len(owners) >= 2
