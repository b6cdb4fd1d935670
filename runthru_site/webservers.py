"""How RunThru starts its web server processes: used by ``manage.py runthru`` and by
``bench/load.py``, so the benchmark measures exactly what a family runs.

No Django settings: the benchmark calls this from a process without them.
"""

from __future__ import annotations

import os
import socket
import subprocess

from .env import env_int, env_str

APP = "runthru_site.asgi:application"
SERVE = "runthru_site.serve"  # daphne, stopping oversized request bodies as they arrive


def web_procs_default() -> int:
    """RUNTHRU_WEB_PROCS, else one process per core up to two.

    One daphne process computes on one core at a time (the GIL), so a single one leaves a
    second core idle while requests queue; past two, a home machine has better uses for
    its cores (the voice engines)."""
    return max(1, env_int("RUNTHRU_WEB_PROCS", min(2, os.cpu_count() or 1)))


def daphne_options() -> list[str]:
    """Quiet by default: a line per request drowns the PIN and the address a parent
    needs in the terminal (and costs CPU). RUNTHRU_ACCESS_LOG=- (or a file) brings it back."""
    access_log = env_str("RUNTHRU_ACCESS_LOG")
    return ["--access-log", access_log] if access_log else ["-v", "0"]


def open_listener(host: str, port: int) -> socket.socket:
    """One listening socket for every web process: the kernel hands each new connection to
    whichever process is free to accept it. Held by the parent, so a process that restarts
    takes up the same socket, and connections wait in its queue meanwhile instead of failing."""
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1024)
    listener.set_inheritable(True)
    return listener


def daphne_on(listener: socket.socket, python: str, app: str = APP, tls_endpoint: str | None = None,
              **popen) -> subprocess.Popen:
    """A web process on the shared socket; with a TLS endpoint (phones on the home network) it
    also serves that port, which only one process can bind."""
    fd = listener.fileno()
    extra = ["-e", tls_endpoint] if tls_endpoint else []
    return subprocess.Popen([python, "-m", SERVE, *daphne_options(), *extra, "--fd", str(fd), app], pass_fds=[fd],
                            **popen)


def start_daphne(python: str, host: str, port: int, count: int, app: str = APP, **popen) -> list[subprocess.Popen]:
    """One daphne process, or several sharing one listening socket (for the load benchmark;
    ``manage.py runthru`` keeps the socket and restarts processes that die)."""
    if count == 1:
        return [subprocess.Popen([python, "-m", SERVE, *daphne_options(), "-b", host, "-p", str(port), app],
                                 **popen)]
    listener = open_listener(host, port)
    try:
        return [daphne_on(listener, python, app, **popen) for _ in range(count)]
    finally:
        listener.close()  # the children hold their own copies
