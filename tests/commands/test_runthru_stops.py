"""Every way of stopping `manage.py runthru` ends every process it started within 5 s, with no
traceback, and it starts again on the same port after: closing the terminal (SIGHUP) once left
both web processes and the cluster serving ("Address already in use" on the next start), SIGTERM
took over 10 s, and Ctrl-C printed a KeyboardInterrupt traceback."""

import signal
import time
import urllib.request

import pytest

from tests.commands.test_runthru import _alive, _descendants
from tests.helpers import start_runthru

pytestmark = pytest.mark.slow
STOP_SECONDS = 5


def started(tmp_path, port=None):
    proc, port, lines = start_runthru(tmp_path, port=port, RUNTHRU_WEB_PROCS="2", RUNTHRU_WORKERS="1")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    processes = _descendants(proc.pid)
    assert len(processes) >= 3, processes  # two web processes and the worker cluster (its workers too)
    return proc, port, lines, processes


def assert_all_gone_soon(processes: set[int], since: float) -> None:
    while any(_alive(pid) for pid in processes):
        assert time.monotonic() - since < STOP_SECONDS, [pid for pid in processes if _alive(pid)]
        time.sleep(0.05)


@pytest.mark.parametrize("how", [signal.SIGHUP, signal.SIGINT, signal.SIGTERM], ids=["hup", "ctrl-c", "term"])
def test_a_signal_stops_everything_within_5_s_without_a_traceback(tmp_path, how):
    proc, port, lines, processes = started(tmp_path)
    try:
        since = time.monotonic()
        proc.send_signal(how)
        proc.wait(timeout=STOP_SECONDS)
        assert_all_gone_soon(processes, since)
        assert "Traceback" not in "".join(lines)
    finally:
        proc.kill()


def test_after_the_terminal_closes_it_starts_again_and_even_a_killed_supervisor_leaves_nothing(tmp_path):
    proc, port, lines, processes = started(tmp_path)
    try:
        proc.send_signal(signal.SIGHUP)
        proc.wait(timeout=STOP_SECONDS)
        assert_all_gone_soon(processes, time.monotonic())
    finally:
        proc.kill()
    again, _, lines, processes = started(tmp_path, port=port)  # once: "Address already in use"
    try:
        since = time.monotonic()
        again.kill()  # the supervisor dies with no chance to clean up
        again.wait()
        assert_all_gone_soon(processes, since)
    finally:
        again.kill()
