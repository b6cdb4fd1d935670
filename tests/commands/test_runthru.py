"""manage.py runthru: the README's run command, as a family starts it, in a fresh data folder."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return {int(x) for x in out.split()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) counts as stopped.
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().split(")")[-1].split()[0] != "Z"


def test_it_starts_from_nothing_and_stops_every_process_it_started(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "RUNTHRU_SQLITE_PATH", "DJANGO_SETTINGS_MODULE")}
    env |= {"RUNTHRU_DATA_DIR": str(tmp_path / "data"), "RUNTHRU_WEB_PROCS": "2", "PYTHONUNBUFFERED": "1"}
    # Started as a shell starts a background job: with SIGINT ignored, so only SIGTERM can stop it.
    proc = subprocess.Popen([sys.executable, "manage.py", "runthru", "--port", str(port)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        lines = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, "runthru stopped before it was running:\n" + "".join(lines)
            lines.append(line)
            if "RunThru is running" in line:
                break
        printed = "".join(lines)
        assert "Sign-in PIN for the teen:" in printed
        assert "Admin login for parents" in printed
        pin = printed.split("Sign-in PIN for the teen:")[1].split()[0]

        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/auth/verify", method="POST",
                                         data=json.dumps({"pin": pin}).encode(),
                                         headers={"Content-Type": "application/json"})
        assert json.load(urllib.request.urlopen(request, timeout=10))["token"]

        started = _children(proc.pid)
        assert len(started) >= 3  # two web processes and the worker cluster
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in started) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in started if _alive(pid)], "processes left running after runthru stopped"
    finally:
        if proc.poll() is None:
            proc.kill()
