"""Shared test helpers: engines we control, and environments for worker processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
from django.db import connection

from tts_app.engines.base import Availability, Capabilities, Clip, Engine, EngineFailed, Voice

REPO = Path(__file__).resolve().parent.parent


def tone(seconds: float, rate: int = 22050, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    # a little vibrato and an envelope so it looks like speech to the quality check
    return (0.3 * np.sin(2 * np.pi * freq * t * (1 + 0.01 * np.sin(6 * t))) * np.hanning(t.size)).astype(np.float32)


class ScriptedEngine(Engine):
    """A real Engine subclass whose behaviour a test sets: slow, failing, or garbage."""

    name = "scripted"
    label = "Test engine"
    behaviour = "ok"  # ok | fail | nan | silence | long | slow
    delay = 0.0
    calls = 0

    def capabilities(self) -> Capabilities:
        return Capabilities(sample_rate=22050)

    def version(self) -> str:
        return "scripted-1"

    def availability(self) -> Availability:
        return Availability(True)

    def voices(self) -> list[Voice]:
        return [Voice(id=f"s{i}", name=f"Test {i}", engine=self.name) for i in range(4)]

    def _synthesize(self, requests):
        out = []
        for req in requests:
            type(self).calls += 1
            if self.delay:
                time.sleep(self.delay)
            words = max(1, len(req.text.split()))
            if self.behaviour == "fail":
                raise EngineFailed("the test engine refused")
            if self.behaviour == "nan":
                out.append(Clip(np.full(22050, np.nan, dtype=np.float32), 22050))
            elif self.behaviour == "silence":
                out.append(Clip(np.zeros(22050 * 2, dtype=np.float32), 22050))
            elif self.behaviour == "long":
                out.append(Clip(tone(600.0), 22050))
            else:
                out.append(Clip(tone(0.4 * words), 22050))
        return out


def use_engine(monkeypatch, engine: Engine, name: str = "scripted") -> None:
    """Put an engine into the registry (first choice) for one test."""
    from tts_app.engines import registry

    classes = {name: "tests.helpers:ScriptedEngine", **registry.ENGINE_CLASSES}
    monkeypatch.setattr(registry, "ENGINE_CLASSES", classes)
    monkeypatch.setitem(registry._instances, name, engine)


def child_env(**extra) -> dict:
    """Environment for a worker process that must use this test's database."""
    env = dict(os.environ)
    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"].endswith("sqlite3"):
        env["RUNTHRU_SQLITE_PATH"] = str(settings_dict["NAME"])
    else:
        env["DATABASE_URL"] = (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
        )
    env["PYTHONPATH"] = str(REPO)
    env["DJANGO_SETTINGS_MODULE"] = "runthru_site.settings"
    env.update(extra)
    return env


def start_worker(code: str, **extra) -> subprocess.Popen:
    """Run Python code in a fresh process with Django set up on the test database."""
    prelude = "import django; django.setup()\n"
    return subprocess.Popen([sys.executable, "-c", prelude + code], env=child_env(**extra), cwd=REPO)


def queued_job(script, user_role: str = "maren"):
    """A generation job for a new session, not yet on the queue (tests run it themselves)."""
    from sessions_app.services import session_create
    from tts_app.jobs import job_for

    session = session_create(script=script, user_role=user_role)
    return job_for(script=script, engine=session.tts_engine, user_role=user_role,
                   voice_assignments=session.voice_assignments, session_id=session.pk, enqueue=False)


def job_socket(job, token: str):
    """A WebSocket client of /ws/jobs/{id}/ on the real ASGI application, from a local page."""
    from channels.testing import WebsocketCommunicator

    from runthru_site.asgi import application

    return WebsocketCommunicator(application, f"/ws/jobs/{job.pk}/?token={token}",
                                 headers=[(b"host", b"localhost"), (b"origin", b"http://localhost")])


async def run_job_and_listen(ws, job) -> list[dict]:
    """Run the job in a worker thread while ``ws`` listens; every message up to the final one."""
    import asyncio

    from asgiref.sync import sync_to_async

    from tts_app.jobs import job_run

    runner = asyncio.ensure_future(sync_to_async(job_run, thread_sensitive=False)(job_id=job.pk))
    messages: list[dict] = []
    while not messages or messages[-1]["event"] not in ("complete", "error", "cancelled"):
        messages.append(await ws.receive_json_from(timeout=30))
    await runner
    return messages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return {int(x) for x in out.split()}


def start_runthru(tmp_path, popen: dict | None = None, port: int | None = None,
                  **extra) -> tuple[subprocess.Popen, int, list[str]]:
    """`manage.py runthru` in a fresh data folder (or the one of an earlier start in `tmp_path`),
    as a family starts it; its output keeps arriving in the returned list."""
    port = port or free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "RUNTHRU_SQLITE_PATH", "DJANGO_SETTINGS_MODULE")}
    env |= {"RUNTHRU_DATA_DIR": str(tmp_path / "data"), "PYTHONUNBUFFERED": "1", **extra}
    proc = subprocess.Popen([sys.executable, "manage.py", "runthru", "--port", str(port)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **(popen or {}))
    lines: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        assert line, "runthru stopped before it was running:\n" + "".join(lines)
        lines.append(line)
        if "RunThru is running" in line:
            break
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()  # keep reading
    return proc, port, lines
