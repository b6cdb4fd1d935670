"""Keep RunThru's processes running: restart a child that dies, say why in the terminal,
and give up (stopping everything) only when one keeps dying fast, which a restart cannot fix
(a broken install, a port taken by something else).

Each child runs in its own process group, so stopping one stops everything it started
(the task cluster's workers too), even a worker that is stuck.

No Django imports: a supervisor outlives anything its children break.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
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


class Supervisor:
    def __init__(self, *, max_deaths: int = 5, window: float = 60.0, grace: float = 15.0):
        self.max_deaths, self.window, self.grace = max_deaths, window, grace
        self.children: list[Child] = []

    def add(self, name: str, start: Callable[..., subprocess.Popen]) -> Child:
        child = Child(name, start)
        child.proc = start(start_new_session=True)
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
            log.error("%s stopped (%s); starting it again.", child.name, why)
            child.proc = child.start(start_new_session=True)

    def restart(self, child: Child, why: str) -> None:
        log.error("%s: %s; restarting it.", child.name, why)
        self._stop_groups([child])
        child.proc = child.start(start_new_session=True)

    def stop(self) -> None:
        self._stop_groups(self.children)

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
