"""The supervisor behind `manage.py runthru`: a child that dies is started again, with the
reason logged; one that keeps dying fast makes it give up; stopping stops whole process groups."""

import logging
import subprocess
import sys
import time

import pytest

from runthru_site.supervisor import GaveUp, Supervisor


def _python(code: str):
    return lambda **popen: subprocess.Popen([sys.executable, "-c", code], **popen)


def _poll_until(supervisor, predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        supervisor.poll()
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_a_child_that_dies_is_started_again_and_the_log_says_why(caplog):
    supervisor = Supervisor()
    child = supervisor.add("web process 1", _python("import time; time.sleep(60)"))
    first = child.proc.pid
    try:
        child.proc.kill()
        child.proc.wait()
        with caplog.at_level(logging.ERROR, logger="runthru"):
            assert _poll_until(supervisor, lambda: child.proc.pid != first)
        assert child.proc.poll() is None
        assert "web process 1 stopped (killed by SIGKILL); starting it again" in caplog.text
    finally:
        supervisor.stop()


def test_it_gives_up_when_a_child_keeps_dying_fast():
    supervisor = Supervisor(max_deaths=5, window=60)
    supervisor.add("web process 1", _python("import sys; sys.exit(3)"))
    try:
        with pytest.raises(GaveUp, match=r"web process 1 stopped 5 times within 60 s \(last: exited with code 3\)"):
            _poll_until(supervisor, lambda: False)
    finally:
        supervisor.stop()


def test_deaths_far_apart_never_add_up_to_giving_up():
    supervisor = Supervisor(max_deaths=2, window=0.3)
    child = supervisor.add("cluster", _python("import sys, time; time.sleep(0.4); sys.exit(1)"))
    try:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            supervisor.poll()
            time.sleep(0.05)
        assert child.proc is not None
    finally:
        supervisor.stop()


STUCK_GRANDCHILD = """
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))  # the leader stops politely ...
child = subprocess.Popen([sys.executable, "-c",
                          "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
print(child.pid, flush=True)  # ... but its child ignores SIGTERM, like a worker stuck on a lock
time.sleep(600)
"""


def test_stopping_stops_the_whole_group_even_a_stuck_grandchild():
    supervisor = Supervisor(grace=1.0)
    child = supervisor.add("cluster", lambda **popen: subprocess.Popen([sys.executable, "-c", STUCK_GRANDCHILD],
                                                                        stdout=subprocess.PIPE, text=True, **popen))
    grandchild = int(child.proc.stdout.readline())
    supervisor.stop()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{grandchild}/stat") as fh:
                if fh.read().split(")")[-1].split()[0] == "Z":
                    break
        except FileNotFoundError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the stuck grandchild is still running")
