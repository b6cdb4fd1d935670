"""manage.py runthru: the README's run command, as a family starts it, in a fresh data folder."""

import json
import os
import signal
import time
import urllib.request

import pytest

from tests.helpers import children, start_runthru

pytestmark = pytest.mark.slow


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) counts as stopped.
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().split(")")[-1].split()[0] != "Z"


def _descendants(pid: int) -> set[int]:
    found = set()
    for child in children(pid):
        found |= {child} | _descendants(child)
    return found


def test_it_starts_from_nothing_and_stops_every_process_it_started(tmp_path):
    # Started as a shell starts a background job: with SIGINT ignored, so only SIGTERM can stop it.
    proc, port, lines = start_runthru(tmp_path, popen={"preexec_fn": lambda: signal.signal(signal.SIGINT,
                                                                                            signal.SIG_IGN)},
                                      RUNTHRU_WEB_PROCS="2")
    try:
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

        assert len(children(proc.pid)) >= 3  # two web processes and the worker cluster
        started = _descendants(proc.pid)  # the cluster's workers too
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in started) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in started if _alive(pid)], "processes left running after runthru stopped"
    finally:
        if proc.poll() is None:
            proc.kill()


def _health(port: int) -> int | str:
    try:
        return urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=10).status
    except OSError as exc:
        return repr(exc)


def _daphnes(pid: int) -> set[int]:
    found = set()
    for child in children(pid):
        try:
            with open(f"/proc/{child}/cmdline", "rb") as fh:
                if b"runthru_site.serve" in fh.read():  # daphne, through the body-limiting wrapper
                    found.add(child)
        except OSError:
            continue  # it ended between the listing and the read (a short-lived helper process)
    return found


def test_a_web_process_that_dies_is_started_again_and_the_terminal_says_why(tmp_path):
    proc, port, lines = start_runthru(tmp_path, RUNTHRU_WEB_PROCS="2")
    try:
        deadline = time.monotonic() + 60
        while len(_daphnes(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        before = _daphnes(proc.pid)
        assert len(before) == 2
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = _daphnes(proc.pid)
            if len(now) == 2 and victim not in now:
                break
            time.sleep(0.2)
        assert proc.poll() is None, "runthru stopped when one web process died:\n" + "".join(lines)
        assert len(_daphnes(proc.pid)) == 2 and victim not in _daphnes(proc.pid)
        assert any("stopped (killed by SIGKILL); starting it again" in line for line in lines), "".join(lines)
        # The new process may still be starting on a busy machine (its first answer can take
        # longer than one request's timeout); once it answers, every request is answered.
        deadline = time.monotonic() + 60
        while _health(port) != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert [_health(port) for _ in range(5)] == [200] * 5
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
