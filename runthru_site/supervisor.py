"""Keep RunThru's processes running: restart a child that dies, say why in the terminal,
and give up (stopping everything) only when one keeps dying fast, which a restart cannot fix
(a broken install, a port taken by something else).

Each child runs in its own process group, so stopping one stops everything it started
(the task cluster's workers too), even a worker that is stuck. A small reaper process outlives
the supervisor: if the supervisor itself dies without cleaning up (killed, out of memory), the
reaper stops every group within seconds, so nothing keeps the port and a new start works.

No Django imports: a supervisor outlives anything its children break.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger("runthru")


class GaveUp(RuntimeError):
    pass


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exited with code {returncode}"


@dataclass
class Child:
    name: str
    start: Callable[..., subprocess.Popen]  # called with start_new_session=True
    proc: subprocess.Popen | None = None
    deaths: deque = field(default_factory=deque)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


# Reads the process groups the supervisor starts ("-N": that one is stopped already); at end of
# input (the supervisor is gone, however it went) stops the rest. Ignores the signals that end
# the supervisor, as closing the terminal sends them to it too.
REAPER = """
import os, signal, sys, time
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(sig, signal.SIG_IGN)
groups = set()
for line in sys.stdin:
    group = int(line)
    if group > 0:
        groups.add(group)
    else:
        groups.discard(-group)
for sig, then in ((signal.SIGTERM, 1.0), (signal.SIGKILL, 0)) if groups else ():
    for group in groups:
        try:
            os.killpg(group, sig)
        except OSError:
            pass
    time.sleep(then)
"""


class Supervisor:
    def __init__(self, *, max_deaths: int = 5, window: float = 60.0, grace: float = 2.0):
        self.max_deaths, self.window, self.grace = max_deaths, window, grace
        self.children: list[Child] = []
        self._reaper = subprocess.Popen([sys.executable, "-c", REAPER], stdin=subprocess.PIPE, text=True,
                                        start_new_session=True)

    def _tell_reaper(self, group: int) -> None:
        try:
            self._reaper.stdin.write(f"{group}\n")
            self._reaper.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def _start(self, child: Child) -> None:
        child.proc = child.start(start_new_session=True)
        self._tell_reaper(child.proc.pid)

    def add(self, name: str, start: Callable[..., subprocess.Popen]) -> Child:
        child = Child(name, start)
        self._start(child)
        self.children.append(child)
        return child

    def pids(self) -> list[int]:
        return [c.proc.pid for c in self.children if c.proc is not None]

    def poll(self) -> None:
        """Restart any child that has died; GaveUp if one died max_deaths times within window seconds."""
        now = time.monotonic()
        for child in self.children:
            code = child.proc.poll()
            if code is None:
                continue
            why = describe_exit(code)
            _signal_group(child.proc, signal.SIGKILL)  # whatever it left behind in its group
            child.deaths.append(now)
            while child.deaths and child.deaths[0] < now - self.window:
                child.deaths.popleft()
            if len(child.deaths) >= self.max_deaths:
                raise GaveUp(f"{child.name} stopped {len(child.deaths)} times within {self.window:.0f} s "
                             f"(last: {why}). Giving up; see the messages above.")
            self._tell_reaper(-child.proc.pid)
            log.error("%s stopped (%s); starting it again.", child.name, why)
            self._start(child)

    def restart(self, child: Child, why: str) -> None:
        log.error("%s: %s; restarting it.", child.name, why)
        self._stop_groups([child])
        self._start(child)

    def stop(self) -> None:
        """Stop every child, within `grace` seconds and a moment more."""
        self._stop_groups(self.children)
        self._reaper.stdin.close()  # nothing left for it to do
        self._reaper.wait()

    def _stop_groups(self, children: list[Child]) -> None:
        # SIGTERM, not SIGINT: a shell starts background jobs with SIGINT ignored, and
        # daphne and the cluster both stop cleanly on SIGTERM. The whole group gets it.
        procs = [c.proc for c in children if c.proc is not None]
        for proc in procs:
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for proc in procs:
            # What is still there (the leader, or a worker stuck on a lock) goes now.
            _signal_group(proc, signal.SIGKILL)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                log.error("process %s did not stop", proc.pid)
            self._tell_reaper(-proc.pid)
